"use client";
// Uploading a manifest: drop or choose a .yaml/.yml/.json file, or paste one. Every change
// runs the import's dry run, which answers with the full validation report (every error
// at its path, warnings, configuration an installer must enter, risk, hash, security
// report). "Save draft" then creates the capability for real and opens its page.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { AlertIcon, CheckCircleIcon, ChevronRightIcon, LockIcon, XIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { typeLabel } from "@/components/marketplace/format";
import { FileCodeIcon } from "@/components/marketplace/marketplace-icons";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { ManifestDropZone } from "@/components/ui/manifest-drop-zone";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import type { ManifestUploadReport } from "@/lib/registry/check-manifest-upload";
import { EXAMPLE_MANIFEST } from "./example-manifest";

const MAX_BYTES = 768 * 1024;
const CHECK_DEBOUNCE_MS = 600;

type Format = "auto" | "yaml" | "json";
type Check = { status: "idle" } | { status: "checking" } | { status: "done"; report: ManifestUploadReport } | { status: "failed"; message: string; errors: { path: string; message: string }[] };

function filenameFor(source: { filename: string | null; text: string; format: Format }): string {
  if (source.filename) return source.filename;
  const format = source.format === "auto" ? (/^\s*[{[]/.test(source.text) ? "json" : "yaml") : source.format;
  return `pasted.${format === "json" ? "json" : "yaml"}`;
}

export function UploadView() {
  const router = useRouter();
  const toast = useToast();
  const [text, setText] = useState("");
  const [filename, setFilename] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>("auto");
  const [fileError, setFileError] = useState<string | null>(null);
  const [check, setCheck] = useState<Check>({ status: "idle" });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const name = filenameFor({ filename, text, format });

  // Every change is checked (debounced): the report follows what is in the editor.
  useEffect(() => {
    if (!text.trim()) return;
    const controller = new AbortController();
    const t = setTimeout(() => {
      setCheck({ status: "checking" });
      apiFetch<ManifestUploadReport>("/api/capabilities/import?dryRun=1", { method: "POST", json: { filename: name, text }, signal: controller.signal })
        .then((report) => setCheck({ status: "done", report }))
        .catch((err) => {
          if (!controller.signal.aborted) setCheck({ status: "failed", message: errorMessage(err), errors: err instanceof ApiError ? err.errors : [] });
        });
    }, CHECK_DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [text, name]);

  async function readFile(file: File) {
    setFileError(null);
    setSaveError(null);
    if (!/\.(ya?ml|json)$/i.test(file.name)) {
      setFileError(`${file.name} is not a .yaml, .yml or .json file.`);
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError(`${file.name} is ${Math.round(file.size / 1024)} KB; manifests can be at most 768 KB.`);
      return;
    }
    setFilename(file.name);
    setFormat(/\.json$/i.test(file.name) ? "json" : "yaml");
    setText(await file.text());
  }

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      const created = await apiFetch<{ slug: string; name: string }>("/api/capabilities/import", { method: "POST", json: { filename: name, text } });
      toast.success(`Draft of “${created.name}” saved`, "Publish a version from its page to install or list it.");
      router.push(`/marketplace/${created.slug}`);
    } catch (err) {
      setSaveError(errorMessage(err));
      setSaving(false);
    }
  }

  const report = check.status === "done" ? check.report : null;
  const canSave = !!report?.valid && report.slugAvailable !== false && !saving;

  return (
    <PageContainer wide className="max-w-7xl">
      <nav aria-label="Breadcrumb" className="mb-4 flex items-center gap-1.5 text-[13px] text-fg-subtle">
        <Link href="/marketplace" className="hover:text-fg">
          Marketplace
        </Link>
        <ChevronRightIcon className="size-3.5" />
        <span className="text-fg-muted" aria-current="page">
          Upload
        </span>
      </nav>
      <PageHeader
        title="Upload a capability"
        description="Bring a manifest written elsewhere: declarative HTTP actions, an API connector, code or a workflow, in YAML or JSON. It is checked as you go; saving creates a private draft you can publish from its page."
      />

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)]">
        <div className="space-y-4">
          <ManifestDropZone onFile={(file) => void readFile(file)} testId="upload-dropzone" inputTestId="upload-file-input" />
          {fileError && <Alert tone="danger">{fileError}</Alert>}

          <Card className="overflow-hidden">
            <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-3 py-2">
              <span className="flex min-w-0 items-center gap-2 text-[13px] text-fg-muted">
                <FileCodeIcon className="size-4 text-fg-subtle" />
                {filename ? (
                  <>
                    <span className="truncate font-mono text-[12.5px] text-fg">{filename}</span>
                    <button
                      type="button"
                      className="grid size-5 place-items-center rounded text-fg-subtle hover:text-fg"
                      aria-label="Forget the file name (treat as pasted text)"
                      onClick={() => {
                        setFilename(null);
                        setFormat("auto");
                      }}
                    >
                      <XIcon className="size-3.5" />
                    </button>
                  </>
                ) : (
                  "Or paste it here"
                )}
              </span>
              <div className="flex items-center gap-2">
                {!text && (
                  <Button size="xs" variant="ghost" onClick={() => setText(EXAMPLE_MANIFEST)}>
                    Start from an example
                  </Button>
                )}
                {!filename && (
                  <Select aria-label="Format" selectSize="sm" value={format} onChange={(e) => setFormat(e.target.value as Format)} className="w-28">
                    <option value="auto">Detect</option>
                    <option value="yaml">YAML</option>
                    <option value="json">JSON</option>
                  </Select>
                )}
              </div>
            </div>
            <label htmlFor="manifest-text" className="sr-only">
              Manifest
            </label>
            <textarea
              id="manifest-text"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setSaveError(null);
                if (!e.target.value.trim()) setCheck({ status: "idle" });
              }}
              spellCheck={false}
              rows={22}
              placeholder={"slug: my-capability\nname: My capability\nversion: 1.0.0\n…"}
              className="block w-full resize-y bg-surface px-4 py-3 font-mono text-[12.5px] leading-relaxed text-fg outline-none placeholder:text-fg-subtle"
              data-testid="upload-text"
            />
          </Card>
        </div>

        <div className="lg:sticky lg:top-6">
          <Report check={check} hasText={!!text.trim()} />
          {saveError && <Alert tone="danger" className="mt-3">{saveError}</Alert>}
          <div className="mt-4 flex items-center justify-end gap-3">
            <p className="text-[12px] text-fg-subtle">{report?.valid ? (report.slugAvailable === false ? "The slug is taken: change it to save." : "Saved as a private draft.") : "Fix the errors to save."}</p>
            <Button variant="primary" onClick={save} disabled={!canSave} loading={saving} data-testid="upload-save">
              Save draft
            </Button>
          </div>
        </div>
      </div>
    </PageContainer>
  );
}

function Report({ check, hasText }: { check: Check; hasText: boolean }) {
  if (!hasText || check.status === "idle") {
    return (
      <Card className="px-5 py-8 text-center" data-testid="upload-report" data-state="empty">
        <FileCodeIcon className="mx-auto size-8 text-fg-subtle" />
        <p className="mt-2 text-[14px] font-medium text-fg">The validation report appears here</p>
        <p className="mt-1 text-[12.5px] text-fg-muted">Every problem is listed with its path, e.g. <code className="font-mono">actions[0].inputs[1].type</code>, not just the first.</p>
      </Card>
    );
  }
  if (check.status === "checking") {
    return (
      <Card className="flex items-center gap-3 px-5 py-6 text-[13px] text-fg-muted" data-testid="upload-report" data-state="checking">
        <Spinner />
        Checking the manifest…
      </Card>
    );
  }
  if (check.status === "failed") {
    return (
      <Card className="overflow-hidden" data-testid="upload-report" data-state="invalid">
        <ReportHeader ok={false} title="The file could not be read" subtitle={check.message} />
        <ErrorList errors={check.errors} />
      </Card>
    );
  }
  const r = check.report;
  const m = r.manifest;
  return (
    <Card className="overflow-hidden" data-testid="upload-report" data-state={r.valid ? "valid" : "invalid"}>
      <ReportHeader ok={r.valid} title={r.valid ? "Valid manifest" : `${r.errors.length} error${r.errors.length === 1 ? "" : "s"} to fix`} subtitle={r.valid ? "It can be saved as a draft." : "Each error names where it is. Fix them all and the report updates as you type."} />
      {m && (
        <div className="flex items-start gap-3 border-b border-border px-5 py-4">
          <CapabilityIcon icon={m.icon} />
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2">
              <span className="text-[14.5px] font-semibold text-fg">{m.name}</span>
              <Badge mono>v{m.version}</Badge>
              <Badge>{typeLabel(m.type)}</Badge>
              {r.risk && <RiskBadge risk={r.risk} />}
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-2 text-[12.5px] text-fg-muted">
              <code className="font-mono">{m.slug}</code>
              {r.slugAvailable === false ? <Badge tone="danger">slug taken</Badge> : r.slugAvailable ? <Badge tone="success">slug available</Badge> : null}
              <span>· {m.actions.length} action{m.actions.length === 1 ? "" : "s"} · {m.permissions.length} permission{m.permissions.length === 1 ? "" : "s"}</span>
            </p>
            {r.contentHash && (
              <p className="mt-1 flex min-w-0 items-center gap-1">
                <code className="truncate font-mono text-[11px] text-fg-subtle" title={r.contentHash}>
                  {r.contentHash}
                </code>
                <CopyButton value={r.contentHash} size="xs" variant="ghost" label="Copy" />
              </p>
            )}
          </div>
        </div>
      )}
      {!r.valid && <ErrorList errors={r.errors} />}
      {r.needsConfig.length > 0 && (
        <section className="border-b border-border px-5 py-3" data-testid="upload-needs-config">
          <p className="mb-1.5 text-[12px] font-medium tracking-wide text-fg-subtle uppercase">Needs configuration</p>
          <ul className="space-y-1 text-[13px]">
            {r.needsConfig.map((c) => (
              <li key={c.key} className="flex items-center gap-2">
                {c.type === "secret" && <LockIcon className="size-3.5 text-security" />}
                <code className="font-mono text-[12.5px] text-fg">{c.key}</code>
                <span className="text-fg-muted">{c.label ?? ""}</span>
                <Badge className="ml-auto" tone={c.type === "secret" ? "security" : "neutral"}>
                  {c.type}
                </Badge>
                {c.required && <Badge tone="warning">required</Badge>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.warnings.length > 0 && (
        <section className="border-b border-border px-5 py-3" data-testid="upload-warnings">
          <p className="mb-1.5 text-[12px] font-medium tracking-wide text-fg-subtle uppercase">Warnings</p>
          <ul className="space-y-1.5 text-[13px]">
            {r.warnings.map((w, i) => (
              <li key={i} className="flex items-start gap-2">
                <AlertIcon className="mt-0.5 size-3.5 shrink-0 text-warning" />
                <span>
                  {w.path && <code className="mr-1.5 font-mono text-[12px] text-fg">{w.path}</code>}
                  <span className="text-fg-muted">{w.message}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.securityReport && (
        <section className="px-5 py-3">
          <p className="mb-1.5 text-[12px] font-medium tracking-wide text-fg-subtle uppercase">Security report (if published)</p>
          <p className={cx("flex items-center gap-1.5 text-[13px] font-medium", r.securityReport.verdict === "clean" ? "text-success" : "text-warning")}>
            {r.securityReport.verdict === "clean" ? <CheckCircleIcon className="size-4" /> : <AlertIcon className="size-4" />}
            {r.securityReport.verdict === "clean" ? "Clean" : `${r.securityReport.findings.filter((f) => f.severity === "warning").length} warnings`}
          </p>
          {r.securityReport.findings.length > 0 && (
            <ul className="mt-1.5 space-y-1 text-[12.5px] text-fg-muted">
              {r.securityReport.findings.map((f, i) => (
                <li key={i}>· {f.message}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Card>
  );
}

function ReportHeader({ ok, title, subtitle }: { ok: boolean; title: string; subtitle: string }) {
  return (
    <div className={cx("flex items-start gap-3 border-b px-5 py-4", ok ? "border-success/20 bg-success-soft" : "border-danger/20 bg-danger-soft")}>
      {ok ? <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-success" /> : <AlertIcon className="mt-0.5 size-5 shrink-0 text-danger" />}
      <div>
        <p className="text-[14.5px] font-semibold text-fg" data-testid="upload-verdict">
          {ok ? "✓ " : ""}
          {title}
        </p>
        <p className="mt-0.5 text-[12.5px] text-fg-muted">{subtitle}</p>
      </div>
    </div>
  );
}

function ErrorList({ errors }: { errors: { path: string; message: string }[] }) {
  if (!errors.length) return null;
  return (
    <ul className="divide-y divide-border border-b border-border" data-testid="upload-errors">
      {errors.map((e, i) => (
        <li key={i} className="flex items-start gap-2.5 px-5 py-2.5" data-testid="upload-error" data-path={e.path}>
          <XIcon className="mt-0.5 size-3.5 shrink-0 text-danger" />
          <div className="min-w-0 text-[13px]">
            <code className="font-mono text-[12.5px] font-medium break-all text-fg">{e.path || "(manifest)"}</code>
            <p className="text-fg-muted">{e.message}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

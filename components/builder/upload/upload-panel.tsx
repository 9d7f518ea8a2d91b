"use client";
// The builder's Upload method: drop (or choose) a .yaml/.yml/.json manifest, or paste one.
// Every change runs the registry's dry run (POST /api/capabilities/import?dryRun=1) and shows
// its report: errors with their path and the line they are on, warnings, the configuration
// an installer must enter (secrets marked), the security report it would get if published,
// and whether the slug is free. "Save as draft" hands the checked text up with onLoaded (text,
// filename, manifest when valid, report): the wizard takes it into its state and saves it.
// Nothing is handed up before that, so the report stays in view while the author reads it.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { AlertIcon, CheckCircleIcon, LockIcon, XIcon } from "@/components/icons";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { typeLabel } from "@/components/marketplace/format";
import { FileCodeIcon } from "@/components/marketplace/marketplace-icons";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { ManifestDropZone } from "@/components/ui/manifest-drop-zone";
import { Spinner } from "@/components/ui/spinner";
import type { ManifestUploadReport } from "@/lib/registry/check-manifest-upload";
import { errorLineLocator } from "./error-lines";

export interface UploadPanelProps {
  onLoaded: (r: { text: string; filename: string; manifest: unknown | null; report: unknown }) => void;
  /** The text and file name to start from (replacing an earlier upload). */
  initialText?: string;
  initialFilename?: string;
  /** The button's label (default "Save as draft"). */
  loadLabel?: string;
}

const MAX_BYTES = 768 * 1024;
const CHECK_DEBOUNCE_MS = 400;

type FieldError = { path: string; message: string };
type Check = { status: "idle" } | { status: "checking" } | { status: "done"; report: ManifestUploadReport; text: string } | { status: "failed"; message: string; errors: FieldError[]; text: string };

function filenameFor(filename: string | null, text: string): string {
  if (filename) return filename;
  return /^\s*[{[]/.test(text) ? "pasted.json" : "pasted.yaml";
}

export function UploadPanel({ onLoaded, initialText = "", initialFilename, loadLabel = "Save as draft" }: UploadPanelProps) {
  const textareaId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(initialText);
  const [filename, setFilename] = useState<string | null>(initialFilename && !/^pasted\.|^manifest\.yaml$/.test(initialFilename) ? initialFilename : null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [check, setCheck] = useState<Check>({ status: "idle" });
  const name = filenameFor(filename, text);

  // Every change is checked (debounced): the report follows the text.
  useEffect(() => {
    if (!text.trim()) return;
    const controller = new AbortController();
    const t = setTimeout(() => {
      setCheck({ status: "checking" });
      apiFetch<ManifestUploadReport>("/api/capabilities/import?dryRun=1", { method: "POST", json: { filename: name, text }, signal: controller.signal })
        .then((report) => setCheck({ status: "done", report, text }))
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setCheck({ status: "failed", message: errorMessage(err), errors: err instanceof ApiError ? err.errors : [], text });
        });
    }, CHECK_DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [text, name]);

  async function readFile(file: File) {
    setFileError(null);
    if (!/\.(ya?ml|json)$/i.test(file.name)) {
      setFileError(`${file.name} is not a .yaml, .yml or .json file.`);
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError(`${file.name} is ${Math.round(file.size / 1024)} KB; manifests can be at most 768 KB.`);
      return;
    }
    setFilename(file.name);
    setText(await file.text());
  }

  /** Puts the caret on a line of the text (an error's line) and scrolls it into view. */
  function showLine(line: number) {
    const el = textarea.current;
    if (!el) return;
    const lines = el.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 4) * lineHeight);
  }

  const report = check.status === "done" ? check.report : null;
  // Only a check of the text as it is now can be taken (an edit waits for its own check).
  const checked = (check.status === "done" || check.status === "failed") && check.text === text;

  function load() {
    if (!checked) return;
    if (check.status === "done") onLoaded({ text, filename: name, manifest: check.report.valid ? check.report.manifest : null, report: check.report });
    else if (check.status === "failed") onLoaded({ text, filename: name, manifest: null, report: { valid: false, errors: check.errors, warnings: [], needsConfig: [] } });
  }

  return (
    <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)]" data-testid="upload-panel">
      <div className="space-y-3">
        <ManifestDropZone onFile={(file) => void readFile(file)} testId="builder-upload-dropzone" inputTestId="builder-upload-file-input" compact />
        {fileError && <Alert tone="danger">{fileError}</Alert>}

        <Card className="overflow-hidden">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-3 py-2">
            <label htmlFor={textareaId} className="flex min-w-0 items-center gap-2 text-[13px] text-fg-muted">
              <FileCodeIcon className="size-4 text-fg-subtle" />
              {filename ? <span className="truncate font-mono text-[12.5px] text-fg">{filename}</span> : "Or paste the manifest (YAML or JSON)"}
            </label>
            {filename && (
              <button type="button" className="grid size-6 place-items-center rounded text-fg-subtle hover:text-fg" aria-label="Forget the file name (treat as pasted text)" onClick={() => setFilename(null)}>
                <XIcon className="size-3.5" />
              </button>
            )}
          </div>
          <textarea
            ref={textarea}
            id={textareaId}
            aria-label="Manifest text"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (!e.target.value.trim()) setCheck({ status: "idle" });
            }}
            spellCheck={false}
            rows={20}
            placeholder={"slug: my-capability\nname: My capability\nversion: 1.0.0\n…"}
            className="block w-full resize-y bg-surface px-4 py-3 font-mono text-[12.5px] leading-5 text-fg outline-none placeholder:text-fg-subtle"
            data-testid="builder-upload-text"
          />
        </Card>
      </div>

      <div className="space-y-3 xl:sticky xl:top-4">
        <UploadReport check={check} text={text} onShowLine={showLine} />
        <div className="flex items-center justify-end gap-3">
          <p className="text-[12px] text-fg-subtle">
            {!text.trim() ? "Drop or paste a manifest first." : !checked ? "Checking…" : report?.valid ? "Takes it into the builder's steps and saves a private draft." : "You can save it with its errors and fix them in the builder."}
          </p>
          <Button variant="primary" onClick={load} disabled={!text.trim() || !checked} data-testid="builder-upload-load">
            {loadLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}

function UploadReport({ check, text, onShowLine }: { check: Check; text: string; onShowLine: (line: number) => void }) {
  const locate = useMemo(() => errorLineLocator(text), [text]);
  if (!text.trim() || check.status === "idle") {
    return (
      <Card className="px-5 py-8 text-center" data-testid="builder-upload-report" data-state="empty">
        <FileCodeIcon className="mx-auto size-8 text-fg-subtle" />
        <p className="mt-2 text-[14px] font-medium text-fg">The validation report appears here</p>
        <p className="mt-1 text-[12.5px] text-fg-muted">
          Every problem is listed with its path and line, e.g. <code className="font-mono">actions[0].inputs[1].type</code>, not just the first.
        </p>
      </Card>
    );
  }
  if (check.status === "checking") {
    return (
      <Card className="flex items-center gap-3 px-5 py-6 text-[13px] text-fg-muted" data-testid="builder-upload-report" data-state="checking" aria-busy="true">
        <Spinner />
        Checking the manifest…
      </Card>
    );
  }
  if (check.status === "failed") {
    return (
      <Card className="overflow-hidden" data-testid="builder-upload-report" data-state="invalid">
        <Header ok={false} title="The manifest could not be checked" subtitle={check.message} />
        <Errors errors={check.errors} locate={locate} onShowLine={onShowLine} />
      </Card>
    );
  }
  const r = check.report;
  const m = r.manifest;
  return (
    <Card className="overflow-hidden" data-testid="builder-upload-report" data-state={r.valid ? "valid" : "invalid"} role="region" aria-label="Validation report">
      <Header ok={r.valid} title={r.valid ? "Valid manifest" : `${r.errors.length} error${r.errors.length === 1 ? "" : "s"} to fix`} subtitle={r.valid ? "The builder's steps now hold it: review, test and publish." : "Each error names its path and line. The report updates as you type."} />
      {m && (
        <div className="flex items-start gap-3 border-b border-border px-5 py-4">
          <CapabilityIcon icon={m.icon} />
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2">
              <span className="text-[14.5px] font-semibold text-fg">{m.name}</span>
              <Badge mono>v{m.version}</Badge>
              <Badge>{typeLabel(m.type)}</Badge>
              {r.risk && <RiskBadge risk={r.risk as Parameters<typeof RiskBadge>[0]["risk"]} />}
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-2 text-[12.5px] text-fg-muted">
              <code className="font-mono">{m.slug}</code>
              {r.slugAvailable === false ? <Badge tone="warning">slug exists</Badge> : r.slugAvailable ? <Badge tone="success">slug available</Badge> : null}
              <span>
                · {m.actions.length} action{m.actions.length === 1 ? "" : "s"} · {m.permissions.length} permission{m.permissions.length === 1 ? "" : "s"}
              </span>
            </p>
          </div>
        </div>
      )}
      {!r.valid && <Errors errors={r.errors} locate={locate} onShowLine={onShowLine} />}
      {r.needsConfig.length > 0 && (
        <section className="border-b border-border px-5 py-3" data-testid="builder-upload-needs-config" aria-label="Configuration to provide">
          <p className="mb-1 text-[12px] font-medium tracking-wide text-fg-subtle uppercase">Configuration to provide</p>
          <p className="mb-2 text-[12.5px] text-fg-muted">Installers must enter these; enter throwaway values in the Test step to try it.</p>
          <ul className="space-y-1.5 text-[13px]">
            {r.needsConfig.map((c) => (
              <li key={c.key} className="flex flex-wrap items-center gap-2" data-testid="builder-upload-config-key" data-key={c.key}>
                {c.type === "secret" && <LockIcon className="size-3.5 text-security" />}
                <code className="font-mono text-[12.5px] font-medium text-fg">{c.key}</code>
                {c.label && c.label !== c.key && <span className="text-fg-muted">{c.label}</span>}
                <span className="ml-auto flex items-center gap-1.5">
                  <Badge tone={c.type === "secret" ? "security" : "neutral"}>{c.type === "secret" ? "secret" : c.type}</Badge>
                  {c.required && <Badge tone="warning">required</Badge>}
                  {c.help_url && (
                    <a href={c.help_url} target="_blank" rel="noreferrer noopener" className="text-[12px] text-accent hover:underline">
                      Where to get it
                    </a>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.warnings.length > 0 && (
        <section className="border-b border-border px-5 py-3" aria-label="Warnings">
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
        <section className="px-5 py-3" aria-label="Security report">
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

function Header({ ok, title, subtitle }: { ok: boolean; title: string; subtitle: string }) {
  return (
    <div className={cx("flex items-start gap-3 border-b px-5 py-4", ok ? "border-success/20 bg-success-soft" : "border-danger/20 bg-danger-soft")}>
      {ok ? <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-success" /> : <AlertIcon className="mt-0.5 size-5 shrink-0 text-danger" />}
      <div>
        <p className="text-[14.5px] font-semibold text-fg" data-testid="builder-upload-verdict">
          {title}
        </p>
        <p className="mt-0.5 text-[12.5px] text-fg-muted">{subtitle}</p>
      </div>
    </div>
  );
}

function Errors({ errors, locate, onShowLine }: { errors: FieldError[]; locate: (path: string) => number | undefined; onShowLine: (line: number) => void }) {
  if (!errors.length) return null;
  return (
    <ul className="divide-y divide-border border-b border-border" aria-label="Errors">
      {errors.map((e, i) => {
        const line = locate(e.path);
        return (
          <li key={i} className="flex items-start gap-2.5 px-5 py-2.5" data-testid="builder-upload-error" data-path={e.path} data-line={line}>
            <XIcon className="mt-0.5 size-3.5 shrink-0 text-danger" />
            <div className="min-w-0 flex-1 text-[13px]">
              <code className="font-mono text-[12.5px] font-medium break-all text-fg">{e.path || "(manifest)"}</code>
              <p className="text-fg-muted">{e.message}</p>
            </div>
            {line !== undefined && (
              <button type="button" onClick={() => onShowLine(line)} className="shrink-0 rounded px-1.5 font-mono text-[12px] text-accent hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none" aria-label={`Show line ${line}`}>
                line {line}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

"use client";
// The publish dialog: the version bump suggested from what changed against the latest
// published version (with the reasons), a changelog, private or public, and the draft's
// validation list, which must be empty. Then the registry's own flow: a new slug is created
// (POST /api/capabilities) and its version published (POST /api/capabilities/:slug/versions);
// an existing one only gets the version. A public version waits for an admin's review (the
// answer carries the approval); a policy denial or a stale version is shown as the registry
// words it.
import Link from "next/link";
import { useEffect, useId, useMemo, useState } from "react";
import { apiFetch, ApiError, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { suggestBump, type BumpShape } from "@/lib/builder/publish/suggest-bump";
import type { SlugAvailability } from "@/lib/builder/slug-availability";
import type { Manifest } from "@/lib/registry/manifest-schema";
import { ProblemsList, type PanelProblem } from "@/components/builder/manifest/problems-list";

interface Detail {
  latestVersion: string | null;
  visibility: "private" | "public";
  viewer: { canEdit: boolean };
  actions: { id: string; inputs: { name: string; type: string; required: boolean }[]; outputs: { name: string; type: string }[] }[];
  permissions: { name: string }[];
  configuration: { key: string; required: boolean }[];
}

type Existing = { kind: "loading" } | { kind: "new" } | { kind: "mine"; detail: Detail } | { kind: "taken"; message: string } | { kind: "error"; message: string };

interface VersionAnswer {
  version: string;
  visibility: "private" | "public";
  reviewState: string;
  approval?: { approvalId: string; reasons: string[]; expiresAt: string };
}

export type PublishOutcome = { slug: string; version: string; visibility: "private" | "public"; reviewState: string; approvalId: string | null };

export interface PublishDialogProps {
  open: boolean;
  onClose: () => void;
  manifest: Manifest | null;
  errors: PanelProblem[];
  onGoTo: (p: PanelProblem) => void;
  onPublished: (o: PublishOutcome) => void;
}

export function PublishDialog(props: PublishDialogProps) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <Dialog
      open={props.open}
      onClose={() => {
        setDone(false);
        props.onClose();
      }}
      dismissible={!busy}
      size="lg"
      title={done ? "Published" : `Publish ${props.manifest?.name || "capability"}`}
      description={done ? undefined : "Publishing freezes this version. Agents keep the version they installed until they upgrade."}
      data-testid="publish-dialog"
    >
      {/* Mounted afresh each time the dialog opens (Dialog renders children only while open). */}
      <PublishForm {...props} onBusy={setBusy} onDone={() => setDone(true)} />
    </Dialog>
  );
}

function PublishForm({ onClose, manifest, errors, onGoTo, onPublished, onBusy, onDone }: PublishDialogProps & { onBusy: (b: boolean) => void; onDone: () => void }) {
  const slug = manifest?.slug ?? "";
  const [looked, setLooked] = useState<{ key: string; existing: Existing } | null>(null);
  const [lookup, setLookup] = useState(0);
  const [versionEdit, setVersionEdit] = useState<string | null>(null);
  const [changelog, setChangelog] = useState("");
  const [visibilityEdit, setVisibilityEdit] = useState<"private" | "public" | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; errors: PanelProblem[] } | null>(null);
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  const ids = { version: useId(), changelog: useId() };
  const key = `${slug}#${lookup}`;

  useEffect(() => {
    if (!slug) return;
    let live = true;
    // Free, reserved or someone else's (a private capability included) first; the page of my own for the bump suggestion.
    apiFetch<SlugAvailability>(`/api/builder/slugs/${encodeURIComponent(slug)}`)
      .then(async (a): Promise<Existing> =>
        a.status === "yours" ? { kind: "mine", detail: await apiFetch<Detail>(`/api/capabilities/${encodeURIComponent(slug)}`) } : a.status === "available" ? { kind: "new" } : { kind: "taken", message: a.message },
      )
      .then((existing) => live && setLooked({ key, existing }))
      .catch((err) => live && setLooked({ key, existing: { kind: "error", message: errorMessage(err) } }));
    return () => {
      live = false;
    };
  }, [slug, key]);
  const existing: Existing = useMemo(() => (looked?.key === key ? looked.existing : { kind: "loading" }), [looked, key]);

  const suggestion = useMemo(() => {
    if (!manifest || existing.kind === "loading") return null;
    const latest =
      existing.kind === "mine" && existing.detail.latestVersion
        ? {
            version: existing.detail.latestVersion,
            shape: { actions: existing.detail.actions, permissions: existing.detail.permissions.map((p) => p.name), configuration: existing.detail.configuration } satisfies BumpShape,
          }
        : null;
    return suggestBump(latest, manifest, manifest.version);
  }, [manifest, existing]);
  const version = versionEdit ?? suggestion?.version ?? "";
  const visibility = visibilityEdit ?? (existing.kind === "mine" ? existing.detail.visibility : "private");

  const blocked = errors.length > 0 || !manifest || existing.kind === "taken" || existing.kind === "loading";
  const canSubmit = !blocked && !busy && changelog.trim().length > 0 && version.trim().length > 0;

  const publish = async () => {
    if (!manifest || !canSubmit) return;
    setBusy(true);
    onBusy(true);
    setFailure(null);
    const m = { ...manifest, version: version.trim() };
    try {
      if (existing.kind === "new") await apiFetch(`/api/capabilities`, { method: "POST", json: { manifest: m } });
      const v = await apiFetch<VersionAnswer>(`/api/capabilities/${encodeURIComponent(slug)}/versions`, {
        method: "POST",
        json: { version: m.version, changelog: changelog.trim(), visibility, manifest: m },
      });
      const o: PublishOutcome = { slug, version: v.version, visibility: v.visibility, reviewState: v.reviewState, approvalId: v.approval?.approvalId ?? null };
      setOutcome(o);
      onDone();
      onPublished(o);
    } catch (err) {
      setFailure({ message: errorMessage(err), errors: err instanceof ApiError ? err.errors : [] });
      // The capability may exist now (created, version refused): look again before a retry.
      if (existing.kind === "new") setLookup((n) => n + 1);
    } finally {
      setBusy(false);
      onBusy(false);
    }
  };

  if (outcome) {
    return (
      <div className="space-y-3">
        {outcome.reviewState === "in_review" ? (
          <Alert tone="warning" title={`${slug} ${outcome.version} is waiting for review`}>
            Public versions are listed once an administrator approves them.{" "}
            {outcome.approvalId && (
              <Link className="font-medium text-accent hover:underline" href={`/approvals?id=${encodeURIComponent(outcome.approvalId)}`}>
                See the approval request
              </Link>
            )}
          </Alert>
        ) : (
          <Alert tone="success" title={`${slug} ${outcome.version} is published (${outcome.visibility})`}>
            {outcome.visibility === "private" ? "Only you can see and install it." : "It is listed in the marketplace."}
          </Alert>
        )}
        <p className="text-[13px]">
          <Link className="font-medium text-accent hover:underline" href={`/marketplace/${encodeURIComponent(slug)}?version=${encodeURIComponent(outcome.version)}`}>
            Open the capability page
          </Link>
        </p>
        <p className="text-[12.5px] text-fg-muted">The draft stays open at version {outcome.version}: keep editing and publish the next version from here.</p>
        <DialogFooter>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </DialogFooter>
      </div>
    );
  }

  return (
    <div className="space-y-5">
      <section aria-label="Validation" className="space-y-1.5">
        <h3 className="text-[13px] font-semibold">Validation</h3>
        <ProblemsList
          problems={errors}
          onGoTo={(p) => {
            onClose();
            onGoTo(p);
          }}
          emptyText="The manifest is valid."
        />
      </section>
      {existing.kind === "loading" && slug && (
        <p className="flex items-center gap-2 text-[12.5px] text-fg-muted">
          <Spinner className="size-3" /> Looking up {slug}…
        </p>
      )}
      {existing.kind === "taken" && <Alert tone="danger" title={`The slug ${slug} cannot be used`}>{existing.message} Change it in Basics.</Alert>}
      {existing.kind === "error" && <Alert tone="danger" title="Could not look up the capability">{existing.message}</Alert>}
      {existing.kind === "new" && <p className="text-[12.5px] text-fg-muted">A new capability: publishing creates {slug} and its first version.</p>}
      {suggestion && existing.kind !== "taken" && (
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <Label htmlFor={ids.version}>Version</Label>
            <Input id={ids.version} className="mt-1.5 font-mono" value={version} onChange={(e) => setVersionEdit(e.target.value.trim())} />
            <FieldMessage
              id={`${ids.version}-m`}
              error={failure?.errors.find((e) => e.path === "version")?.message}
              hint={existing.kind === "mine" && existing.detail.latestVersion ? `Suggested ${suggestion.bump} bump from ${existing.detail.latestVersion}.` : "The first version."}
            />
            <ul className="mt-2 space-y-0.5 text-[12px] text-fg-muted" aria-label="Why this bump">
              {suggestion.reasons.slice(0, 8).map((r, i) => (
                <li key={i}>
                  <span className="font-mono text-[11px] uppercase">{r.bump}</span> · {r.message}
                </li>
              ))}
            </ul>
          </div>
          <fieldset>
            <legend className="text-[13px] font-medium text-fg">Visibility</legend>
            <div className="mt-1.5 space-y-1.5 text-[13px]">
              <label className="flex items-start gap-2">
                <input type="radio" name="visibility" value="private" checked={visibility === "private"} onChange={() => setVisibilityEdit("private")} className="mt-1" />
                <span>
                  Private <span className="block text-[12px] text-fg-muted">Only you see and install it; no review.</span>
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="visibility" value="public" checked={visibility === "public"} onChange={() => setVisibilityEdit("public")} className="mt-1" />
                <span>
                  Public <span className="block text-[12px] text-fg-muted">Listed in the marketplace after an administrator approves it.</span>
                </span>
              </label>
            </div>
          </fieldset>
        </div>
      )}
      <div>
        <Label htmlFor={ids.changelog}>Changelog</Label>
        <textarea
          id={ids.changelog}
          rows={3}
          value={changelog}
          onChange={(e) => setChangelog(e.target.value)}
          placeholder="What changed, for the people who install it."
          className="mt-1.5 block w-full rounded-md border border-border bg-surface px-3 py-2 text-[13px] text-fg placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-ring"
        />
      </div>
      {failure && (
        <Alert tone="danger" title="Not published">
          {failure.message}
          {failure.errors.length > 0 && (
            <ul className="mt-1 list-disc pl-4 text-[12.5px]">
              {failure.errors.map((e, i) => (
                <li key={i}>
                  <span className="font-mono">{e.path}</span>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="primary" onClick={publish} loading={busy} disabled={!canSubmit}>
          Publish
        </Button>
      </DialogFooter>
    </div>
  );
}

"use client";
// Every version the viewer may see, newest first: changelog, content hash (copyable),
// status and review state, security verdict and risk. Owners and admins deprecate, yank
// or restore a version; admins approve or reject one waiting in review.
import Link from "next/link";
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { HashIcon } from "@/components/icons";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Label } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { ReviewDecision } from "./review-decision";
import { SectionTitle } from "./section-title";

type Version = CapabilityDetail["versions"][number];
type StatusChange = { version: string; to: "deprecated" | "yanked" | "published" };

const REVIEW: Record<string, { label: string; tone: BadgeTone }> = {
  in_review: { label: "In review", tone: "warning" },
  approved: { label: "Approved", tone: "success" },
  rejected: { label: "Rejected", tone: "danger" },
  not_required: { label: "Private", tone: "neutral" },
};

export function VersionsTab({ detail, onChanged }: { detail: CapabilityDetail; onChanged: () => void }) {
  const [change, setChange] = useState<StatusChange | null>(null);
  if (detail.versions.length === 0) {
    return <p className="text-[13px] text-fg-muted">No version is published yet.</p>;
  }
  return (
    <section aria-labelledby="versions-title">
      <SectionTitle id="versions-title" description="Published versions are frozen: the content hash is of the canonical manifest and never changes. Installations stay on their exact version until someone upgrades them.">
        Versions
      </SectionTitle>
      <ol className="space-y-3">
        {detail.versions.map((v) => (
          <VersionItem key={v.version} v={v} detail={detail} onChange={setChange} onChanged={onChanged} />
        ))}
      </ol>
      <StatusDialog change={change} slug={detail.slug} onClose={() => setChange(null)} onDone={onChanged} />
    </section>
  );
}

function VersionItem({ v, detail, onChange, onChanged }: { v: Version; detail: CapabilityDetail; onChange: (c: StatusChange) => void; onChanged: () => void }) {
  const shown = detail.version?.version === v.version;
  const review = REVIEW[v.reviewState] ?? { label: v.reviewState, tone: "neutral" as const };
  return (
    <li data-testid={`version-${v.version}`} data-status={v.status} data-review={v.reviewState} className={cx("rounded-xl border bg-surface shadow-card", shown ? "border-accent/40 ring-1 ring-accent/20" : "border-border", v.status === "yanked" && "bg-surface-2/60")}>
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3">
        <Link href={`/marketplace/${detail.slug}?version=${encodeURIComponent(v.version)}&tab=versions`} className={cx("font-mono text-[14px] font-semibold hover:underline", v.status === "yanked" ? "text-fg-muted line-through" : "text-fg")}>
          {v.version}
        </Link>
        {v.version === detail.latestVersion && <Badge tone="accent">Latest</Badge>}
        {shown && <Badge tone="info">Viewing</Badge>}
        {v.status === "deprecated" && <Badge tone="warning">Deprecated</Badge>}
        {v.status === "yanked" && <Badge tone="danger">Yanked</Badge>}
        <Badge tone={review.tone} dot>
          {review.label}
        </Badge>
        <Badge tone={v.verdict === "clean" ? "success" : "warning"}>{v.verdict === "clean" ? "Clean" : "Warnings"}</Badge>
        <RiskBadge risk={v.risk} />
        <span className="ml-auto text-[12.5px] text-fg-subtle">
          <RelativeTime iso={v.publishedAt} />
        </span>
      </div>
      <p className="px-4 pt-2 text-[13.5px] leading-relaxed whitespace-pre-line text-fg">{v.changelog}</p>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2 border-t border-border px-4 py-2.5">
        <div className="flex min-w-0 items-center gap-1.5">
          <HashIcon className="size-3.5 shrink-0 text-fg-subtle" />
          <code className="truncate font-mono text-[11.5px] text-fg-muted" title={v.contentHash} data-testid="content-hash">
            {v.contentHash}
          </code>
          <CopyButton value={v.contentHash} size="xs" variant="ghost" label="Copy" />
        </div>
        <div className="flex items-center gap-1.5">
          {detail.viewer.isAdmin && v.reviewState === "in_review" && <ReviewDecision slug={detail.slug} version={v.version} onDecided={onChanged} size="xs" />}
          {detail.viewer.canEdit && v.status === "published" && (
            <Button size="xs" variant="ghost" onClick={() => onChange({ version: v.version, to: "deprecated" })} data-testid={`deprecate-${v.version}`}>
              Deprecate
            </Button>
          )}
          {detail.viewer.canEdit && v.status !== "yanked" && (
            <Button size="xs" variant="danger-ghost" onClick={() => onChange({ version: v.version, to: "yanked" })} data-testid={`yank-${v.version}`}>
              Yank
            </Button>
          )}
          {detail.viewer.canEdit && v.status !== "published" && (
            <Button size="xs" variant="ghost" onClick={() => onChange({ version: v.version, to: "published" })} data-testid={`restore-${v.version}`}>
              Restore
            </Button>
          )}
        </div>
      </div>
    </li>
  );
}

const COPY: Record<StatusChange["to"], { title: string; body: string; button: string; done: string }> = {
  deprecated: {
    title: "Deprecate version",
    body: "It still installs and keeps working, but people are told to prefer another version.",
    button: "Deprecate",
    done: "deprecated",
  },
  yanked: {
    title: "Yank version",
    body: "Nobody can install it any more. Agents that have it keep running it and are flagged, so their owners know to upgrade.",
    button: "Yank version",
    done: "yanked",
  },
  published: { title: "Restore version", body: "It becomes installable again, as it was.", button: "Restore", done: "restored" },
};

function StatusDialog({ change, slug, onClose, onDone }: { change: StatusChange | null; slug: string; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const copy = change ? COPY[change.to] : null;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!change) return;
    setPending(true);
    setError(null);
    try {
      await apiFetch(`/api/capabilities/${encodeURIComponent(slug)}/versions/${encodeURIComponent(change.version)}`, { method: "PATCH", json: { status: change.to, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      toast.success(`Version ${change.version} ${COPY[change.to].done}`);
      setReason("");
      onClose();
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? errorMessage(err) : "Something went wrong. Please try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={!!change} onClose={onClose} dismissible={!pending} title={copy && change ? `${copy.title} ${change.version}` : ""} description={copy?.body} size="sm">
      <form onSubmit={submit} noValidate>
        {error && <Alert tone="danger" className="mb-3">{error}</Alert>}
        <Label htmlFor="status-reason" className="mb-1.5">
          Reason <span className="font-normal text-fg-subtle">(optional, recorded in the audit log)</span>
        </Label>
        <textarea id="status-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} className={`${controlClasses} py-2`} maxLength={2000} />
        <DialogFooter>
          <Button variant="ghost" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant={change?.to === "yanked" ? "danger" : "primary"} loading={pending} data-testid="version-status-submit">
            {copy?.button}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

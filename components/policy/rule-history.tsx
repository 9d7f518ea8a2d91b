"use client";
// The versions of the organisation's rules, newest first: who saved each, when, why, and
// how many rules it held. "View" opens a version's YAML and its rules; admins can restore
// it, which saves its YAML as a new version (history is never rewritten).
import { useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import type { RuleSet, RuleSetVersionSummary } from "@/lib/policy/rule-store";
import { RuleCard } from "./rule-card";
import { YamlEditor } from "./yaml-editor";

export interface HistoryPage {
  items: RuleSetVersionSummary[];
  nextCursor: string | null;
}

export function authorName(author: RuleSet["author"], createdBy: string | null): string {
  if (author) return author.name || author.email;
  return createdBy ? createdBy : "the system";
}

export function RuleHistory({
  history,
  currentVersion,
  loadingMore,
  onLoadMore,
  canRestore,
  restoreBlockedReason,
  onRestore,
}: {
  history: HistoryPage;
  currentVersion: number;
  loadingMore: boolean;
  onLoadMore: () => void;
  canRestore: boolean;
  /** Why restoring is not possible right now (e.g. unsaved edits), or null. */
  restoreBlockedReason: string | null;
  onRestore: (set: RuleSet) => Promise<boolean>;
}) {
  const [viewing, setViewing] = useState<number | null>(null);
  if (history.items.length === 0) {
    return <p className="text-[13px] text-fg-muted">No version saved yet. The first save becomes version 1.</p>;
  }
  return (
    <>
      <ol className="divide-y divide-border" aria-label="Rule versions, newest first" data-testid="rule-history">
        {history.items.map((v) => (
          <li key={v.version} className="flex items-start gap-3 py-2.5 first:pt-0 last:pb-0">
            <span className="mt-0.5 font-mono text-[12.5px] font-semibold text-fg tabular-nums">v{v.version}</span>
            <div className="min-w-0 flex-1">
              <p className="text-[13px] break-words text-fg">{v.comment ?? <span className="text-fg-subtle">No comment</span>}</p>
              <p className="mt-0.5 text-[12px] text-fg-subtle">
                {authorName(v.author, v.createdBy)} · <RelativeTime iso={v.createdAt} /> · {v.ruleCount} rule{v.ruleCount === 1 ? "" : "s"}
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-1.5">
              {v.version === currentVersion && <Badge tone="accent">In force</Badge>}
              <Button size="xs" variant="ghost" onClick={() => setViewing(v.version)} aria-label={`View version ${v.version}`}>
                View
              </Button>
            </div>
          </li>
        ))}
      </ol>
      {history.nextCursor && (
        <Button size="sm" variant="secondary" className="mt-3 w-full" onClick={onLoadMore} loading={loadingMore}>
          Load older versions
        </Button>
      )}
      <VersionDialog
        version={viewing}
        currentVersion={currentVersion}
        onClose={() => setViewing(null)}
        canRestore={canRestore}
        restoreBlockedReason={restoreBlockedReason}
        onRestore={async (set) => {
          const ok = await onRestore(set);
          if (ok) setViewing(null);
        }}
      />
    </>
  );
}

function VersionDialog({
  version,
  currentVersion,
  onClose,
  canRestore,
  restoreBlockedReason,
  onRestore,
}: {
  version: number | null;
  currentVersion: number;
  onClose: () => void;
  canRestore: boolean;
  restoreBlockedReason: string | null;
  onRestore: (set: RuleSet) => Promise<void>;
}) {
  return (
    <Dialog open={version !== null} onClose={onClose} size="lg" title={version !== null ? `Version ${version}` : "Version"} data-testid="rule-version-dialog">
      {version !== null && <VersionBody key={version} version={version} currentVersion={currentVersion} canRestore={canRestore} restoreBlockedReason={restoreBlockedReason} onRestore={onRestore} />}
    </Dialog>
  );
}

function VersionBody({ version, currentVersion, canRestore, restoreBlockedReason, onRestore }: { version: number; currentVersion: number; canRestore: boolean; restoreBlockedReason: string | null; onRestore: (set: RuleSet) => Promise<void> }) {
  const [state, setState] = useState<{ status: "loading" } | { status: "error"; message: string } | { status: "ready"; set: RuleSet }>({ status: "loading" });
  const [restoring, setRestoring] = useState(false);
  const [tab, setTab] = useState<"rules" | "yaml">("rules");

  useEffect(() => {
    let cancelled = false;
    apiFetch<RuleSet>(`/api/policy/rules/versions/${version}`)
      .then((set) => !cancelled && setState({ status: "ready", set }))
      .catch((err: unknown) => !cancelled && setState({ status: "error", message: errorMessage(err) }));
    return () => {
      cancelled = true;
    };
  }, [version]);

  if (state.status === "loading") {
    return (
      <div className="space-y-2" aria-busy="true">
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  }
  if (state.status === "error") return <Alert tone="danger">{state.message}</Alert>;
  const set = state.set;
  const isCurrent = set.version === currentVersion;
  return (
    <div>
      <p className="text-[13px] text-fg-muted">
        Saved by {authorName(set.author, set.createdBy)}
        {set.createdAt && (
          <>
            {" "}
            · <RelativeTime iso={set.createdAt} />
          </>
        )}
        {set.comment && <> · “{set.comment}”</>}
      </p>
      <div role="group" aria-label="Show the version as" className="mt-3 inline-flex rounded-lg border border-border bg-surface-2 p-0.5 text-[12.5px]">
        {(["rules", "yaml"] as const).map((t) => (
          <button
            key={t}
            type="button"
            aria-pressed={tab === t}
            onClick={() => setTab(t)}
            className={tab === t ? "rounded-md bg-surface px-2.5 py-1 font-medium text-fg shadow-card" : "rounded-md px-2.5 py-1 text-fg-muted hover:text-fg"}
          >
            {t === "rules" ? `Rules (${set.rules.length})` : "YAML"}
          </button>
        ))}
      </div>
      <div className="mt-3">
        {tab === "rules" ? (
          set.rules.length ? (
            <ol className="space-y-3">
              {set.rules.map((r, i) => (
                <li key={r.id}>
                  <RuleCard rule={r} index={i} />
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-[13px] text-fg-muted">No rules: the defaults by security level applied.</p>
          )
        ) : (
          <YamlEditor id={`version-${version}-yaml`} aria-label={`YAML of version ${version}`} value={set.yaml} onChange={() => {}} readOnly minRows={6} maxRows={20} />
        )}
      </div>
      {canRestore && !isCurrent && (
        <div className="mt-4 flex flex-wrap items-center justify-end gap-3 border-t border-border pt-4">
          {restoreBlockedReason && <p className="text-[12.5px] text-fg-muted">{restoreBlockedReason}</p>}
          <Button
            variant="primary"
            loading={restoring}
            disabled={!!restoreBlockedReason}
            onClick={async () => {
              setRestoring(true);
              try {
                await onRestore(set);
              } finally {
                setRestoring(false);
              }
            }}
          >
            Restore as version {currentVersion + 1}
          </Button>
        </div>
      )}
      {isCurrent && <p className="mt-4 text-[12.5px] text-fg-subtle">This version is in force.</p>}
    </div>
  );
}

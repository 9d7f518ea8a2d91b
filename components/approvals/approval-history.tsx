"use client";
// An approval's decision history, from its own event stream (approval/<id>): requested,
// every hold with its note, the approve or deny with its comment, the expiry. Re-read
// whenever the approval changes (the caller passes a version key), so a decision made
// elsewhere shows up here too. Read-only; the full chain is in the timeline.
import { useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { actorLabel, type EventRecord, type PeopleDirectory } from "@/components/events/event-format";
import { EventIcon } from "@/components/events/event-icon";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";

const str = (v: unknown) => (typeof v === "string" ? v : "");

function describe(e: EventRecord): { title: string; tone: "neutral" | "success" | "danger" | "warning" | "info"; comment: string | null } {
  const d = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
  const comment = str(d.comment) || null;
  switch (e.type) {
    case "approval.requested":
      return { title: `Requested · ${str(d.securityLevel) || "needs approval"}`, tone: "info", comment: null };
    case "approval.decided":
      if (d.decision === "approve") return { title: "Approved", tone: "success", comment };
      if (d.decision === "deny") return { title: "Denied", tone: "danger", comment };
      return { title: "Put on hold", tone: "warning", comment };
    case "approval.expired":
      return { title: "Expired without a decision", tone: "neutral", comment: null };
    default:
      return { title: e.type, tone: "neutral", comment: null };
  }
}

export function ApprovalHistory({ approvalId, version, people }: { approvalId: string; version: string; people: PeopleDirectory }) {
  const [state, setState] = useState<{ key: string; items: EventRecord[] | null; error: string | null }>({ key: "", items: null, error: null });
  const key = `${approvalId}|${version}`;

  useEffect(() => {
    let cancelled = false;
    const params = new URLSearchParams({ streamType: "approval", streamId: approvalId, limit: "100" });
    apiFetch<{ items: EventRecord[] }>(`/api/events?${params}`)
      .then((page) => {
        if (!cancelled) setState({ key, items: [...page.items].sort((a, b) => a.seq - b.seq), error: null });
      })
      .catch((err: unknown) => {
        if (!cancelled) setState((s) => ({ key, items: s.key.startsWith(`${approvalId}|`) ? s.items : null, error: errorMessage(err) }));
      });
    return () => {
      cancelled = true;
    };
  }, [approvalId, key]);

  // What was read for an earlier version of the same approval stays until the new read lands.
  const items = state.key.startsWith(`${approvalId}|`) ? state.items : null;
  if (!items) {
    if (state.error && state.key === key) return <p className="text-[12.5px] text-fg-subtle">The history could not be read: {state.error}</p>;
    return (
      <div className="space-y-2" aria-busy>
        <Skeleton className="h-8 w-full" />
        <Skeleton className="h-8 w-2/3" />
      </div>
    );
  }
  if (items.length === 0) return <p className="text-[12.5px] text-fg-subtle">No events recorded for this request yet.</p>;
  return (
    <ol className="space-y-2.5" data-testid="approval-history">
      {items.map((e) => {
        const meta = describe(e);
        return (
          <li key={e.seq} className="flex items-start gap-2.5" data-testid="approval-history-item" data-type={e.type}>
            <EventIcon type={e.type} severity={e.severity} className="size-6" />
            <div className="min-w-0 flex-1 text-[12.5px]">
              <p className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
                <Badge tone={meta.tone}>{meta.title}</Badge>
                <span className="text-fg-muted">by {actorLabel(e.actor, people)}</span>
                <span aria-hidden className="text-fg-subtle">
                  ·
                </span>
                <RelativeTime iso={e.createdAt} className="text-fg-subtle" />
              </p>
              {meta.comment && <p className="mt-1 rounded-md bg-surface-2 px-2.5 py-1.5 break-words whitespace-pre-wrap text-fg">“{meta.comment}”</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

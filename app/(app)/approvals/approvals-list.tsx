"use client";
// The inbox's rows: what is asked (capability.action or install/upgrade/publish), for which
// agent, by whom, the security level, the status (held marked), how old it is and how long
// it has left before it expires. A row selects the request; new rows flash briefly.
import { SecurityLevelBadge, ApprovalStatusBadge, HeldBadge } from "@/components/approvals/approval-badges";
import { approvalTitle, EXPIRY_WARNING_MS, kindLabel, requesterLabel, timeLeft } from "@/components/approvals/approval-format";
import type { ApprovalView } from "@/components/approvals/approval-types";
import { BotIcon, ClockIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { RelativeTime, useNow } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";

export function ApprovalsList({ items, selectedId, fresh, onSelect }: { items: ApprovalView[]; selectedId: string | null; fresh: ReadonlySet<string>; onSelect: (id: string) => void }) {
  return (
    <ul className="divide-y divide-border" data-testid="approval-list" aria-label="Approval requests">
      {items.map((a) => {
        const selected = a.id === selectedId;
        return (
          <li key={a.id}>
            <button
              type="button"
              onClick={() => onSelect(a.id)}
              aria-current={selected ? "true" : undefined}
              data-testid="approval-row"
              data-approval-id={a.id}
              data-status={a.status}
              data-selected={selected || undefined}
              className={cx(
                "relative block w-full px-4 py-3 text-left transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:ring-inset",
                selected ? "bg-accent-soft/60" : "hover:bg-surface-2/70",
                fresh.has(a.id) && !selected && "animate-fade-in bg-info-soft/40",
              )}
            >
              {selected && <span aria-hidden className="absolute inset-y-0 left-0 w-0.5 bg-accent" />}
              <div className="flex items-start justify-between gap-3">
                <p className={cx("min-w-0 truncate font-mono text-[13px] font-semibold", a.status === "pending" ? "text-fg" : "text-fg-muted")}>{approvalTitle(a)}</p>
                <SecurityLevelBadge level={a.securityLevel} />
              </div>
              <p className="mt-1 flex min-w-0 flex-wrap items-center gap-x-1.5 gap-y-0.5 text-[12px] text-fg-muted">
                {a.kind !== "invoke" && <Badge>{kindLabel(a.kind)}</Badge>}
                {a.agent && (
                  <span className="inline-flex min-w-0 items-center gap-1">
                    <BotIcon className="size-3 text-fg-subtle" />
                    <span className="truncate">{a.agent.name ?? a.agent.id}</span>
                  </span>
                )}
                {a.agent && <span aria-hidden>·</span>}
                <span className="truncate">{requesterLabel(a.requester)}</span>
              </p>
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-[11.5px] text-fg-subtle">
                <ApprovalStatusBadge status={a.status} />
                {a.held && a.status === "pending" && <HeldBadge note={a.note} />}
                <RelativeTime iso={a.createdAt} />
                {a.status === "pending" && <TimeLeft expiresAt={a.expiresAt} />}
              </div>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function TimeLeft({ expiresAt }: { expiresAt: string }) {
  const now = useNow();
  if (now === null) return null;
  const left = timeLeft(expiresAt, now);
  const soon = Date.parse(expiresAt) - now < EXPIRY_WARNING_MS;
  return (
    <span className={cx("inline-flex items-center gap-1", soon ? "font-medium text-warning" : "")} data-testid="approval-time-left">
      <span aria-hidden>·</span>
      <ClockIcon className="size-3" />
      {left ?? "expiring"}
    </span>
  );
}

export function ApprovalsListSkeleton() {
  return (
    <div className="divide-y divide-border" aria-hidden>
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="px-4 py-3">
          <div className="flex justify-between gap-3">
            <Skeleton className="h-4 w-2/5" />
            <Skeleton className="h-4 w-20" />
          </div>
          <Skeleton className="mt-2 h-3 w-3/5" />
          <Skeleton className="mt-2 h-3 w-1/3" />
        </div>
      ))}
    </div>
  );
}

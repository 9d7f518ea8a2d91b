"use client";
// The executions list: one row per invocation with its status, `capability.action`, agent,
// duration, when it started and its correlation id. The action is the row's link (the
// whole row is its click target); the agent link sits above it.
import Link from "next/link";
import { actionLabel, formatDuration } from "@/components/executions/execution-format";
import { StatusBadge } from "@/components/executions/status-badge";
import { shortId } from "@/components/events/event-format";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import type { ExecutionSummary } from "@/lib/execution/records/execution-record";

const GRID = "grid grid-cols-[7.5rem_minmax(0,1fr)] gap-x-4 gap-y-1 md:grid-cols-[8rem_minmax(0,2fr)_minmax(0,1fr)_5.5rem_6.5rem_9rem]";

export function ExecutionsTable({ items, fresh }: { items: ExecutionSummary[]; fresh: ReadonlySet<string> }) {
  return (
    <div role="table" aria-label="Executions" aria-rowcount={items.length + 1}>
      <div role="row" className={cx(GRID, "hidden border-b border-border bg-surface-2/60 px-5 py-2 text-xs font-medium text-fg-subtle md:grid")}>
        <span role="columnheader">Status</span>
        <span role="columnheader">Action</span>
        <span role="columnheader">Agent</span>
        <span role="columnheader" className="text-right">Duration</span>
        <span role="columnheader">Started</span>
        <span role="columnheader">Correlation</span>
      </div>
      <ul role="rowgroup" className="divide-y divide-border" data-testid="execution-list">
        {items.map((e) => (
          <li
            key={e.id}
            role="row"
            data-testid="execution-row"
            data-execution-id={e.id}
            data-status={e.status}
            className={cx(GRID, "relative items-center px-5 py-2.5 text-[13px] hover:bg-surface-2/70 focus-within:bg-surface-2/70", fresh.has(e.id) && "animate-flash")}
          >
            <span role="cell">
              <StatusBadge status={e.status} />
            </span>
            <span role="cell" className="min-w-0">
              <Link
                href={`/executions/${encodeURIComponent(e.id)}`}
                className="flex min-w-0 items-center gap-2 rounded outline-none after:absolute after:inset-0 focus-visible:ring-2 focus-visible:ring-ring"
                data-testid="execution-link"
              >
                <span aria-hidden className="shrink-0 text-[15px] leading-none">
                  {e.capability.icon ?? "🧩"}
                </span>
                <span className="truncate font-mono text-[12.5px] font-medium text-fg">{actionLabel(e)}</span>
                {e.version && <span className="hidden shrink-0 font-mono text-[11px] text-fg-subtle lg:inline">v{e.version}</span>}
              </Link>
              {e.error && (
                <span className="mt-0.5 block truncate text-[12px] text-danger" title={e.error.message}>
                  {e.error.step ? `step ${e.error.step}: ` : ""}
                  {e.error.message || e.error.code}
                </span>
              )}
            </span>
            <span role="cell" className="col-start-2 min-w-0 truncate text-fg-muted md:col-start-auto">
              <Link href={`/agents/${encodeURIComponent(e.agent.id)}`} className="relative z-10 hover:text-accent hover:underline">
                {e.agent.name ?? shortId(e.agent.id)}
              </Link>
            </span>
            <span role="cell" className="col-start-2 text-fg-muted tabular-nums md:col-start-auto md:text-right" data-testid="execution-duration">
              {e.status === "queued" ? "waiting" : formatDuration(e.durationMs)}
            </span>
            <span role="cell" className="col-start-2 text-fg-subtle md:col-start-auto">
              <RelativeTime iso={e.startedAt ?? e.createdAt} />
            </span>
            <span role="cell" className="col-start-2 hidden truncate font-mono text-[11.5px] text-fg-subtle md:col-start-auto md:block" title={e.correlationId}>
              {shortId(e.correlationId)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ExecutionsTableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div aria-label="Loading executions" role="status" data-testid="executions-loading">
      <div className="hidden h-[33px] border-b border-border bg-surface-2/60 md:block" />
      <ul className="divide-y divide-border">
        {Array.from({ length: rows }, (_, i) => (
          <li key={i} className={cx(GRID, "items-center px-5 py-3")}>
            <Skeleton className="h-5 w-20" />
            <Skeleton className="h-4 w-56 max-w-full" />
            <Skeleton className="hidden h-4 w-28 md:block" />
            <Skeleton className="ml-auto hidden h-4 w-12 md:block" />
            <Skeleton className="hidden h-4 w-16 md:block" />
            <Skeleton className="hidden h-4 w-24 md:block" />
          </li>
        ))}
      </ul>
    </div>
  );
}

// Pieces of an execution's record shown on its page and for each workflow step: the error
// (code, message, plugin line:column, failed step), the resources it used, and its outbound
// HTTP requests. Values come from the engine's rows and are shown as text only.
import type { ReactNode } from "react";
import type { ExecutionError } from "@/lib/execution/types";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { formatBytes, formatDuration } from "./execution-format";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export function ErrorSummary({ error, onStep, className }: { error: ExecutionError; onStep?: (step: string) => void; className?: string }) {
  return (
    <div role="alert" data-testid="execution-error" data-code={error.code} className={cx("rounded-lg border border-danger/25 bg-danger-soft px-3.5 py-3", className)}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="danger" mono>
          {error.code}
        </Badge>
        {error.step && (
          <span className="text-[12.5px] text-fg-muted">
            failed at step{" "}
            {onStep ? (
              <button type="button" className="font-mono font-medium text-danger underline-offset-2 hover:underline" onClick={() => onStep(error.step!)} data-testid="error-step">
                {error.step}
              </button>
            ) : (
              <code className="font-mono font-medium text-danger" data-testid="error-step">
                {error.step}
              </code>
            )}
          </span>
        )}
        {error.line !== undefined && (
          <span className="font-mono text-[12px] text-fg-muted" data-testid="error-position">
            line {error.line}
            {error.column !== undefined ? `:${error.column}` : ""}
          </span>
        )}
      </div>
      {error.message && <p className="mt-1.5 text-[13px] break-words whitespace-pre-wrap text-fg" data-testid="execution-error-message">{error.message}</p>}
    </div>
  );
}

export function ResourcesList({ resources, queueMs, timeoutMs }: { resources: Record<string, unknown>; queueMs?: number | null; timeoutMs?: number }) {
  const wall = num(resources.wallMs);
  const items: [string, ReactNode, string?][] = [
    ["Wall time", formatDuration(wall), timeoutMs ? `of a ${formatDuration(timeoutMs)} budget` : undefined],
    ["CPU time", formatDuration(num(resources.cpuMs))],
    ["Heap used", formatBytes(num(resources.heapBytes))],
    ["Network calls", String(num(resources.networkCalls) ?? 0)],
    ["Queue wait", formatDuration(queueMs ?? num(resources.queueMs))],
  ];
  return (
    <dl data-testid="execution-resources" className="grid grid-cols-2 gap-x-4 gap-y-3 text-[12.5px] sm:grid-cols-3 lg:grid-cols-5">
      {items.map(([label, value, hint]) => (
        <div key={label}>
          <dt className="text-fg-subtle">{label}</dt>
          <dd className="mt-0.5 text-[15px] font-semibold tracking-tight text-fg tabular-nums">{value}</dd>
          {hint && <dd className="text-[11.5px] text-fg-subtle">{hint}</dd>}
        </div>
      ))}
    </dl>
  );
}

interface RequestRow {
  method: string;
  url: string;
  status: number | null;
  ms: number | null;
  error: string | null;
}

function toRequestRow(v: unknown): RequestRow {
  const r = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
  return {
    method: typeof r.method === "string" ? r.method : "?",
    url: typeof r.url === "string" ? r.url : "",
    status: num(r.status) ?? null,
    ms: num(r.ms) ?? null,
    error: typeof r.error === "string" ? r.error : null,
  };
}

export function RequestsTable({ requests }: { requests: unknown[] }) {
  if (requests.length === 0) return <p className="text-[12.5px] text-fg-subtle">No outbound requests.</p>;
  const rows = requests.map(toRequestRow);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[12.5px]" data-testid="execution-requests">
        <thead className="border-b border-border text-xs text-fg-subtle">
          <tr>
            <th scope="col" className="py-1.5 pr-3 font-medium">Method</th>
            <th scope="col" className="py-1.5 pr-3 font-medium">URL</th>
            <th scope="col" className="py-1.5 pr-3 font-medium">Status</th>
            <th scope="col" className="py-1.5 text-right font-medium">Time</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {rows.map((r, i) => (
            <tr key={i} className="align-top">
              <td className="py-1.5 pr-3 font-mono font-medium text-fg">{r.method}</td>
              <td className="max-w-[28rem] py-1.5 pr-3 font-mono break-all text-fg-muted">{r.url}</td>
              <td className="py-1.5 pr-3">
                {r.error ? (
                  <Badge tone="danger" mono title="Refused or failed before an answer">
                    {r.error}
                  </Badge>
                ) : r.status === null ? (
                  <span className="text-fg-subtle">—</span>
                ) : (
                  <Badge tone={r.status < 300 ? "success" : r.status < 400 ? "info" : r.status < 500 ? "warning" : "danger"} mono>
                    {r.status}
                  </Badge>
                )}
              </td>
              <td className="py-1.5 text-right text-fg-muted tabular-nums">{formatDuration(r.ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

"use client";
// The selected workflow step: its state, attempts and duration, how a failure was handled,
// why it did not run, and from its own execution record the input it got, the output it
// gave, its error, logs, resources and requests.
import Link from "next/link";
import { formatDuration, statusMeta } from "@/components/executions/execution-format";
import { ErrorSummary, RequestsTable, ResourcesList } from "@/components/executions/execution-parts";
import { JsonBlock } from "@/components/executions/json-block";
import { LogView } from "@/components/executions/log-view";
import { StatusBadge } from "@/components/executions/status-badge";
import { XIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ExecutionStepRecord } from "@/lib/execution/records/execution-record";
import type { StepGraphNode } from "@/lib/execution/records/step-graph";

const HANDLED: Record<string, string> = {
  continue: "Its failure was recorded and the workflow went on (on_error: continue); steps after it saw no output.",
  fallback: "It failed, and the workflow used the step's fallback value as its output (on_error: fallback).",
};

export function StepPanel({ node, record, onClose }: { node: StepGraphNode; record: ExecutionStepRecord | null; onClose: () => void }) {
  const hasLogs = record && (!Array.isArray(record.logs) || record.logs.length > 0);
  return (
    <section aria-label={`Step ${node.id}`} data-testid="step-panel" data-step={node.id} className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="font-mono text-[15px] font-semibold text-fg">{node.id}</h3>
            <StatusBadge status={node.state} />
            {node.builtin && <Badge>built-in</Badge>}
            {node.attempts > 1 && <Badge tone="warning">{node.attempts} attempts</Badge>}
          </div>
          <p className="mt-0.5 text-[12.5px] text-fg-muted">
            <code className="font-mono">{node.action}</code>
            {node.durationMs !== null && <> · {formatDuration(node.durationMs)}</>}
            {node.dependsOn.length > 0 && (
              <>
                {" "}
                · after <code className="font-mono">{node.dependsOn.join(", ")}</code>
              </>
            )}
            {node.condition && (
              <>
                {" "}
                · if <code className="font-mono">{node.condition}</code>
              </>
            )}
          </p>
        </div>
        <div className="flex items-center gap-1.5">
          {record && (
            <Link href={`/executions/${encodeURIComponent(record.id)}`} className="text-[12.5px] font-medium text-accent hover:underline" data-testid="step-record-link">
              Step record →
            </Link>
          )}
          <Button size="xs" variant="ghost" icon={<XIcon className="size-3.5" />} onClick={onClose} aria-label="Close the step details">
            Close
          </Button>
        </div>
      </div>

      {node.handled && HANDLED[node.handled] && <p className="mt-3 rounded-md border border-warning/25 bg-warning-soft px-3 py-2 text-[12.5px] text-fg-muted">{HANDLED[node.handled]}</p>}

      {!record ? (
        <p className="mt-3 text-[13px] text-fg-muted" data-testid="step-not-run">
          {node.state === "skipped"
            ? `Skipped: ${node.skipReason ?? "its condition was false or a step it needs did not run"}.`
            : node.state === "running"
              ? "Running now…"
              : node.state === "pending"
                ? "Waiting for the steps it depends on."
                : `${statusMeta(node.state).label}: the workflow ended before this step started.`}
        </p>
      ) : (
        <div className="mt-3 space-y-4">
          {record.error && <ErrorSummary error={record.error} />}
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="min-w-0">
              <p className="mb-1.5 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Input</p>
              <JsonBlock value={record.input} testId="step-input" empty="(no input)" />
            </div>
            <div className="min-w-0">
              <p className="mb-1.5 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Output</p>
              <JsonBlock value={record.output} testId="step-output" empty="(no output)" />
            </div>
          </div>
          {hasLogs && (
            <div>
              <p className="mb-1.5 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Logs</p>
              <LogView logs={record.logs} testId="step-logs" />
            </div>
          )}
          <ResourcesList resources={record.resources} />
          {record.requests.length > 0 && <RequestsTable requests={record.requests} />}
        </div>
      )}
    </section>
  );
}

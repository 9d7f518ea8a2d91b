"use client";
// One test run's answer: status, output (pretty JSON), the error with its line and column
// (code) or its failing step (visual), every workflow step, the logs and the resources.
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import type { TestRunResult } from "@/lib/builder/test/run-types";

export function prettyJson(v: unknown): string {
  if (v === undefined) return "undefined";
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const STEP_TONES: Record<string, BadgeTone> = { succeeded: "success", skipped: "neutral", failed: "danger", timed_out: "warning", killed_memory: "danger", denied: "security" };

export function RunResult({ result, onShowStep }: { result: TestRunResult; onShowStep?: (stepId: string) => void }) {
  const r = result.resources;
  const where = result.error?.line !== undefined ? `line ${result.error.line}${result.error.column !== undefined ? `, column ${result.error.column}` : ""}` : null;
  const steps = result.steps ? Object.entries(result.steps) : [];
  return (
    <div className="space-y-4" data-testid="test-result">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.ok ? "success" : "danger"} dot>
          <span data-testid="test-status">{result.ok ? "Succeeded" : "Failed"}</span>
        </Badge>
        {result.matchesExpected !== undefined && <Badge tone={result.matchesExpected ? "success" : "warning"}>{result.matchesExpected ? "Matches the example" : "Differs from the example"}</Badge>}
        <dl className="ml-auto flex flex-wrap gap-x-4 gap-y-1 text-[12px] text-fg-muted" aria-label="Resources" data-testid="test-resources">
          <div className="flex gap-1">
            <dt>Wall</dt>
            <dd className="font-mono text-fg">{Math.round(r.wallMs)} ms</dd>
          </div>
          {r.cpuMs !== undefined && (
            <div className="flex gap-1">
              <dt>CPU</dt>
              <dd className="font-mono text-fg">{Math.round(r.cpuMs)} ms</dd>
            </div>
          )}
          <div className="flex gap-1">
            <dt>Network calls</dt>
            <dd className="font-mono text-fg">{r.networkCalls}</dd>
          </div>
          {r.heapBytes !== undefined && r.heapBytes > 0 && (
            <div className="flex gap-1">
              <dt>Memory</dt>
              <dd className="font-mono text-fg">{formatBytes(r.heapBytes)}</dd>
            </div>
          )}
        </dl>
      </div>

      {result.error && (
        <Alert tone="danger" title={<span className="font-mono text-[12.5px]">{result.error.code}</span>} data-testid="test-error">
          <p className="break-words whitespace-pre-wrap">{result.error.message}</p>
          {where && (
            <p className="mt-1 font-medium text-danger" data-testid="test-error-location">
              At {where}
            </p>
          )}
          {result.failedStep && (
            <p className="mt-1">
              Failing node:{" "}
              {onShowStep ? (
                <button type="button" className="font-mono font-medium text-danger underline underline-offset-2" onClick={() => onShowStep(result.failedStep!)}>
                  {result.failedStep}
                </button>
              ) : (
                <span className="font-mono font-medium">{result.failedStep}</span>
              )}
            </p>
          )}
        </Alert>
      )}

      {result.ok && (
        <section aria-label="Output">
          <div className="mb-1.5 flex items-center justify-between">
            <h4 className="text-[12.5px] font-semibold tracking-wide text-fg-muted uppercase">Output</h4>
            <CopyButton value={prettyJson(result.output)} label="Copy output" size="xs" variant="ghost" />
          </div>
          <pre className="max-h-80 overflow-auto rounded-lg border border-border bg-surface-2 p-3 font-mono text-[12.5px] leading-relaxed text-fg" data-testid="test-output">
            {prettyJson(result.output)}
          </pre>
        </section>
      )}

      {steps.length > 0 && (
        <section aria-label="Steps">
          <h4 className="mb-1.5 text-[12.5px] font-semibold tracking-wide text-fg-muted uppercase">Steps</h4>
          <ol className="divide-y divide-border rounded-lg border border-border">
            {steps.map(([id, s]) => (
              <li key={id} className="flex flex-wrap items-center gap-2 px-3 py-2 text-[12.5px]" data-testid={`test-step-${id}`}>
                <span className="font-mono font-medium text-fg">{id}</span>
                <Badge tone={STEP_TONES[s.status] ?? "neutral"}>{s.status}</Badge>
                {s.error && <span className="min-w-0 flex-1 truncate text-danger" title={s.error.message}>{s.error.message}</span>}
                {!s.error && s.output !== undefined && <code className="min-w-0 flex-1 truncate text-fg-muted">{JSON.stringify(s.output)}</code>}
              </li>
            ))}
          </ol>
        </section>
      )}

      <section aria-label="Logs">
        <h4 className="mb-1.5 text-[12.5px] font-semibold tracking-wide text-fg-muted uppercase">Logs</h4>
        {result.logs.length ? (
          <pre className="max-h-60 overflow-auto rounded-lg border border-border bg-surface-2 p-3 font-mono text-[12px] leading-relaxed text-fg-muted" data-testid="test-logs">
            {result.logs.join("\n")}
          </pre>
        ) : (
          <p className="text-[12.5px] text-fg-subtle">No log lines.</p>
        )}
      </section>
    </div>
  );
}

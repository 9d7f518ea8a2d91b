"use client";
// The saved test cases: each with Run, Edit, Delete and a pass/fail badge from its last run
// (strict deep equality with the expected output; the differences listed by path), and
// "Run all". Running uses the draft as it is now and the secrets typed in the Test step.
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { PlayIcon, PlusIcon } from "@/components/icons";
import type { JsonDifference } from "@/lib/builder/test/compare";
import type { TestRunResult } from "@/lib/builder/test/run-types";
import type { TestCase } from "@/lib/builder/test/test-cases";
import { prettyJson } from "./run-result";

/** A saved case's last run; `manifestKey` is the draft it ran against (for "outdated"). */
export type CaseRun = (
  | { state: "running" }
  | { state: "passed"; result: TestRunResult }
  | { state: "failed"; result: TestRunResult; diff: JsonDifference[] }
  | { state: "error"; message: string; result?: TestRunResult }
) & { manifestKey?: string };

export interface TestCaseListProps {
  testCases: TestCase[];
  runs: Record<string, CaseRun>;
  /** The current draft's key: runs made against another one are marked outdated. */
  currentManifestKey?: string;
  canRun: boolean;
  busy: boolean;
  onRun: (t: TestCase) => void;
  onRunAll: () => void;
  onEdit: (t: TestCase) => void;
  onDelete: (t: TestCase) => void;
  onLoad: (t: TestCase) => void;
  onSaveCurrent?: () => void;
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "—" : s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function StatusBadge({ run, outdated }: { run: CaseRun | undefined; outdated: boolean }) {
  if (!run) return <Badge>Not run</Badge>;
  if (outdated && run.state !== "running") {
    return (
      <Badge title="The draft changed since this run">
        {run.state === "passed" ? "Passed" : run.state === "failed" ? "Failed" : "Error"} · outdated
      </Badge>
    );
  }
  if (run.state === "running")
    return (
      <Badge tone="info">
        <Spinner className="size-3" /> Running
      </Badge>
    );
  if (run.state === "passed")
    return (
      <Badge tone="success" dot>
        Passed
      </Badge>
    );
  if (run.state === "failed")
    return (
      <Badge tone="danger" dot>
        Failed
      </Badge>
    );
  return (
    <Badge tone="warning" dot>
      Error
    </Badge>
  );
}

export function TestCaseList(p: TestCaseListProps) {
  const counts = Object.values(p.runs).reduce(
    (acc, r) => {
      if (r.state === "passed") acc.passed++;
      else if (r.state === "failed" || r.state === "error") acc.failed++;
      return acc;
    },
    { passed: 0, failed: 0 },
  );
  return (
    <section aria-labelledby="test-cases-heading" className="rounded-xl border border-border bg-surface shadow-card" data-testid="test-cases">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-border px-4 py-3">
        <div>
          <h3 id="test-cases-heading" className="text-[14px] font-semibold text-fg">
            Test cases
          </h3>
          <p className="text-[12.5px] text-fg-muted" aria-live="polite">
            {p.testCases.length === 0 ? "None saved yet." : `${p.testCases.length} saved${counts.passed || counts.failed ? ` · ${counts.passed} passed · ${counts.failed} failed` : ""}`}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {p.onSaveCurrent && (
            <Button size="sm" variant="secondary" icon={<PlusIcon className="size-3.5" />} onClick={p.onSaveCurrent}>
              Save as test case
            </Button>
          )}
          <Button size="sm" variant="secondary" icon={<PlayIcon className="size-3.5" />} onClick={p.onRunAll} disabled={!p.canRun || p.busy || p.testCases.length === 0} loading={p.busy}>
            Run all
          </Button>
        </div>
      </header>
      {p.testCases.length === 0 ? (
        <EmptyState className="py-8" title="No test cases" description="Run the action, then save the run as a test case: its output becomes the expected output, and the case is published as an example." />
      ) : (
        <ul className="divide-y divide-border">
          {p.testCases.map((t) => {
            const run = p.runs[t.id];
            return (
              <li key={t.id} className="px-4 py-3" data-testid="test-case" aria-label={`Test case ${t.name}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <button type="button" className="min-w-0 truncate text-left text-[13.5px] font-medium text-fg hover:underline" onClick={() => p.onLoad(t)} title="Load this input into the form">
                    {t.name}
                  </button>
                  <Badge mono>{t.action}</Badge>
                  <StatusBadge run={run} outdated={Boolean(run?.manifestKey && p.currentManifestKey && run.manifestKey !== p.currentManifestKey)} />
                  <span className="min-w-0 flex-1 truncate font-mono text-[11.5px] text-fg-subtle">{short(t.input)}</span>
                  <div className="flex items-center gap-1">
                    <Button size="xs" variant="ghost" onClick={() => p.onRun(t)} disabled={!p.canRun || run?.state === "running"} aria-label={`Run ${t.name}`}>
                      Run
                    </Button>
                    <Button size="xs" variant="ghost" onClick={() => p.onEdit(t)} aria-label={`Edit ${t.name}`}>
                      Edit
                    </Button>
                    <Button size="xs" variant="danger-ghost" onClick={() => p.onDelete(t)} aria-label={`Delete ${t.name}`}>
                      Delete
                    </Button>
                  </div>
                </div>
                {run?.state === "error" && <p className="mt-1.5 text-[12.5px] text-danger">{run.message}</p>}
                {run?.state === "failed" && (
                  <details className="mt-2 rounded-lg border border-danger/25 bg-danger-soft/40 px-3 py-2 text-[12.5px]" open>
                    <summary className="cursor-pointer font-medium text-danger">
                      {run.diff.length} difference{run.diff.length === 1 ? "" : "s"} from the expected output
                    </summary>
                    <table className="mt-2 w-full table-fixed font-mono text-[12px]" aria-label={`Differences for ${t.name}`}>
                      <thead className="text-left text-fg-muted">
                        <tr>
                          <th className="w-1/3 pb-1 font-medium">Path</th>
                          <th className="w-1/3 pb-1 font-medium">Expected</th>
                          <th className="w-1/3 pb-1 font-medium">Actual</th>
                        </tr>
                      </thead>
                      <tbody>
                        {run.diff.map((d) => (
                          <tr key={d.path} className="align-top">
                            <td className="truncate pr-2 text-fg">{d.path}</td>
                            <td className="pr-2 break-all text-success">{d.kind === "unexpected" ? "(absent)" : short(d.expected)}</td>
                            <td className="break-all text-danger">{d.kind === "missing" ? "(absent)" : short(d.actual)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    <details className="mt-2">
                      <summary className="cursor-pointer text-fg-muted">Full output</summary>
                      <pre className="mt-1 max-h-48 overflow-auto rounded border border-border bg-surface p-2">{prettyJson(run.result.output)}</pre>
                    </details>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

"use client";
// "Make a task" for a snippet: POST /api/snippets/:id/tasks. Task materialization is high
// risk, so the usual answer is 202 with an approval: it then shows "Waiting for approval"
// with a link to the request in the inbox and follows it live (useApprovalOutcome) until it
// is approved (the task, or why it was not made), denied (the reason) or expired. An org
// rule that allows it answers 201 with the task at once; a deny rule shows the policy's reason.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { SecurityLevelBadge } from "@/components/approvals/approval-badges";
import { useApprovalOutcome } from "@/components/approvals/use-approval-outcome";
import { ArrowRightIcon, CheckCircleIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { TaskView } from "@/lib/tasks/task-view";

/** The 202 answer (lib/tasks/materialize-task.ts PendingTaskApproval). */
interface PendingAnswer {
  approvalId: string;
  status: "pending";
  securityLevel: string;
  reasons: string[];
  expiresAt: string;
}

type State = { step: "idle" } | { step: "sending" } | { step: "created"; task: TaskView } | { step: "pending"; answer: PendingAnswer } | { step: "failed"; message: string; denied: boolean };

export function MakeTaskButton({ snippetId, title, autoRun, disabled, onCreated }: { snippetId: string; title?: string; autoRun?: boolean; disabled?: boolean; onCreated?: (task: TaskView) => void }) {
  const [state, setState] = useState<State>({ step: "idle" });

  async function makeTask() {
    setState({ step: "sending" });
    try {
      const answer = await apiFetch<{ task: TaskView } | PendingAnswer>(`/api/snippets/${encodeURIComponent(snippetId)}/tasks`, {
        method: "POST",
        json: { ...(title ? { title } : {}), ...(autoRun !== undefined ? { autoRun } : {}) },
      });
      if ("task" in answer) {
        setState({ step: "created", task: answer.task });
        onCreated?.(answer.task);
      } else {
        setState({ step: "pending", answer });
      }
    } catch (err) {
      setState({ step: "failed", message: errorMessage(err), denied: err instanceof ApiError && err.code === "policy_denied" });
    }
  }

  const busy = state.step === "sending" || state.step === "pending";
  return (
    <div className="space-y-3" data-testid="make-task">
      <Button variant="secondary" size="sm" onClick={makeTask} loading={state.step === "sending"} disabled={disabled || busy} data-testid="make-task-button">
        Make a task
      </Button>
      {state.step === "created" && <TaskMade task={state.task} />}
      {state.step === "pending" && <TaskApprovalWait answer={state.answer} onCreated={onCreated} />}
      {state.step === "failed" && (
        <Alert tone="danger" title={state.denied ? "Denied by policy" : "Could not make the task"} data-testid="make-task-error">
          {state.message}
        </Alert>
      )}
    </div>
  );
}

function TaskMade({ task }: { task: Pick<TaskView, "id" | "snippetVersion"> }) {
  return (
    <p className="flex items-center gap-2 text-[13px] text-fg" data-testid="make-task-created" data-task-id={task.id}>
      <CheckCircleIcon className="size-4 text-success" />
      Task <code className="font-mono text-[12.5px]">{task.id}</code> made from version {task.snippetVersion} of this snippet.
    </p>
  );
}

function TaskApprovalWait({ answer, onCreated }: { answer: PendingAnswer; onCreated?: (task: TaskView) => void }) {
  const { approval: a, error } = useApprovalOutcome(answer.approvalId);
  const reported = useRef<string | null>(null);
  const status = a?.status ?? "pending";
  const href = `/approvals?id=${encodeURIComponent(answer.approvalId)}`;
  const outcome = a?.outcome ?? null;
  const taskId = outcome?.ok && typeof outcome.taskId === "string" ? outcome.taskId : null;
  const snippetVersion = typeof outcome?.snippetVersion === "number" ? outcome.snippetVersion : null;

  // Tell the parent once, when the approval made the task (it may refresh a list).
  useEffect(() => {
    if (!taskId || !onCreated || reported.current === taskId) return;
    reported.current = taskId;
    apiFetch<TaskView>(`/api/tasks/${encodeURIComponent(taskId)}`)
      .then(onCreated)
      .catch(() => undefined);
  }, [taskId, onCreated]);

  return (
    <div className="rounded-md border border-border px-4 py-3" data-testid="make-task-approval" data-approval-id={answer.approvalId} data-status={status}>
      {status === "pending" && (
        <div aria-live="polite">
          <div className="flex flex-wrap items-center gap-2">
            <span className="inline-flex items-center gap-2 text-[14px] font-semibold text-fg">
              <Spinner className="size-4 text-info" /> Waiting for approval
            </span>
            <SecurityLevelBadge level={a?.securityLevel ?? answer.securityLevel} />
            <Link href={href} className="ml-auto inline-flex items-center gap-1 text-[13px] font-medium text-accent hover:underline" data-testid="make-task-approval-link">
              Open the request <ArrowRightIcon className="size-3.5" />
            </Link>
          </div>
          {(a?.policy.reasons ?? answer.reasons).length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-5 text-[13px] text-fg-muted">
              {(a?.policy.reasons ?? answer.reasons).map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          )}
          {a?.held && a.note && <p className="mt-2 text-[13px] text-warning">On hold: {a.note}</p>}
          {error && <p className="mt-2 text-[12.5px] text-warning">Lost touch with the request ({error}); still trying.</p>}
        </div>
      )}
      {status === "approved" && taskId && <TaskMade task={{ id: taskId, snippetVersion: snippetVersion ?? 0 }} />}
      {status === "approved" && outcome && !outcome.ok && (
        <Alert tone="danger" title="Approved, but no task was made" data-testid="make-task-outcome">
          {outcome.message}
        </Alert>
      )}
      {status === "denied" && (
        <Alert tone="danger" title="Denied" data-testid="make-task-denied">
          {a?.reason ?? a?.decision?.comment ?? "No reason was given."}
        </Alert>
      )}
      {status === "expired" && (
        <Alert tone="warning" title="The request expired" data-testid="make-task-expired">
          {a?.reason ?? "Nobody decided in time, so no task was made. Ask again."}
        </Alert>
      )}
    </div>
  );
}

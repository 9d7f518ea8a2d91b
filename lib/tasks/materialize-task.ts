// "Make a task" from a snippet: the HIGH-risk task_materialization capability, so it passes
// the policy gate first (what: materialize_task), with the snippet row held FOR SHARE so
// the version asked for is the version decided on:
//   - require_approval (the default for high risk) → an approval of kind materialize_task
//     whose payload pins the snippet version; the task is created when it is approved
//     (lib/policy/approvals/deferred-task.ts), inside the deciding transaction;
//   - allow (an organisation rule) → the task now (row + its two events);
//   - deny → nothing but the decision's policy.evaluated event, which commits before the
//     403 is thrown.
// Owner or admin only; a deleted snippet, or someone else's, is a 404.
import { createHash } from "node:crypto";
import type { Caller } from "../agents/agent-access";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import type { PolicyRequest, SecurityLevel } from "../policy/gate";
import { evaluateRequest, policyEvaluatedEvent } from "../policy/evaluate-request";
import { createApproval } from "../policy/approvals/create-approval";
import { createTaskInTx } from "./create-task-in-tx";
import { findSnippetForTask, type SnippetForTask } from "./snippet-for-task";
import { MAX_TASK_TITLE, type MaterializeTaskInput, type TaskPayload } from "./task-schemas";
import type { TaskView } from "./task-view";

/** The capability the gate sees: no permissions (nothing external is written), high risk. */
export const TASK_CAPABILITY = { slug: "task_materialization", permissions: [] as string[], domains: [] as string[], risk: "high" as const };

export interface MaterializeTaskOptions {
  caller: Caller;
  snippetId: string;
  input: MaterializeTaskInput;
  auth?: { via: "session" | "token"; tokenId: string | null };
}

/** The 202 answer while the approval is pending. */
export interface PendingTaskApproval {
  approvalId: string;
  status: "pending";
  correlationId: string;
  securityLevel: SecurityLevel;
  reasons: string[];
  expiresAt: string;
  links: { self: string; stream: string; html: string };
}

export type MaterializeTaskResult = { kind: "created"; task: TaskView } | { kind: "pending"; approval: PendingTaskApproval };

export function taskPolicyRequest(caller: Caller, tokenId: string | null): PolicyRequest {
  return {
    who: { userId: caller.userId, role: caller.role, agentId: null, tokenId },
    what: "materialize_task",
    capability: { ...TASK_CAPABILITY, permissions: [...TASK_CAPABILITY.permissions], domains: [...TASK_CAPABILITY.domains] },
  };
}

export function taskPayload(s: SnippetForTask, input: MaterializeTaskInput): TaskPayload {
  return {
    snippetId: s.id,
    snippetVersion: s.version,
    codeSha256: createHash("sha256").update(s.code).digest("hex"),
    title: input.title ?? (s.title.slice(0, MAX_TASK_TITLE) || `Task from ${s.id}`),
    autoRun: input.autoRun ?? false,
  };
}

export async function materializeTask(db: Db, o: MaterializeTaskOptions): Promise<MaterializeTaskResult> {
  const correlationId = o.caller.correlationId ?? newId("cor");
  const actor = o.caller.actor;
  const r = await db.$transaction(async (tx) => {
    const snippet = await findSnippetForTask(tx, { who: o.caller, snippetId: o.snippetId, lock: true });
    const request = taskPolicyRequest(o.caller, o.auth?.tokenId ?? null);
    const e = await evaluateRequest(tx, request);
    const payload = taskPayload(snippet, o.input);
    if (e.decision.decision === "require_approval") {
      const created = await createApproval(tx, {
        kind: "materialize_task",
        request,
        decision: e.decision,
        rulesVersion: e.rulesVersion,
        requester: { actor, userId: o.caller.userId, role: o.caller.role, via: o.auth?.via ?? null },
        display: {
          permissions: [],
          domains: [],
          details: { snippetId: snippet.id, snippetTitle: snippet.title, language: snippet.language, snippetVersion: snippet.version, codeSha256: payload.codeSha256, title: payload.title, autoRun: payload.autoRun },
        },
        payload,
        correlationId,
      });
      const approval: PendingTaskApproval = {
        approvalId: created.id,
        status: "pending",
        correlationId,
        securityLevel: e.decision.securityLevel,
        reasons: e.decision.reasons,
        expiresAt: created.expiresAt.toISOString(),
        links: { self: `/api/approvals/${created.id}`, stream: `/api/events/stream?correlationId=${encodeURIComponent(correlationId)}`, html: `/approvals?id=${created.id}` },
      };
      return { kind: "pending" as const, approval };
    }
    await appendEvent(tx, policyEvaluatedEvent(request, e, { actor, correlationId, subject: { type: "snippet", id: snippet.id } }));
    if (e.decision.decision === "deny") return { kind: "denied" as const, reasons: e.decision.reasons };
    const task = await createTaskInTx(tx, { ...payload, createdBy: o.caller.userId, approvalId: null, actor, correlationId });
    return { kind: "created" as const, task };
  });
  // After COMMIT, so the denial's policy.evaluated event stays.
  if (r.kind === "denied") throw new AppError("policy_denied", `the policy denies making a task: ${r.reasons.join("; ")}`);
  return r;
}

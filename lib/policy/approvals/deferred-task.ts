// The deferred action of an approved task materialization: creates the task from the
// snippet version the approval pinned (lib/tasks/create-task-in-tx.ts: row +
// TASK_MATERIALIZED_FROM_SNIPPET + SNIPPET_USED_IN_TASK), inside the deciding transaction,
// as the requester, with the request's correlation id. Exactly once: the approvals row is
// locked by the decision. What was approved is that version: a snippet deleted or saved
// again since the request is refused (snippet_deleted / snippet_changed) rather than made
// from code nobody approved; so is a requester who can no longer use the snippet, or a
// policy that now denies it. A refusal is the approval's outcome; the decision still commits.
import { canUseSnippet, readSnippetRow } from "../../tasks/snippet-for-task";
import { createTaskInTx } from "../../tasks/create-task-in-tx";
import { TaskPayloadSchema } from "../../tasks/task-schemas";
import type { DeferredHandler } from "./deferred";
import { deniedOnRecheck, inSavepoint, requesterCaller } from "./deferred-install";

export const runDeferredTask: DeferredHandler = async (tx, a, ctx) => {
  const denied = deniedOnRecheck(ctx);
  if (denied) return { outcome: denied };
  const parsed = TaskPayloadSchema.safeParse(a.payload);
  if (!parsed.success) return { outcome: { ok: false, code: "invalid_approval", message: "not done: the approval does not say which snippet version to use" } };
  const p = parsed.data;
  const caller = await requesterCaller(tx, a);
  if ("ok" in caller) return { outcome: caller };

  const outcome = await inSavepoint(tx, "deferred_task", async () => {
    // FOR SHARE: the snippet cannot be saved or deleted between this check and the task.
    const s = await readSnippetRow(tx, p.snippetId, { lock: true });
    if (!s || s.deletedAt) return { ok: false, code: "snippet_deleted", message: "not done: the snippet was deleted after the request" };
    if (!canUseSnippet(caller, s)) return { ok: false, code: "not_found", message: "not done: the requester can no longer use the snippet" };
    if (s.version !== p.snippetVersion) {
      return { ok: false, code: "snippet_changed", message: `not done: the snippet changed after the request (version ${p.snippetVersion} was approved, it is now at ${s.version}): make the task again` };
    }
    const task = await createTaskInTx(tx, {
      snippetId: p.snippetId,
      snippetVersion: p.snippetVersion,
      title: p.title,
      autoRun: p.autoRun,
      createdBy: caller.userId,
      approvalId: a.id,
      actor: caller.actor,
      correlationId: a.correlationId,
    });
    return { ok: true, message: `task ${task.id} made from version ${task.snippetVersion} of the snippet`, taskId: task.id, snippetId: task.snippetId, snippetVersion: task.snippetVersion };
  });
  return { outcome };
};

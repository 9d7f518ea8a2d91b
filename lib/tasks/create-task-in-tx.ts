// Records a task made from a snippet, inside the caller's transaction: the row (pinning the
// snippet version it was made from) and, in order, TASK_MATERIALIZED_FROM_SNIPPET and
// SNIPPET_USED_IN_TASK on the snippet's stream (data.snippetId, so the snippet's audit
// trail finds both). Used by an allowed request and by an approved one (the deferred
// handler); it never asks the policy itself — its callers have.
import type { Prisma } from "../db/prisma";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { TASK_SELECT, toTaskView, type TaskView } from "./task-view";

export interface CreateTaskOptions {
  snippetId: string;
  snippetVersion: number;
  title: string;
  autoRun: boolean;
  createdBy: string | null;
  approvalId: string | null;
  actor: Actor;
  correlationId: string;
}

export async function createTaskInTx(tx: Prisma.TransactionClient, o: CreateTaskOptions): Promise<TaskView> {
  const id = newId("tsk");
  const row = await tx.task.create({
    data: {
      id,
      snippetId: o.snippetId,
      snippetVersion: o.snippetVersion,
      title: o.title,
      autoRun: o.autoRun,
      createdBy: o.createdBy,
      approvalId: o.approvalId,
    },
    select: TASK_SELECT,
  });
  const common = { stream: { type: "snippet", id: o.snippetId }, subject: { type: "task", id }, actor: o.actor, correlationId: o.correlationId } as const;
  await appendEvent(tx, {
    ...common,
    type: "TASK_MATERIALIZED_FROM_SNIPPET",
    data: { taskId: id, snippetId: o.snippetId, snippetVersion: o.snippetVersion, autoRun: o.autoRun, approvalId: o.approvalId },
  });
  await appendEvent(tx, { ...common, type: "SNIPPET_USED_IN_TASK", data: { taskId: id, snippetId: o.snippetId, snippetVersion: o.snippetVersion } });
  return toTaskView(row);
}

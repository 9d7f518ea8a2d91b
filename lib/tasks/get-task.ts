// One task, for its creator, the owner of its snippet, and administrators; anyone else gets
// the same 404 as for a task that does not exist.
import type { Caller } from "../agents/agent-access";
import type { Db } from "../db/prisma";
import { notFound } from "../errors";
import { TASK_SELECT, toTaskView, type TaskView } from "./task-view";

export async function getTask(db: Db, o: { caller: Pick<Caller, "userId" | "role">; taskId: string }): Promise<TaskView> {
  const task = await db.task.findUnique({ where: { id: o.taskId }, select: TASK_SELECT });
  if (!task) throw notFound("task");
  if (o.caller.role !== "admin" && task.createdBy !== o.caller.userId) {
    const snippet = await db.snippet.findUnique({ where: { id: task.snippetId }, select: { ownerId: true } });
    if (snippet?.ownerId !== o.caller.userId) throw notFound("task");
  }
  return toTaskView(task);
}

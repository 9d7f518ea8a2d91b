// The tasks made from one snippet, newest first, cursor-paginated; for the snippet's owner
// and administrators (a deleted snippet's tasks stay readable to them: they are records).
import type { Caller } from "../agents/agent-access";
import type { Db } from "../db/prisma";
import { AppError, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../registry/cursor";
import { canUseSnippet, readSnippetRow } from "./snippet-for-task";
import type { ListTasksQuery } from "./task-schemas";
import { TASK_SELECT, toTaskView, type TaskView } from "./task-view";

const CURSOR_TAG = "snippet-tasks";

export async function listSnippetTasks(
  db: Db,
  o: { caller: Pick<Caller, "userId" | "role">; snippetId: string; query: ListTasksQuery },
): Promise<{ items: TaskView[]; nextCursor: string | null }> {
  const snippet = await readSnippetRow(db, o.snippetId);
  if (!snippet || !canUseSnippet(o.caller, snippet)) throw notFound("snippet");
  const limit = o.query.limit;
  let after: { createdAt: Date; id: string } | null = null;
  if (o.query.cursor) {
    const [at, id] = decodeCursor(CURSOR_TAG, o.query.cursor, 2);
    after = { createdAt: new Date(String(at)), id: String(id) };
    if (Number.isNaN(after.createdAt.getTime())) throw new AppError("bad_request", "the cursor is not valid", { errors: [{ path: "cursor", message: "not a cursor returned by this list" }] });
  }
  const rows = await db.task.findMany({
    where: {
      snippetId: o.snippetId,
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: TASK_SELECT,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toTaskView), nextCursor: rows.length > limit && last ? encodeCursor(CURSOR_TAG, [last.createdAt.toISOString(), last.id]) : null };
}

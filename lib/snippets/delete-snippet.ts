// Soft-deletes a snippet: the row keeps its content for the audit trail (previews and tasks
// still point at it), but it is gone for every read (404). SNIPPET_DELETED is appended in
// the same transaction; deleting twice is a 404, not a second event.
import type { Db } from "../db/prisma";
import { appendEvent } from "../events/append-event";
import { lockSnippetForCaller, snippetStream, type Caller } from "./snippet-access";

export async function deleteSnippet(db: Db, options: { caller: Caller; snippetId: string }): Promise<void> {
  const { caller, snippetId } = options;
  await db.$transaction(async (tx) => {
    const current = await lockSnippetForCaller(tx, { caller, snippetId });
    await tx.snippet.update({ where: { id: snippetId }, data: { deletedAt: new Date() }, select: { id: true } });
    await appendEvent(tx, {
      type: "SNIPPET_DELETED",
      data: { snippetId, version: current.version },
      stream: snippetStream(snippetId),
      subject: { type: "snippet", id: snippetId },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
  });
}

// Deletes a draft for good (it is a scratchpad; published versions live in the registry),
// with draft.deleted on its stream in the same transaction.
import type { Db } from "../../db/prisma";
import { appendEvent } from "../../events/append-event";
import { draftStream, lockDraftForOwner, type Caller } from "./draft-access";

export async function deleteDraft(db: Db, options: { caller: Caller; draftId: string }): Promise<void> {
  const { caller, draftId } = options;
  await db.$transaction(async (tx) => {
    const current = await lockDraftForOwner(tx, { userId: caller.userId, draftId });
    await tx.capabilityDraft.delete({ where: { id: draftId } });
    await appendEvent(tx, {
      type: "draft.deleted",
      data: { draftId, slug: current.slug, revision: current.revision },
      stream: draftStream(draftId),
      subject: { type: "draft", id: draftId },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
  });
}

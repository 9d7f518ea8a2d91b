// Saves a draft's state (the wizard's autosave). The caller names the revision it edited:
// a different current revision is a 409, so two tabs never silently overwrite each other.
// Autosaves are frequent and private, so they append no event (creation and deletion do).
import type { Db } from "../../db/prisma";
import { conflict } from "../../errors";
import { lockDraftForOwner, type Caller } from "./draft-access";
import { assertStateSize, draftSelect, draftSummary, toDraftRecord, type DraftRecord } from "./draft-record";
import type { UpdateDraftInput } from "./draft-schemas";

export async function updateDraft(db: Db, options: { caller: Caller; draftId: string; input: UpdateDraftInput }): Promise<DraftRecord> {
  const { caller, draftId, input } = options;
  assertStateSize(input.state);
  const { slug, method } = draftSummary(input.state);
  return db.$transaction(async (tx) => {
    const current = await lockDraftForOwner(tx, { userId: caller.userId, draftId });
    if (current.revision !== input.expectedRevision) {
      throw conflict(`the draft is at revision ${current.revision}, not ${input.expectedRevision}: it was saved elsewhere; reload it`);
    }
    const row = await tx.capabilityDraft.update({
      where: { id: draftId },
      data: { state: input.state as object, slug, method, revision: { increment: 1 } },
      select: draftSelect,
    });
    return toDraftRecord(row);
  });
}

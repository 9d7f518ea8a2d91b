// Creates a draft owned by the caller, with draft.created (id, slug, method, size — never
// the state) on the draft's stream in the same transaction.
import type { Db } from "../../db/prisma";
import { appendEvent } from "../../events/append-event";
import { newId } from "../../ids";
import { draftStream, type Caller } from "./draft-access";
import { assertStateSize, draftSelect, draftSummary, toDraftRecord, type DraftRecord } from "./draft-record";
import type { CreateDraftInput } from "./draft-schemas";

export async function createDraft(db: Db, options: { caller: Caller; input: CreateDraftInput }): Promise<DraftRecord> {
  const { caller, input } = options;
  const size = assertStateSize(input.state);
  const { slug, method } = draftSummary(input.state);
  const id = newId("drf");
  return db.$transaction(async (tx) => {
    const row = await tx.capabilityDraft.create({
      data: { id, ownerId: caller.userId, slug, method, state: input.state as object },
      select: draftSelect,
    });
    await appendEvent(tx, {
      type: "draft.created",
      data: { draftId: id, slug, method, size },
      stream: draftStream(id),
      subject: { type: "draft", id },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
    return toDraftRecord(row);
  });
}

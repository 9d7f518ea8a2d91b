// One draft with its state, for its owner (anyone else: 404).
import type { Db } from "../../db/prisma";
import { findDraftForOwner } from "./draft-access";
import { toDraftRecord, type DraftRecord } from "./draft-record";

export async function getDraft(db: Db, options: { userId: string; draftId: string }): Promise<DraftRecord> {
  return toDraftRecord(await findDraftForOwner(db, options));
}

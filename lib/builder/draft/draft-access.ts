// Who may see and change a draft: its owner only (a draft is a private scratchpad, not even
// administrators read it). Anyone else gets the same 404 as for a draft that never existed.
import type { Db, Prisma } from "../../db/prisma";
import { notFound } from "../../errors";
import { draftSelect, type DraftRow } from "./draft-record";

export type { Caller } from "../../agents/agent-access";
export { toCaller } from "../../agents/agent-access";

export function draftStream(draftId: string): { type: string; id: string } {
  return { type: "draft", id: draftId };
}

export async function findDraftForOwner(db: Db | Prisma.TransactionClient, options: { userId: string; draftId: string }): Promise<DraftRow> {
  const draft = await db.capabilityDraft.findUnique({ where: { id: options.draftId }, select: draftSelect });
  if (!draft || draft.ownerId !== options.userId) throw notFound("draft");
  return draft;
}

/** Inside a transaction: locks the row, so concurrent saves of one draft are serialised. */
export async function lockDraftForOwner(tx: Prisma.TransactionClient, options: { userId: string; draftId: string }): Promise<DraftRow> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM capability_drafts WHERE id = ${options.draftId} AND owner_id = ${options.userId} FOR UPDATE`;
  if (!rows.length) throw notFound("draft");
  return findDraftForOwner(tx, options);
}

// Who may see and change a snippet: its owner, and administrators. Anyone else — and
// everyone, once a snippet is deleted — gets the same 404 as for a snippet that never
// existed, so ids reveal nothing. Also the stream every snippet event goes to.
import type { Caller } from "../agents/agent-access";
import type { Db, Prisma } from "../db/prisma";
import { AppError, notFound } from "../errors";
import { MAX_SNIPPET_CODE_BYTES } from "./snippet-schemas";
import { codeBytes, snippetRecordSelect, type SnippetRow } from "./snippet-record";

export type { Caller } from "../agents/agent-access";
export { toCaller } from "../agents/agent-access";

export function canAccessSnippet(caller: Caller, snippet: { ownerId: string }): boolean {
  return caller.role === "admin" || snippet.ownerId === caller.userId;
}

export function snippetStream(snippetId: string): { type: string; id: string } {
  return { type: "snippet", id: snippetId };
}

export async function findSnippetForCaller(db: Db | Prisma.TransactionClient, options: { caller: Caller; snippetId: string }): Promise<SnippetRow> {
  const snippet = await db.snippet.findFirst({ where: { id: options.snippetId, deletedAt: null }, select: snippetRecordSelect });
  if (!snippet || !canAccessSnippet(options.caller, snippet)) throw notFound("snippet");
  return snippet;
}

/** Inside a transaction: locks the row, so concurrent edits of one snippet are serialised. */
export async function lockSnippetForCaller(tx: Prisma.TransactionClient, options: { caller: Caller; snippetId: string }): Promise<SnippetRow> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM snippets WHERE id = ${options.snippetId} AND deleted_at IS NULL FOR UPDATE`;
  if (!rows.length) throw notFound("snippet");
  return findSnippetForCaller(tx, options);
}

/** 413 when the code is over the cap, in UTF-8 bytes; returns the size. */
export function assertCodeSize(code: string): number {
  const size = codeBytes(code);
  if (size > MAX_SNIPPET_CODE_BYTES) {
    throw new AppError("payload_too_large", `the code is ${size} bytes; a snippet holds at most ${MAX_SNIPPET_CODE_BYTES} bytes`, {
      errors: [{ path: "code", message: `at most ${MAX_SNIPPET_CODE_BYTES} bytes` }],
    });
  }
  return size;
}

// Reads the snippet a task is made from, directly from its table (independent of the
// snippets module): the owner and administrators may use it; anyone else, and a deleted
// snippet, get the same 404 as a snippet that does not exist, so ids reveal nothing.
// Inside a transaction `lock` takes the row FOR SHARE, so its version cannot move between
// this read and the task that pins it.
import type { Db, Prisma } from "../db/prisma";
import { notFound } from "../errors";
import type { Role } from "../auth/scopes";

export interface SnippetForTask {
  id: string;
  title: string;
  language: string;
  code: string;
  version: number;
  ownerId: string;
  deletedAt: Date | null;
}

const select = { id: true, title: true, language: true, code: true, version: true, ownerId: true, deletedAt: true } as const;

export function canUseSnippet(who: { userId: string; role: Role }, s: { ownerId: string }): boolean {
  return who.role === "admin" || s.ownerId === who.userId;
}

/** The snippet as it is now (deleted ones included), or null; FOR SHARE when `lock`. */
export async function readSnippetRow(db: Db | Prisma.TransactionClient, snippetId: string, options: { lock?: boolean } = {}): Promise<SnippetForTask | null> {
  if (options.lock) {
    const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM snippets WHERE id = ${snippetId} FOR SHARE`;
    if (!rows.length) return null;
  }
  return db.snippet.findUnique({ where: { id: snippetId }, select });
}

/** A live snippet the caller may use, else 404. */
export async function findSnippetForTask(
  db: Db | Prisma.TransactionClient,
  options: { who: { userId: string; role: Role }; snippetId: string; lock?: boolean },
): Promise<SnippetForTask> {
  const s = await readSnippetRow(db, options.snippetId, { lock: options.lock });
  if (!s || s.deletedAt || !canUseSnippet(options.who, s)) throw notFound("snippet");
  return s;
}

// One snippet with its code, for its owner or an administrator (404 for anyone else and
// for deleted snippets).
import type { Db } from "../db/prisma";
import { findSnippetForCaller, type Caller } from "./snippet-access";
import { toSnippetRecord, type SnippetRecord } from "./snippet-record";

export async function getSnippet(db: Db, options: { caller: Caller; snippetId: string }): Promise<SnippetRecord> {
  return toSnippetRecord(await findSnippetForCaller(db, options));
}

// Changes a snippet's title, language, code or tags. A real change bumps the version and
// appends SNIPPET_UPDATED (the changed field names and the new size — never the code) in
// the same transaction; the same values again change nothing and append nothing. A stale
// `version` from the editor is a 409, so two tabs cannot silently overwrite each other.
import type { Db } from "../db/prisma";
import { conflict } from "../errors";
import { appendEvent } from "../events/append-event";
import { assertCodeSize, lockSnippetForCaller, snippetStream, type Caller } from "./snippet-access";
import { codeBytes, snippetRecordSelect, toSnippetRecord, type SnippetRecord } from "./snippet-record";
import type { UpdateSnippetInput } from "./snippet-schemas";

const FIELDS = ["title", "language", "code", "tags"] as const;

export async function updateSnippet(db: Db, options: { caller: Caller; snippetId: string; input: UpdateSnippetInput }): Promise<SnippetRecord> {
  const { caller, snippetId, input } = options;
  if (input.code !== undefined) assertCodeSize(input.code);
  return db.$transaction(async (tx) => {
    const current = await lockSnippetForCaller(tx, { caller, snippetId });
    if (input.version !== undefined && input.version !== current.version) {
      throw conflict(`the snippet is at version ${current.version}, not ${input.version}: reload it before saving`);
    }
    const changed = FIELDS.filter((k) => {
      const next = input[k];
      if (next === undefined) return false;
      return Array.isArray(next) ? next.join("\u0000") !== current.tags.join("\u0000") : next !== current[k];
    });
    if (!changed.length) return toSnippetRecord(current);
    const data = Object.fromEntries(changed.map((k) => [k, input[k]]));
    const row = await tx.snippet.update({ where: { id: snippetId }, data: { ...data, version: { increment: 1 } }, select: snippetRecordSelect });
    await appendEvent(tx, {
      type: "SNIPPET_UPDATED",
      data: { snippetId, version: row.version, fields: [...changed], size: codeBytes(row.code) },
      stream: snippetStream(snippetId),
      subject: { type: "snippet", id: snippetId },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
    return toSnippetRecord(row);
  });
}

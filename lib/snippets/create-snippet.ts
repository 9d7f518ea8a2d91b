// Creates a snippet owned by the caller (SNIPPET_CREATED in the same transaction, on the
// snippet's stream). The title goes into the event; the code never does, only its size.
import type { Db } from "../db/prisma";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import { assertCodeSize, snippetStream, type Caller } from "./snippet-access";
import { snippetRecordSelect, toSnippetRecord, type SnippetRecord } from "./snippet-record";
import type { CreateSnippetInput } from "./snippet-schemas";

export interface CreateSnippetOptions {
  caller: Caller;
  input: CreateSnippetInput;
  /** Where it was created from, for the audit trail: "ui" (browser session) or "api" (token). */
  source?: "ui" | "api";
}

export async function createSnippet(db: Db, options: CreateSnippetOptions): Promise<SnippetRecord> {
  const { caller, input } = options;
  const size = assertCodeSize(input.code);
  const id = newId("snp");
  return db.$transaction(async (tx) => {
    const row = await tx.snippet.create({
      data: { id, ownerId: caller.userId, title: input.title, language: input.language, code: input.code, tags: input.tags },
      select: snippetRecordSelect,
    });
    await appendEvent(tx, {
      type: "SNIPPET_CREATED",
      data: { snippetId: id, title: input.title, language: input.language, size, tags: input.tags, source: options.source ?? "api" },
      stream: snippetStream(id),
      subject: { type: "snippet", id },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
    return toSnippetRecord(row);
  });
}

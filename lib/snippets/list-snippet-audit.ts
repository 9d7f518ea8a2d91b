// A snippet's audit trail: the events about it, oldest first, with the seed's names as
// `type` (SNIPPET_CREATED … SNIPPET_USED_IN_TASK). Found by its stream (snippet/<id>, the
// unique stream index) and by data.snippetId on the snippet/preview/task event types, so an
// event filed on another stream that names the snippet is not missed. Owner or admin only.
import type { Db } from "../db/prisma";
import { findSnippetForCaller, type Caller } from "./snippet-access";
import type { ListSnippetAuditQuery } from "./snippet-schemas";

/** Event types that carry data.snippetId. */
export const SNIPPET_EVENT_TYPES = [
  "SNIPPET_CREATED",
  "SNIPPET_UPDATED",
  "SNIPPET_DELETED",
  "PREVIEW_SESSION_CREATED",
  "PREVIEW_DEP_INJECTED",
  "PREVIEW_SESSION_OPENED",
  "PREVIEW_SHARE_REVOKED",
  "TASK_MATERIALIZED_FROM_SNIPPET",
  "SNIPPET_USED_IN_TASK",
] as const;

export interface SnippetAuditItem {
  id: string;
  seq: string;
  type: string;
  level: string;
  payload: Record<string, unknown>;
  taskId: string | null;
  previewId: string | null;
  actor: { type: string; id: string | null };
  createdAt: string;
}

interface Row {
  id: string;
  seq: bigint;
  type: string;
  severity: string;
  data: Record<string, unknown>;
  actor_type: string;
  actor_id: string | null;
  created_at: Date;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export async function listSnippetAudit(
  db: Db,
  options: { caller: Caller; snippetId: string; query: ListSnippetAuditQuery },
): Promise<{ items: SnippetAuditItem[]; nextCursor: string | null }> {
  const { caller, snippetId, query } = options;
  await findSnippetForCaller(db, { caller, snippetId });
  const after = query.cursor ? BigInt(query.cursor) : -1n;
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT id, seq, type, severity, data, actor_type, actor_id, created_at FROM events
      WHERE ((stream_type = 'snippet' AND stream_id = $1) OR (type = ANY($2::text[]) AND data->>'snippetId' = $1))
        AND seq > $3
      ORDER BY seq LIMIT $4`,
    snippetId,
    [...SNIPPET_EVENT_TYPES],
    after,
    query.limit + 1,
  );
  const page = rows.slice(0, query.limit);
  const items = page.map(
    (r): SnippetAuditItem => ({
      id: r.id,
      seq: r.seq.toString(),
      type: r.type,
      level: r.severity,
      payload: r.data,
      taskId: str(r.data.taskId),
      previewId: str(r.data.previewId),
      actor: { type: r.actor_type, id: r.actor_id },
      createdAt: r.created_at.toISOString(),
    }),
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? last.seq.toString() : null };
}

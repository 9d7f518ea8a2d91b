// Top-level executions (invocations, not workflow steps) the viewer may see, newest first,
// filtered by agent, capability slug, status, correlation id and time, keyset-paginated
// by (created_at, id). Members see the executions of agents they own; admins all.
import type { Db } from "../../db/prisma";
import { AppError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../registry/cursor";
import { SUMMARY_COLUMNS, toExecutionSummary, visibleToViewerSql, type ExecutionSummary, type ExecutionViewer, type ListExecutionsQuery, type SummaryRow } from "./execution-record";

const CURSOR_TAG = "executions";

export interface ListExecutionsOptions {
  viewer: ExecutionViewer;
  query: Partial<ListExecutionsQuery> & { limit?: number };
}

export async function listExecutions(db: Db, options: ListExecutionsOptions): Promise<{ items: ExecutionSummary[]; nextCursor: string | null }> {
  const q = options.query;
  const limit = q.limit ?? 50;
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = ["e.parent_id IS NULL"];
  const access = visibleToViewerSql(options.viewer, params);
  if (access) where.push(access);
  if (q.agentId) where.push(`e.agent_id = ${add(q.agentId)}`);
  if (q.capability) where.push(`e.capability_slug = ${add(q.capability)}`);
  if (q.status?.length) where.push(`e.status = ANY(${add(q.status)}::text[])`);
  if (q.correlationId) where.push(`e.correlation_id = ${add(q.correlationId)}`);
  if (q.since) where.push(`e.created_at >= ${add(q.since)}`);
  if (q.until) where.push(`e.created_at < ${add(q.until)}`);
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(CURSOR_TAG, q.cursor, 2);
    if (typeof createdAt !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(createdAt))) {
      throw new AppError("bad_request", "the cursor is not valid", { errors: [{ path: "cursor", message: "not a cursor returned by this list" }] });
    }
    where.push(`(e.created_at, e.id) < (${add(new Date(createdAt))}::timestamptz, ${add(id)})`);
  }
  const join = options.viewer.role === "admin" ? "LEFT JOIN" : "JOIN";
  const rows = await db.$queryRawUnsafe<SummaryRow[]>(
    `SELECT ${SUMMARY_COLUMNS}
     FROM executions e ${join} agents a ON a.id = e.agent_id LEFT JOIN capabilities c ON c.id = e.capability_id
     WHERE ${where.join(" AND ")}
     ORDER BY e.created_at DESC, e.id DESC LIMIT ${add(limit + 1)}`,
    ...params,
  );
  const items = rows.slice(0, limit).map(toExecutionSummary);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(CURSOR_TAG, [last.createdAt, last.id]) : null };
}

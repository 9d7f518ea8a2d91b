// Reads of the event log: cursor-paginated lists (newest first, or ascending from a
// sequence number when catching up) and single events.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, notFound } from "../errors";
import { EVENT_COLUMNS, toEventRecord, type EventRecord, type EventRow } from "./event-record";
import { EventFilterSchema, filterToSql, type EventFilter } from "./event-filters";

export const ListEventsQuerySchema = EventFilterSchema.extend({
  fromSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type ListEventsQuery = z.infer<typeof ListEventsQuerySchema>;

interface Cursor {
  seq: number;
  dir: "asc" | "desc";
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.dir}:${c.seq}`).toString("base64url");
}

function decodeCursor(s: string): Cursor {
  const m = /^(asc|desc):(\d{1,18})$/.exec(Buffer.from(s, "base64url").toString());
  if (!m) throw new AppError("bad_request", "cursor is not valid", { errors: [{ path: "cursor", message: "not a cursor returned by this API" }] });
  return { dir: m[1] as Cursor["dir"], seq: Number(m[2]) };
}

export async function listEvents(db: Db, q: ListEventsQuery): Promise<{ items: EventRecord[]; nextCursor: string | null }> {
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
  const dir: "asc" | "desc" = cursor?.dir ?? (q.fromSeq !== undefined ? "asc" : "desc");
  const { clauses, params } = filterToSql(q);
  if (cursor) {
    params.push(cursor.seq);
    clauses.push(dir === "asc" ? `seq > $${params.length}` : `seq < $${params.length}`);
  } else if (q.fromSeq !== undefined) {
    params.push(q.fromSeq);
    clauses.push(`seq >= $${params.length}`);
  }
  params.push(q.limit + 1);
  const sql = `SELECT ${EVENT_COLUMNS} FROM events ${clauses.length ? "WHERE " + clauses.join(" AND ") : ""}
    ORDER BY seq ${dir.toUpperCase()} LIMIT $${params.length}`;
  const rows = await db.$queryRawUnsafe<EventRow[]>(sql, ...params);
  const items = rows.slice(0, q.limit).map(toEventRecord);
  const last = items[items.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ seq: last.seq, dir }) : null;
  return { items, nextCursor };
}

/** Events after `afterSeq` in ascending order, for replays and the live fan-out. */
export async function listEventsAfter(db: Db, afterSeq: number, filter: EventFilter, limit: number): Promise<EventRecord[]> {
  const { clauses, params } = filterToSql(filter, 3);
  const rows = await db.$queryRawUnsafe<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ${clauses.map((c) => "AND " + c).join(" ")} ORDER BY seq ASC LIMIT $2`,
    afterSeq,
    limit,
    ...params,
  );
  return rows.map(toEventRecord);
}

export async function getEvent(db: Db, idOrSeq: string): Promise<EventRecord> {
  const bySeq = /^\d{1,18}$/.test(idOrSeq);
  const rows = await db.$queryRawUnsafe<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE ${bySeq ? "seq = $1::bigint" : "id = $1"}`,
    idOrSeq,
  );
  if (!rows[0]) throw notFound("event");
  return toEventRecord(rows[0]);
}

export async function getHeadSeq(db: Db): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ seq: bigint | null }[]>(`SELECT max(seq) AS seq FROM events`);
  return Number(rows[0]?.seq ?? 0);
}

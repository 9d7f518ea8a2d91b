// Filters shared by the list API, the SSE stream and the live fan-out. Pure.
import { z } from "zod";
import { ACTOR_TYPES, SEVERITIES } from "./event-types";
import type { EventRecord } from "./event-record";

const splitCsv = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const csv = <const T extends readonly [string, ...string[]]>(values?: T) =>
  z
    .string()
    .max(2000)
    .transform(splitCsv)
    .pipe(z.array(values ? z.enum(values) : z.string().min(1).max(100)).min(1).max(50));

export const EventFilterSchema = z.object({
  streamType: z.string().min(1).max(100).optional(),
  streamId: z.string().min(1).max(200).optional(),
  type: csv().optional(),
  actorId: z.string().min(1).max(200).optional(),
  actorType: csv(ACTOR_TYPES).optional(),
  severity: csv(SEVERITIES).optional(),
  correlationId: z.string().min(1).max(200).optional(),
});
export type EventFilter = z.infer<typeof EventFilterSchema>;

export function matchesFilter(e: EventRecord, f: EventFilter): boolean {
  if (f.streamType && e.streamType !== f.streamType) return false;
  if (f.streamId && e.streamId !== f.streamId) return false;
  if (f.type && !f.type.includes(e.type)) return false;
  if (f.actorId && e.actor.id !== f.actorId) return false;
  if (f.actorType && !f.actorType.includes(e.actor.type as never)) return false;
  if (f.severity && !f.severity.includes(e.severity as never)) return false;
  if (f.correlationId && e.correlationId !== f.correlationId) return false;
  return true;
}

/** SQL WHERE fragments with $n placeholders, starting at `firstParam`. */
export function filterToSql(f: EventFilter, firstParam = 1): { clauses: string[]; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${firstParam + params.length - 1}`));
  };
  if (f.streamType) add((p) => `stream_type = ${p}`, f.streamType);
  if (f.streamId) add((p) => `stream_id = ${p}`, f.streamId);
  if (f.type) add((p) => `type = ANY(${p}::text[])`, f.type);
  if (f.actorId) add((p) => `actor_id = ${p}`, f.actorId);
  if (f.actorType) add((p) => `actor_type = ANY(${p}::text[])`, f.actorType);
  if (f.severity) add((p) => `severity = ANY(${p}::text[])`, f.severity);
  if (f.correlationId) add((p) => `correlation_id = ${p}`, f.correlationId);
  return { clauses, params };
}

// Appends one event to the log inside the caller's transaction, so state and event
// commit together or not at all. The event gets its seq and hash at COMMIT (a deferred
// trigger, see the foundation migration), so it is in `events` once the transaction has
// committed, not before. Data is validated against the type's schema and redacted first.
// Transactions that append must be READ COMMITTED (Prisma's default).
import type { Db } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";
import { newId } from "../ids";
import { canonicalJson } from "./canonical-json";
import { EVENT_TYPES, isEventType, type ActorType, type EventData, type EventType, type Severity } from "./event-types";
import type { EventRow } from "./event-record";
import type { EventBody } from "./hash-chain";
import { redact } from "./redact";
import { metrics } from "../metrics";

export const MAX_EVENT_DATA_BYTES = 64 * 1024;

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface AppendEventInput<T extends EventType> {
  type: T;
  data: EventData<T>;
  stream: { type: string; id: string };
  actor: Actor;
  subject?: { type: string; id: string } | null;
  correlationId?: string;
  causationId?: string | null;
  severity?: Severity;
  /** Secret values known to the caller, removed wherever they appear in the data. */
  secrets?: Iterable<string>;
}

export interface AppendedEvent {
  id: string;
  correlationId: string;
}

/** Anything with $queryRaw: the client itself (one statement, its own transaction) or a transaction. */
export type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

export async function appendEvent<T extends EventType>(db: Queryable, input: AppendEventInput<T>): Promise<AppendedEvent> {
  if (!isEventType(input.type)) throw new Error(`unknown event type ${String(input.type)}`);
  const def = EVENT_TYPES[input.type];
  const parsed = def.schema.safeParse(input.data);
  if (!parsed.success) {
    throw new Error(`event ${input.type} data does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const data = redact(parsed.data, { secrets: input.secrets });
  const id = newId("evt");
  const correlationId = input.correlationId ?? newId("cor");
  const body: EventBody = {
    id,
    streamType: input.stream.type,
    streamId: input.stream.id,
    type: input.type,
    severity: input.severity ?? def.severity,
    actor: { type: input.actor.type, id: input.actor.id },
    subject: input.subject ?? null,
    correlationId,
    causationId: input.causationId ?? null,
    data,
    createdAt: new Date().toISOString(),
  };
  const dataJson = canonicalJson(data);
  if (Buffer.byteLength(dataJson) > MAX_EVENT_DATA_BYTES) {
    throw new AppError("payload_too_large", `event data is larger than ${MAX_EVENT_DATA_BYTES} bytes`);
  }
  const row: PendingRow = {
    id,
    stream_type: body.streamType,
    stream_id: body.streamId,
    type: body.type,
    severity: body.severity,
    actor_type: body.actor.type,
    actor_id: body.actor.id,
    subject_type: body.subject?.type ?? null,
    subject_id: body.subject?.id ?? null,
    correlation_id: correlationId,
    causation_id: body.causationId,
    data,
    created_at: body.createdAt,
    body: canonicalJson(body),
  };
  if (isTransaction(db)) {
    await db.$queryRaw`
      SELECT capreg_append_event(
        ${row.id}, ${row.stream_type}, ${row.stream_id}, ${row.type}, ${row.severity},
        ${row.actor_type}, ${row.actor_id}, ${row.subject_type}, ${row.subject_id},
        ${row.correlation_id}, ${row.causation_id}, ${dataJson}::jsonb, ${row.created_at}::timestamptz,
        ${row.body})::text`;
  } else {
    await appendInGroup(db as Db, row);
  }
  metrics.eventsAppended.inc({ type: input.type });
  return { id, correlationId };
}

/** A row of event_pending: the event's columns before the chain gives it seq and hashes. */
type PendingRow = Omit<EventRow, "seq" | "stream_seq" | "prev_hash" | "hash" | "created_at"> & { created_at: string; body: string };

/** Interactive transaction clients have no $transaction of their own. */
function isTransaction(db: Queryable): boolean {
  return !("$transaction" in db);
}

// Group commit for appends made outside a transaction: while one batch is being written,
// the appends that arrive meanwhile wait and go out together as one statement, so they
// share one commit (and one turn of the chain lock) instead of queueing for it one by one.
interface GroupQueue {
  waiting: { row: PendingRow; resolve: () => void; reject: (err: unknown) => void }[];
  running: boolean;
}
const groups = new WeakMap<object, GroupQueue>();
const MAX_GROUP = 500;

function appendInGroup(db: Db, row: PendingRow): Promise<void> {
  let q = groups.get(db);
  if (!q) groups.set(db, (q = { waiting: [], running: false }));
  const queue = q;
  return new Promise<void>((resolve, reject) => {
    queue.waiting.push({ row, resolve, reject });
    if (!queue.running) void drainGroup(db, queue);
  });
}

async function drainGroup(db: Db, q: GroupQueue): Promise<void> {
  q.running = true;
  while (q.waiting.length) {
    const batch = q.waiting.splice(0, MAX_GROUP);
    try {
      // jsonb_to_recordset keeps the array order, and the deferred trigger chains rows
      // in insertion order, so a group's events get consecutive seqs in arrival order.
      await db.$executeRawUnsafe(
        `INSERT INTO event_pending (id, stream_type, stream_id, type, severity, actor_type, actor_id, subject_type,
           subject_id, correlation_id, causation_id, data, created_at, body)
         SELECT id, stream_type, stream_id, type, severity, actor_type, actor_id, subject_type, subject_id,
           correlation_id, causation_id, data, created_at, body
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, stream_type text, stream_id text, type text, severity text,
           actor_type text, actor_id text, subject_type text, subject_id text, correlation_id text, causation_id text,
           data jsonb, created_at timestamptz, body text)`,
        JSON.stringify(batch.map((b) => b.row)),
      );
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
  q.running = false;
}

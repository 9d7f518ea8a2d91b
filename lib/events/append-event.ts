// Appends one event to the log inside the caller's transaction, so state and event
// commit together or not at all. The event gets its seq and hash at COMMIT (a deferred
// trigger, see the foundation migration), so it is in `events` once the transaction has
// committed, not before. Data is validated against the type's schema and redacted first.
// Transactions that append must be READ COMMITTED (Prisma's default).
import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";
import { newId } from "../ids";
import { canonicalJson } from "./canonical-json";
import { EVENT_TYPES, isEventType, type ActorType, type EventData, type EventType, type Severity } from "./event-types";
import type { EventBody } from "./hash-chain";
import { redact } from "./redact";
import { eventsAppended } from "./metrics";

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
  await db.$queryRaw`
    SELECT capreg_append_event(
      ${id}, ${body.streamType}, ${body.streamId}, ${body.type}, ${body.severity},
      ${body.actor.type}, ${body.actor.id}, ${body.subject?.type ?? null}, ${body.subject?.id ?? null},
      ${correlationId}, ${body.causationId}, ${dataJson}::jsonb, ${body.createdAt}::timestamptz,
      ${canonicalJson(body)})::text`;
  eventsAppended.inc({ type: input.type });
  return { id, correlationId };
}

// The shape of an event as the API returns it, and its mapping from a database row.
import type { EventBody } from "./hash-chain";

export interface EventRow {
  seq: bigint;
  id: string;
  stream_type: string;
  stream_id: string;
  stream_seq: number;
  type: string;
  severity: string;
  actor_type: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
  created_at: Date;
  prev_hash: string;
  hash: string;
}

export interface EventRecord extends EventBody {
  seq: number;
  streamSeq: number;
  prevHash: string;
  hash: string;
}

export const EVENT_COLUMNS = `seq, id, stream_type, stream_id, stream_seq, type, severity, actor_type, actor_id,
  subject_type, subject_id, correlation_id, causation_id, data, created_at, prev_hash, hash`;

export function toEventRecord(r: EventRow): EventRecord {
  return {
    seq: Number(r.seq),
    id: r.id,
    streamType: r.stream_type,
    streamId: r.stream_id,
    streamSeq: r.stream_seq,
    type: r.type,
    severity: r.severity,
    actor: { type: r.actor_type, id: r.actor_id },
    subject: r.subject_type && r.subject_id ? { type: r.subject_type, id: r.subject_id } : null,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    data: r.data,
    createdAt: r.created_at.toISOString(),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function bodyOf(e: EventRecord): EventBody {
  return {
    id: e.id,
    streamType: e.streamType,
    streamId: e.streamId,
    type: e.type,
    severity: e.severity,
    actor: e.actor,
    subject: e.subject,
    correlationId: e.correlationId,
    causationId: e.causationId,
    data: e.data,
    createdAt: e.createdAt,
  };
}

// The maths of the chain, shared by the writer's checks and the verifier. Pure.
//   body     = every stored field of an event except seq, streamSeq and the hashes
//   document = canonical JSON of { event: body, seq, streamSeq }
//   hash     = sha256_hex(prevHash + document)
// The SQL function capreg_append_event builds the same document by concatenation,
// which is canonical because "event" < "seq" < "streamSeq".
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

export const GENESIS_HASH = "0".repeat(64);

export interface EventBody {
  id: string;
  streamType: string;
  streamId: string;
  type: string;
  severity: string;
  actor: { type: string; id: string | null };
  subject: { type: string; id: string } | null;
  correlationId: string;
  causationId: string | null;
  data: unknown;
  createdAt: string;
}

export interface ChainedEvent {
  seq: number;
  streamSeq: number;
  body: EventBody;
}

export function eventDocument(e: ChainedEvent): string {
  return `{"event":${canonicalJson(e.body)},"seq":${e.seq},"streamSeq":${e.streamSeq}}`;
}

export function chainHash(prevHash: string, e: ChainedEvent): string {
  return createHash("sha256").update(prevHash + eventDocument(e), "utf8").digest("hex");
}

export interface ChainRow extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export type ChainBreak =
  | { kind: "gap"; seq: number }
  | { kind: "prev_hash_mismatch"; seq: number }
  | { kind: "hash_mismatch"; seq: number };

/** Walks rows in seq order from a known point and names the first break, if any. */
export function checkChainSegment(
  rows: Iterable<ChainRow>,
  start: { seq: number; hash: string },
): { last: { seq: number; hash: string }; checked: number; broken?: ChainBreak } {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  let checked = 0;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { last: { seq: expectedSeq - 1, hash: prev }, checked, broken: { kind: "gap", seq: expectedSeq } };
    if (row.prevHash !== prev) return { last: { seq: row.seq - 1, hash: prev }, checked, broken: { kind: "prev_hash_mismatch", seq: row.seq } };
    const computed = chainHash(prev, row);
    if (computed !== row.hash) return { last: { seq: row.seq - 1, hash: prev }, checked, broken: { kind: "hash_mismatch", seq: row.seq } };
    prev = row.hash;
    expectedSeq++;
    checked++;
  }
  return { last: { seq: expectedSeq - 1, hash: prev }, checked };
}

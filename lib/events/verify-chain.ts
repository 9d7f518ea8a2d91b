// The verifier: walks the whole log in seq order, recomputes every hash, and checks each
// signed checkpoint against the key. Names the first broken sequence number. Read-only.
import type { KeyObject } from "node:crypto";
import type { Db } from "../db/prisma";
import { bodyOf, EVENT_COLUMNS, toEventRecord, type EventRow } from "./event-record";
import { checkChainSegment, GENESIS_HASH, type ChainRow } from "./hash-chain";
import { listCheckpoints, type CheckpointRecord } from "./checkpoints";
import { getSigningKey, publicKeyId, verifyCheckpointSignature } from "./signing-key";

export type VerifyFailure =
  | "gap"
  | "prev_hash_mismatch"
  | "hash_mismatch"
  | "checkpoint_signature_invalid"
  | "checkpoint_hash_mismatch"
  | "checkpoint_beyond_head";

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBrokenSeq?: number;
  reason?: VerifyFailure;
  checkpoints: { checked: number; lastSeq: number | null; keyId: string };
}

// Small batches with a yield between them, so a verification of a long log never holds
// the event loop (and with it every other request of this process) for long.
const BATCH = 1000;

export async function verifyChain(db: Db, options: { publicKey?: KeyObject } = {}): Promise<VerifyResult> {
  const publicKey = options.publicKey ?? getSigningKey().publicKey;
  const keyId = publicKeyId(publicKey);
  const checkpoints = await loadAllCheckpoints(db);
  const pending = new Map<number, CheckpointRecord>(checkpoints.map((c) => [c.seq, c]));
  let checkpointsChecked = 0;
  let lastCheckpointSeq: number | null = null;
  let position = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;

  const fail = (seq: number, reason: VerifyFailure): VerifyResult => ({
    ok: false,
    checked,
    headSeq: position.seq,
    headHash: position.hash,
    firstBrokenSeq: seq,
    reason,
    checkpoints: { checked: checkpointsChecked, lastSeq: lastCheckpointSeq, keyId },
  });

  for (;;) {
    const rows = await db.$queryRawUnsafe<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq ASC LIMIT $2`,
      position.seq,
      BATCH,
    );
    if (rows.length === 0) break;
    const chainRows: ChainRow[] = rows.map((r) => {
      const e = toEventRecord(r);
      return { seq: e.seq, streamSeq: e.streamSeq, body: bodyOf(e), prevHash: e.prevHash, hash: e.hash };
    });
    // Check rows one segment at a time so checkpoints are compared at their exact seq.
    for (const row of chainRows) {
      const result = checkChainSegment([row], position);
      if (result.broken) return fail(result.broken.seq, result.broken.kind);
      position = result.last;
      checked++;
      const cp = pending.get(row.seq);
      if (cp) {
        pending.delete(row.seq);
        if (cp.keyId === keyId) {
          if (!verifyCheckpointSignature(publicKey, cp.seq, cp.headHash, cp.signature)) return fail(cp.seq, "checkpoint_signature_invalid");
          if (cp.headHash !== row.hash) return fail(cp.seq, "checkpoint_hash_mismatch");
          checkpointsChecked++;
          lastCheckpointSeq = cp.seq;
        }
      }
    }
    if (rows.length < BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // A signed checkpoint beyond the head means the tail of the log was removed.
  const beyond = [...pending.values()].filter((c) => c.keyId === keyId && verifyCheckpointSignature(publicKey, c.seq, c.headHash, c.signature));
  if (beyond.length) return fail(position.seq + 1, "checkpoint_beyond_head");
  return { ok: true, checked, headSeq: position.seq, headHash: position.hash, checkpoints: { checked: checkpointsChecked, lastSeq: lastCheckpointSeq, keyId } };
}

async function loadAllCheckpoints(db: Db): Promise<CheckpointRecord[]> {
  const all: CheckpointRecord[] = [];
  let after = 0;
  for (;;) {
    const page = await listCheckpoints(db, { afterSeq: after, limit: 1000 });
    all.push(...page);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.seq;
  }
}

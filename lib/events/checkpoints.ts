// Signed checkpoints over (seq, head hash): one at every AUDIT_CHECKPOINT_EVERY-th event
// and one at the head every AUDIT_CHECKPOINT_INTERVAL_MS when the log has moved. Any
// instance may write them; the seq primary key makes concurrent writers harmless.
import type { Db } from "../db/prisma";
import { getEnv } from "../env";
import { getSigningKey, signCheckpoint, type SigningKey } from "./signing-key";

export interface CheckpointRecord {
  seq: number;
  headHash: string;
  signature: string;
  keyId: string;
  createdAt: string;
}

async function insertCheckpoint(db: Db, key: SigningKey, seq: number): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<{ hash: string }[]>(`SELECT hash FROM events WHERE seq = $1`, seq);
  const hash = rows[0]?.hash;
  if (!hash) return false;
  const inserted = await db.$executeRawUnsafe(
    `INSERT INTO event_checkpoints (seq, head_hash, signature, key_id) VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING`,
    seq,
    hash,
    signCheckpoint(key, seq, hash),
    key.keyId,
  );
  return inserted > 0;
}

/** Writes the checkpoints that are due. `atHead` also checkpoints the current head. */
export async function createDueCheckpoints(db: Db, options: { atHead?: boolean; every?: number } = {}): Promise<number[]> {
  const every = options.every ?? getEnv().AUDIT_CHECKPOINT_EVERY;
  const key = getSigningKey();
  const [row] = await db.$queryRawUnsafe<{ head: bigint | null; last_every: bigint | null; last_any: bigint | null }[]>(
    `SELECT (SELECT max(seq) FROM events) AS head,
            (SELECT max(seq) FROM event_checkpoints WHERE seq % $1 = 0) AS last_every,
            (SELECT max(seq) FROM event_checkpoints) AS last_any`,
    every,
  );
  const head = Number(row?.head ?? 0);
  const created: number[] = [];
  for (let seq = Number(row?.last_every ?? 0) + every; seq <= head; seq += every) {
    if (await insertCheckpoint(db, key, seq)) created.push(seq);
  }
  if (options.atHead && head > Number(row?.last_any ?? 0) && !created.includes(head)) {
    if (await insertCheckpoint(db, key, head)) created.push(head);
  }
  return created;
}

export async function listCheckpoints(db: Db, options: { afterSeq?: number; limit?: number } = {}): Promise<CheckpointRecord[]> {
  const rows = await db.$queryRawUnsafe<{ seq: bigint; head_hash: string; signature: string; key_id: string; created_at: Date }[]>(
    `SELECT seq, head_hash, signature, key_id, created_at FROM event_checkpoints WHERE seq > $1 ORDER BY seq ASC LIMIT $2`,
    options.afterSeq ?? 0,
    options.limit ?? 1000,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    headHash: r.head_hash,
    signature: r.signature,
    keyId: r.key_id,
    createdAt: r.created_at.toISOString(),
  }));
}

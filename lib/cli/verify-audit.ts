// `capreg audit verify`, done by the client: fetches every event (GET /api/events, ascending)
// and recomputes the hash chain itself with the registry's own chain maths
// (lib/events/hash-chain.ts: hash = sha256(prevHash ‖ canonical event document)), then fetches
// the signed checkpoints (GET /api/events/checkpoints) and checks each Ed25519 signature over
// "capreg-audit-checkpoint:v1:<seq>:<headHash>" and that the signed head hash is the hash of
// that event. Names the first broken sequence number.
// What it trusts the server for: that the events it serves are all the events (a server
// that drops the newest events after the last checkpoint is not caught), and — unless the
// key is pinned with --public-key — that the public key it serves is the real one (a server
// that rewrote history AND re-signed with a new key would pass an unpinned check).
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { checkChainSegment, GENESIS_HASH, type ChainRow } from "../events/hash-chain";
import type { ApiClient } from "./api-client";

export interface ApiEvent {
  seq: number;
  streamSeq: number;
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
  prevHash: string;
  hash: string;
}

interface Checkpoint {
  seq: number;
  headHash: string;
  signature: string;
  keyId: string;
}

export interface ClientVerifyResult {
  ok: boolean;
  checkedEvents: number;
  headSeq: number;
  headHash: string;
  firstBrokenSeq?: number;
  reason?: string;
  checkpoints: { checked: number; skippedOtherKeys: number; lastSeq: number | null; keyId: string | null; keyPinned: boolean };
  trusts: string[];
}

export function checkpointMessage(seq: number, headHash: string): Buffer {
  return Buffer.from(`capreg-audit-checkpoint:v1:${seq}:${headHash}`, "utf8");
}

function toChainRow(e: ApiEvent): ChainRow {
  return {
    seq: e.seq,
    streamSeq: e.streamSeq,
    prevHash: e.prevHash,
    hash: e.hash,
    body: {
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
    },
  };
}

export async function verifyAuditLog(
  client: ApiClient,
  o: { pinnedPublicKeyPem?: string; onProgress?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<ClientVerifyResult> {
  // Checkpoints first, so they are compared while the events stream past.
  const checkpoints = new Map<number, Checkpoint>();
  let served: { publicKey: string; keyId: string } | null = null;
  let after = 0;
  for (;;) {
    const page = (await client.get<{ publicKey: string; keyId: string; items: Checkpoint[]; nextCursor: string | null }>("/api/events/checkpoints", { query: { afterSeq: after, limit: 1000 }, signal: o.signal })).body;
    served ??= { publicKey: page.publicKey, keyId: page.keyId };
    for (const c of page.items) checkpoints.set(c.seq, c);
    if (!page.nextCursor) break;
    after = Number(page.nextCursor);
  }
  const key: KeyObject = createPublicKey(o.pinnedPublicKeyPem ?? served!.publicKey);
  const keyPinned = Boolean(o.pinnedPublicKeyPem);
  const trusts = [
    "that GET /api/events serves every event (events appended after the last checkpoint could be withheld unnoticed)",
    ...(keyPinned ? [] : ["the public key the server serves (pin one with --public-key to remove this trust)"]),
  ];
  // The same id the server gives a key (lib/events/signing-key.ts publicKeyId).
  const keyId = createHash("sha256").update(key.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);

  let position = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let cpChecked = 0;
  let cpSkipped = 0;
  let cpLast: number | null = null;
  const result = (extra: Partial<ClientVerifyResult>): ClientVerifyResult => ({
    ok: true,
    checkedEvents: checked,
    headSeq: position.seq,
    headHash: position.hash,
    checkpoints: { checked: cpChecked, skippedOtherKeys: cpSkipped, lastSeq: cpLast, keyId, keyPinned },
    trusts,
    ...extra,
  });
  let cursor: string | undefined;
  for (;;) {
    const query = cursor ? { cursor, limit: 200 } : { fromSeq: 1, limit: 200 };
    const page = (await client.get<{ items: ApiEvent[]; nextCursor: string | null }>("/api/events", { query, signal: o.signal })).body;
    for (const e of page.items) {
      const r = checkChainSegment([toChainRow(e)], position);
      if (r.broken) return result({ ok: false, firstBrokenSeq: r.broken.seq, reason: r.broken.kind });
      position = r.last;
      checked++;
      const cp = checkpoints.get(e.seq);
      if (cp) {
        checkpoints.delete(e.seq);
        // A checkpoint of another key (rotated, or not the pinned one) cannot be checked with this one.
        if (cp.keyId !== keyId) {
          cpSkipped++;
          continue;
        }
        let valid = false;
        try {
          valid = verify(null, checkpointMessage(cp.seq, cp.headHash), key, Buffer.from(cp.signature, "base64"));
        } catch {
          valid = false;
        }
        if (!valid) return result({ ok: false, firstBrokenSeq: cp.seq, reason: "checkpoint_signature_invalid" });
        if (cp.headHash !== e.hash) return result({ ok: false, firstBrokenSeq: cp.seq, reason: "checkpoint_hash_mismatch" });
        cpChecked++;
        cpLast = cp.seq;
      }
    }
    if (page.items.length) o.onProgress?.(`verified events up to #${position.seq}`);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  // A checkpoint beyond the events served: the server withheld events it once signed.
  const beyond = [...checkpoints.keys()].filter((s) => s > position.seq).sort((a, b) => a - b)[0];
  if (beyond !== undefined) return result({ ok: false, firstBrokenSeq: position.seq + 1, reason: `checkpoint_beyond_head: a checkpoint signs #${beyond}, but the log served ends at #${position.seq}` });
  if (keyPinned && cpChecked === 0 && cpSkipped > 0) return result({ ok: false, reason: "no checkpoint is signed by the pinned key" });
  return result({});
}

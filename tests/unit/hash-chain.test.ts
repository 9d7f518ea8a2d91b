import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { chainHash, checkChainSegment, eventDocument, GENESIS_HASH, type ChainRow, type EventBody } from "../../lib/events/hash-chain";

function body(i: number, data: unknown = { i }): EventBody {
  return {
    id: `evt_${String(i).padStart(26, "0")}`,
    streamType: "test",
    streamId: "s1",
    type: "note.recorded",
    severity: "info",
    actor: { type: "system", id: null },
    subject: null,
    correlationId: "cor_1",
    causationId: null,
    data,
    createdAt: "2026-11-21T00:00:00.000Z",
  };
}

function buildChain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = { seq: i, streamSeq: i, body: body(i) };
    const hash = chainHash(prev, e);
    rows.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("hash chain", () => {
  test("hash = sha256(prevHash ‖ canonical {event, seq, streamSeq})", () => {
    const e = { seq: 1, streamSeq: 1, body: body(1) };
    const doc = eventDocument(e);
    expect(doc.startsWith('{"event":{"actor":{"id":null,"type":"system"},')).toBe(true);
    expect(doc.endsWith(',"seq":1,"streamSeq":1}')).toBe(true);
    expect(chainHash(GENESIS_HASH, e)).toBe(createHash("sha256").update(GENESIS_HASH + doc).digest("hex"));
  });

  test("the hash depends on the previous hash, the sequence numbers and every field", () => {
    const e = { seq: 1, streamSeq: 1, body: body(1) };
    const h = chainHash(GENESIS_HASH, e);
    expect(chainHash("f".repeat(64), e)).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...e, seq: 2 })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...e, streamSeq: 2 })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...e, body: body(1, { i: 2 }) })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...e, body: { ...body(1), severity: "security" } })).not.toBe(h);
  });

  test("a valid chain checks out", () => {
    const rows = buildChain(20);
    const r = checkChainSegment(rows, { seq: 0, hash: GENESIS_HASH });
    expect(r.broken).toBeUndefined();
    expect(r.checked).toBe(20);
    expect(r.last).toEqual({ seq: 20, hash: rows[19]!.hash });
  });

  test("an altered row is reported at its own seq", () => {
    const rows = buildChain(10);
    rows[4] = { ...rows[4]!, body: body(5, { i: "tampered" }) };
    expect(checkChainSegment(rows, { seq: 0, hash: GENESIS_HASH }).broken).toEqual({ kind: "hash_mismatch", seq: 5 });
  });

  test("a missing row is reported as a gap at the missing seq", () => {
    const rows = buildChain(10);
    rows.splice(6, 1);
    expect(checkChainSegment(rows, { seq: 0, hash: GENESIS_HASH }).broken).toEqual({ kind: "gap", seq: 7 });
  });

  test("a row whose hash was recomputed breaks the link to the next one", () => {
    const rows = buildChain(10);
    const forged = { ...rows[2]!, body: body(3, { i: "forged" }) };
    forged.hash = chainHash(forged.prevHash, forged);
    rows[2] = forged;
    expect(checkChainSegment(rows, { seq: 0, hash: GENESIS_HASH }).broken).toEqual({ kind: "prev_hash_mismatch", seq: 4 });
  });

  test("checking can resume from a known position", () => {
    const rows = buildChain(10);
    const r = checkChainSegment(rows.slice(5), { seq: 5, hash: rows[4]!.hash });
    expect(r.broken).toBeUndefined();
    expect(r.checked).toBe(5);
  });
});

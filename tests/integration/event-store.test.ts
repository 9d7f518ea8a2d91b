// The event log against a real PostgreSQL: concurrency, append-only enforcement,
// tamper detection by the verifier and the signed checkpoints.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appendEvent } from "../../lib/events/append-event";
import { createDueCheckpoints, listCheckpoints } from "../../lib/events/checkpoints";
import { canonicalJson } from "../../lib/events/canonical-json";
import { chainHash } from "../../lib/events/hash-chain";
import { bodyOf, EVENT_COLUMNS, toEventRecord, type EventRow } from "../../lib/events/event-record";
import { getEvent, listEvents } from "../../lib/events/list-events";
import { REDACTED } from "../../lib/events/redact";
import { verifyChain } from "../../lib/events/verify-chain";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

const note = (message: string, stream = "s1") =>
  ({ type: "note.recorded", data: { message }, stream: { type: "test", id: stream }, actor: { type: "system", id: null } }) as const;

async function appendMany(t: TestDatabase, n: number, stream = "s1") {
  for (let i = 0; i < n; i++) await appendEvent(t.db, note(`m${i}`, stream));
}

describe("concurrent appends", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  test("8 concurrent writers × 500 events give seq 1..4000, no gap, no fork, a verifying chain", async () => {
    const writers = 8;
    const each = 500;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < each; i++) {
          // Half inside a transaction with a state change, half as single statements.
          if (i % 2) {
            await t.db.$transaction(async (tx) => {
              await tx.rateLimitBucket.upsert({ where: { key: `w${w}` }, create: { key: `w${w}`, windowStart: new Date(), count: 1 }, update: { count: { increment: 1 } } });
              await appendEvent(tx, note(`w${w}-${i}`, `w${w}`));
            });
          } else {
            await appendEvent(t.db, note(`w${w}-${i}`, `w${w}`));
          }
        }
      }),
    );
    const owner = await t.ownerClient();
    const stats = await owner.query(
      `SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT prev_hash)::int AS prevs FROM events`,
    );
    expect(stats.rows[0]).toEqual({ n: 4000, lo: 1, hi: 4000, prevs: 4000 });
    // Every stream has its own gapless sequence too.
    const streams = await owner.query(`SELECT stream_id, count(*)::int AS n, max(stream_seq)::int AS hi FROM events GROUP BY stream_id`);
    for (const r of streams.rows) expect(r.n).toBe(r.hi);
    const pending = await owner.query(`SELECT count(*)::int AS n FROM event_pending`);
    expect(pending.rows[0].n).toBe(0);
    await owner.end();
    const v = await verifyChain(t.db);
    expect(v).toMatchObject({ ok: true, checked: 4000, headSeq: 4000 });
  });

  test("a rolled-back transaction leaves neither state nor event, and no gap", async () => {
    const before = await verifyChain(t.db);
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "rollback-probe", value: true } });
        await appendEvent(tx, note("never"));
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await appendEvent(t.db, note("after rollback"));
    const after = await verifyChain(t.db);
    expect(after.ok).toBe(true);
    expect(after.headSeq).toBe(before.headSeq + 1);
    expect(await t.db.setting.findUnique({ where: { key: "rollback-probe" } })).toBeNull();
  });
});

describe("append-only in the database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await appendMany(t, 3);
  });
  afterAll(() => t.drop());

  test("the app role has no UPDATE, DELETE or TRUNCATE privilege on events", async () => {
    await expect(t.db.$executeRawUnsafe(`UPDATE events SET type = 'x' WHERE seq = 1`)).rejects.toThrow(/permission denied/);
    await expect(t.db.$executeRawUnsafe(`DELETE FROM events WHERE seq = 1`)).rejects.toThrow(/permission denied/);
    await expect(t.db.$executeRawUnsafe(`TRUNCATE events`)).rejects.toThrow(/permission denied/);
  });

  test("even the owner is stopped by the triggers: UPDATE, DELETE, TRUNCATE rejected", async () => {
    const owner = await t.ownerClient();
    await expect(owner.query(`UPDATE events SET type = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM events WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE events CASCADE`)).rejects.toThrow(/append-only/);
    const n = await owner.query(`SELECT count(*)::int AS n FROM events`);
    expect(n.rows[0].n).toBe(3);
    await owner.end();
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  test("an event with an unknown type or mismatching data is refused before anything is written", async () => {
    type AnyInput = Parameters<typeof appendEvent>[1];
    await expect(appendEvent(t.db, { ...note("x"), type: "made.up" } as unknown as AnyInput)).rejects.toThrow(/unknown event type/);
    await expect(appendEvent(t.db, { ...note("x"), data: { message: 42 } } as unknown as AnyInput)).rejects.toThrow(/does not match/);
    expect((await verifyChain(t.db)).headSeq).toBe(3);
  });

  test("data is redacted before it is written", async () => {
    const secret = "sk_test_0123456789abcdef";
    const { id } = await appendEvent(t.db, { ...note(`key is ${secret}`), secrets: [secret] });
    const e = await getEvent(t.db, id);
    expect(e.data).toEqual({ message: `key is ${REDACTED}` });
    const owner = await t.ownerClient();
    const leaked = await owner.query(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1`, [`%${secret}%`]);
    expect(leaked.rows[0].n).toBe(0);
    await owner.end();
  });
});

describe("tampering is detected", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  async function asSuperuser(sql: string, params: unknown[] = []) {
    const owner = await t.ownerClient();
    try {
      await owner.query("BEGIN");
      await owner.query("ALTER TABLE events DISABLE TRIGGER USER");
      await owner.query(sql, params);
      await owner.query("ALTER TABLE events ENABLE TRIGGER USER");
      await owner.query("COMMIT");
    } finally {
      await owner.end();
    }
  }

  test("a row altered with the trigger disabled is reported at exactly its seq", async () => {
    await appendMany(t, 20);
    expect((await verifyChain(t.db)).ok).toBe(true);
    await asSuperuser(`UPDATE events SET data = '{"message":"rewritten"}' WHERE seq = 13`);
    const v = await verifyChain(t.db);
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: 13, reason: "hash_mismatch" });
    expect(v.checked).toBe(12);
  });
});

describe("a deleted middle row", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await appendMany(t, 10);
  });
  afterAll(() => t.drop());

  test("is reported as a gap at the missing seq", async () => {
    const owner = await t.ownerClient();
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE events DISABLE TRIGGER USER");
    await owner.query("DELETE FROM events WHERE seq = 6");
    await owner.query("ALTER TABLE events ENABLE TRIGGER USER");
    await owner.query("COMMIT");
    await owner.end();
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBrokenSeq: 6, reason: "gap" });
  });
});

describe("signed checkpoints", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await Promise.all(Array.from({ length: 5 }, (_, w) => appendMany(t, 50, `c${w}`)));
  });
  afterAll(() => t.drop());

  test("are made at every Nth event and at the head, and verify", async () => {
    const made = await createDueCheckpoints(t.db, { every: 100, atHead: true });
    expect(made).toEqual([100, 200, 250]);
    expect(await createDueCheckpoints(t.db, { every: 100, atHead: true })).toEqual([]);
    const cps = await listCheckpoints(t.db);
    expect(cps.map((c) => c.seq)).toEqual([100, 200, 250]);
    const v = await verifyChain(t.db);
    expect(v).toMatchObject({ ok: true, checked: 250, checkpoints: { checked: 3, lastSeq: 250 } });
  });

  test("a tail rewritten with recomputed hashes fails the checkpoint", async () => {
    const owner = await t.ownerClient();
    const rows = (await owner.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq >= 180 ORDER BY seq`)).rows.map(toEventRecord);
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE events DISABLE TRIGGER USER");
    let prev = rows[0]!.prevHash;
    for (const e of rows) {
      const body = { ...bodyOf(e), data: { message: `forged ${e.seq}` } };
      const hash = chainHash(prev, { seq: e.seq, streamSeq: e.streamSeq, body });
      await owner.query(`UPDATE events SET data = $1::jsonb, prev_hash = $2, hash = $3 WHERE seq = $4`, [canonicalJson(body.data), prev, hash, e.seq]);
      prev = hash;
    }
    await owner.query("ALTER TABLE events ENABLE TRIGGER USER");
    await owner.query("COMMIT");
    await owner.end();
    // The chain itself is consistent again; only the signature tells.
    const v = await verifyChain(t.db);
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: 200, reason: "checkpoint_hash_mismatch" });
  });

  test("a checkpoint rewritten to match the forgery fails its signature", async () => {
    const owner = await t.ownerClient();
    const head = (await owner.query(`SELECT hash FROM events WHERE seq = 200`)).rows[0].hash as string;
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE event_checkpoints DISABLE TRIGGER USER");
    await owner.query(`UPDATE event_checkpoints SET head_hash = $1 WHERE seq = 200`, [head]);
    await owner.query("ALTER TABLE event_checkpoints ENABLE TRIGGER USER");
    await owner.query("COMMIT");
    await owner.end();
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBrokenSeq: 200, reason: "checkpoint_signature_invalid" });
  });
});

describe("a truncated tail", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await appendMany(t, 30);
    await createDueCheckpoints(t.db, { every: 1000, atHead: true });
  });
  afterAll(() => t.drop());

  test("is caught by the checkpoint beyond the new head", async () => {
    const owner = await t.ownerClient();
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE events DISABLE TRIGGER USER");
    await owner.query("DELETE FROM events WHERE seq > 25");
    await owner.query("ALTER TABLE events ENABLE TRIGGER USER");
    await owner.query("COMMIT");
    await owner.end();
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBrokenSeq: 26, reason: "checkpoint_beyond_head" });
  });
});

describe("listing", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    for (let i = 0; i < 30; i++) {
      await appendEvent(t.db, { ...note(`n${i}`, i % 2 ? "odd" : "even"), correlationId: i < 3 ? "cor_fixed" : undefined });
    }
  });
  afterAll(() => t.drop());

  test("pages newest first with a cursor, without overlap", async () => {
    const first = await listEvents(t.db, { limit: 12 });
    expect(first.items.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 30 - i));
    const second = await listEvents(t.db, { limit: 12, cursor: first.nextCursor! });
    const third = await listEvents(t.db, { limit: 12, cursor: second.nextCursor! });
    const seqs = [...first.items, ...second.items, ...third.items].map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(third.nextCursor).toBeNull();
  });

  test("fromSeq reads ascending from that seq, inclusive", async () => {
    const r = await listEvents(t.db, { limit: 5, fromSeq: 10 });
    expect(r.items.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
    const next = await listEvents(t.db, { limit: 5, cursor: r.nextCursor! });
    expect(next.items[0]!.seq).toBe(15);
  });

  test("filters by stream and correlation", async () => {
    const odd = await listEvents(t.db, { limit: 50, streamType: "test", streamId: "odd" });
    expect(odd.items).toHaveLength(15);
    expect(odd.items.every((e) => e.streamId === "odd")).toBe(true);
    const cor = await listEvents(t.db, { limit: 50, correlationId: "cor_fixed" });
    expect(cor.items.map((e) => e.seq).sort()).toEqual([1, 2, 3]);
  });
});

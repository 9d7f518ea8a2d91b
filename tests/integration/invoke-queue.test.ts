// The web side of the queue against a real Postgres, without an executor: enqueue writes
// the `queued` row and notifies capreg_exec_queued in one statement; awaitExecution wakes on
// capreg_exec_done from another connection (as an executor on another machine would send
// it), sees a completion that happened before it listened, falls back to polling when a
// notification is lost, survives its LISTEN connection being killed, serves two "web
// instances" at once, and times out with null. enqueueIfAdmitted checks the rate limits,
// executor liveness and the queue bound in the very statement that queues.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../../lib/errors";
import { REDACTED } from "../../lib/events/redact";
import { ExecutionWaiter } from "../../lib/execution/queue/await-execution";
import { enqueueExecution, enqueueIfAdmitted, MAX_INPUT_DEPTH, prepareQueuedInput, type Admission, type EnqueueExecutionInput } from "../../lib/execution/queue/enqueue";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let owner: pg.Client;
const waiters: ExecutionWaiter[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  owner = await t.ownerClient();
});
afterAll(async () => {
  for (const w of waiters) await w.close();
  await owner.end();
  await t.drop();
});

function waiter(pollMs?: number): ExecutionWaiter {
  const w = new ExecutionWaiter(t.db, t.appUrl, pollMs);
  waiters.push(w);
  return w;
}

const base = (over: Partial<EnqueueExecutionInput> = {}): EnqueueExecutionInput => ({
  agentId: "agt_test",
  installationId: "ins_test",
  capabilityId: "cap_test",
  versionId: "ver_test",
  capabilitySlug: "queue-test",
  version: "1.0.0",
  action: "run",
  kind: "code",
  input: prepareQueuedInput({ n: 1 }),
  correlationId: "cor_00000000000000000000000000",
  actor: { type: "user", id: "usr_test" },
  tokenId: null,
  timeoutMs: 1000,
  ...over,
});

/** What an executor's complete() does: final status, then NOTIFY in the same transaction. */
async function finish(id: string, notify = true, status = "succeeded") {
  await owner.query("BEGIN");
  await owner.query(`UPDATE executions SET status = $2, output = '{"ok":true}', duration_ms = 7, finished_at = now() WHERE id = $1`, [id, status]);
  if (notify) await owner.query(`SELECT pg_notify('capreg_exec_done', $1)`, [id]);
  await owner.query("COMMIT");
}

describe("enqueue", () => {
  test("inserts a queued row and notifies capreg_exec_queued once it is committed", async () => {
    const listener = await t.ownerClient();
    const got: string[] = [];
    listener.on("notification", (m) => {
      if (m.channel === "capreg_exec_queued" && m.payload) got.push(m.payload);
    });
    await listener.query("LISTEN capreg_exec_queued");
    const arrived = new Promise<void>((resolve) => listener.on("notification", () => resolve()));
    const { id } = await enqueueExecution(t.db, base({ input: prepareQueuedInput({ text: "hello", max_tokens: 12 }) }));
    await arrived;
    await listener.end();
    expect(got).toEqual([id]);
    const { rows } = await owner.query(`SELECT status, input, timeout_ms, correlation_id, actor_type, actor_id, attempts FROM executions WHERE id = $1`, [id]);
    // Inputs are stored as given (a key that merely looks secret is the caller's data the action needs).
    expect(rows[0]).toMatchObject({ status: "queued", input: { text: "hello", max_tokens: 12 }, timeout_ms: 1000, actor_type: "user", actor_id: "usr_test", attempts: 0 });
  });

  test("known secret values are replaced; NUL and lone surrogates are made storable", async () => {
    const secret = "sk-live-" + Math.random().toString(36).slice(2);
    const input = prepareQueuedInput({ note: `key=${secret};`, [secret]: 1, bad: "a\u0000b\ud800" }, [secret]);
    const { id } = await enqueueExecution(t.db, base({ input }));
    const { rows } = await owner.query(`SELECT input::text AS text FROM executions WHERE id = $1`, [id]);
    expect(rows[0].text).not.toContain(secret);
    expect(JSON.parse(rows[0].text)).toEqual({ note: `key=${REDACTED};`, [REDACTED]: 1, bad: "a\uFFFDb\uFFFD" });
  });

  test("too large (413) and too deep (422) inputs are refused, naming the path input", () => {
    const big = { text: "x".repeat(300 * 1024) };
    expect(() => prepareQueuedInput(big)).toThrowError(AppError);
    try {
      prepareQueuedInput(big);
    } catch (err) {
      expect((err as AppError).code).toBe("payload_too_large");
      expect((err as AppError).errors?.[0]?.path).toBe("input");
    }
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_INPUT_DEPTH + 5; i++) deep = { d: deep };
    try {
      prepareQueuedInput(deep);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe("validation_failed");
      expect((err as AppError).errors?.[0]?.path).toBe("input");
    }
  });
});

describe("awaitExecution", () => {
  test("wakes on capreg_exec_done sent from another connection", async () => {
    const w = waiter();
    const { id } = await enqueueExecution(t.db, base());
    await w.start();
    const t0 = performance.now();
    const pending = w.wait(id, 10_000);
    await finish(id);
    const row = await pending;
    expect(row).toMatchObject({ id, status: "succeeded", output: { ok: true }, durationMs: 7 });
    // Far below the 1 s poll: the notification did it.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(w.pending).toBe(0);
  });

  test("sees an execution that finished before the wait started (first LISTEN included)", async () => {
    const w = waiter();
    const { id } = await enqueueExecution(t.db, base());
    await finish(id, false, "failed");
    const row = await w.wait(id, 5_000);
    expect(row).toMatchObject({ id, status: "failed" });
  });

  test("a lost notification is made up by the poll", async () => {
    const w = waiter();
    const { id } = await enqueueExecution(t.db, base());
    await w.start();
    const pending = w.wait(id, 5_000);
    // Let the first check pass while the row is still queued.
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await finish(id, false);
    const row = await pending;
    expect(row?.status).toBe("succeeded");
    expect(performance.now() - t0).toBeLessThan(1_600);
  });

  test("times out with null and forgets the waiter; an aborted signal ends the wait", async () => {
    const w = waiter();
    const { id } = await enqueueExecution(t.db, base());
    const t0 = performance.now();
    expect(await w.wait(id, 300)).toBeNull();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(w.pending).toBe(0);
    const ac = new AbortController();
    const pending = w.wait(id, 10_000, ac.signal);
    ac.abort();
    expect(await pending).toBeNull();
    expect(w.pending).toBe(0);
  });

  test("many waiters on two instances, one notification each, all resolved", async () => {
    const a = waiter();
    const b = waiter();
    const ids = await Promise.all(Array.from({ length: 20 }, () => enqueueExecution(t.db, base()).then((r) => r.id)));
    await Promise.all([a.start(), b.start()]);
    const both = ids.map((id) => Promise.all([a.wait(id, 10_000), b.wait(id, 10_000)]));
    for (const id of ids) await finish(id);
    const rows = await Promise.all(both);
    for (const [i, [ra, rb]] of rows.entries()) {
      expect(ra?.id).toBe(ids[i]);
      expect(rb?.id).toBe(ids[i]);
    }
  });

  test("a killed LISTEN connection is re-established and waiters still resolve promptly", async () => {
    // The safety-net poll is stretched to a minute, so only a notification on the new
    // connection can resolve the waiter within the test's time.
    const w = waiter(60_000);
    await w.start();
    const before = await owner.query(`SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN capreg_exec_done' AND datname = current_database()`);
    expect(before.rows.length).toBeGreaterThan(0);
    await owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN capreg_exec_done' AND datname = current_database()`);
    const { id } = await enqueueExecution(t.db, base());
    const pending = w.wait(id, 10_000);
    // Wait until a new LISTEN connection exists, then complete with a notification.
    let fresh: unknown[] = [];
    for (let i = 0; i < 100 && !fresh.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      // Idle: the LISTEN statement has finished (its text shows while it still runs).
      const now = await owner.query(`SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN capreg_exec_done' AND state = 'idle' AND datname = current_database()`);
      fresh = now.rows.filter((r) => !before.rows.some((b) => b.pid === r.pid));
    }
    expect(fresh.length).toBeGreaterThan(0);
    const t0 = performance.now();
    await finish(id);
    expect((await pending)?.status).toBe("succeeded");
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe("enqueueIfAdmitted", () => {
  const admission = (over: Partial<Admission> = {}): Admission => ({
    rateLimits: [
      { key: `t:${Math.random()}`, limit: 100 },
      { key: `a:${Math.random()}`, limit: 100 },
    ],
    rateLimitWindowMs: 60_000,
    maxQueued: 100,
    maxConcurrent: 10,
    liveWithinMs: 45_000,
    ...over,
  });
  const queuedNow = async () => Number((await owner.query(`SELECT count(*) FROM executions WHERE status = 'queued'`)).rows[0].count);

  test("no live executor → refused, nothing inserted; a fresh heartbeat admits, notifies and counts the limits", async () => {
    await owner.query(`DELETE FROM executions`);
    await owner.query(`DELETE FROM executors`);
    const a = admission();
    expect(await enqueueIfAdmitted(t.db, base(), a)).toEqual({ queued: false, reason: "no_executor" });
    expect(await queuedNow()).toBe(0);
    // A stale one and a stopped one do not count.
    await owner.query(`INSERT INTO executors (id, host, pid, slots, status, heartbeat_at) VALUES ('exr_stale', 'h', 1, 1, 'running', now() - interval '1 hour'), ('exr_stopped', 'h', 2, 1, 'stopped', now())`);
    expect(await enqueueIfAdmitted(t.db, base(), a)).toEqual({ queued: false, reason: "no_executor" });
    await owner.query(`INSERT INTO executors (id, host, pid, slots, status, heartbeat_at) VALUES ('exr_live', 'h', 3, 1, 'running', now())`);
    const listener = await t.ownerClient();
    await listener.query("LISTEN capreg_exec_queued");
    const note = new Promise<string>((resolve) => listener.on("notification", (m) => resolve(m.payload ?? "")));
    const r = await enqueueIfAdmitted(t.db, base({ input: prepareQueuedInput({ x: 1 }) }), a);
    expect(r.queued).toBe(true);
    if (!r.queued) return;
    expect(await note).toBe(r.id);
    await listener.end();
    const { rows } = await owner.query(`SELECT status, input, timeout_ms FROM executions WHERE id = $1`, [r.id]);
    expect(rows[0]).toEqual({ status: "queued", input: { x: 1 }, timeout_ms: 1000 });
    const buckets = await owner.query(`SELECT key, count FROM rate_limit_buckets WHERE key = ANY($1) ORDER BY key`, [a.rateLimits.map((l) => l.key)]);
    // Three calls, each counted (refused ones too).
    expect(buckets.rows.map((b) => b.count)).toEqual([3, 3]);
  });

  test("a limit passed → rate_limited naming the first limit exceeded, with a Retry-After within the window", async () => {
    const a = admission({ rateLimits: [{ key: `t:${Math.random()}`, limit: 2 }, { key: `a:${Math.random()}`, limit: 1 }] });
    expect((await enqueueIfAdmitted(t.db, base(), a)).queued).toBe(true);
    const second = await enqueueIfAdmitted(t.db, base(), a);
    expect(second).toMatchObject({ queued: false, reason: "rate_limited", key: a.rateLimits[1]!.key, limit: 1 });
    const third = await enqueueIfAdmitted(t.db, base(), a);
    expect(third).toMatchObject({ queued: false, reason: "rate_limited", key: a.rateLimits[0]!.key, limit: 2 });
    if (third.queued || third.reason !== "rate_limited") return;
    expect(third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(third.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  test("queue full only when maxQueued are waiting AND no running slot is free", async () => {
    await owner.query(`DELETE FROM executions`);
    // maxQueued 0: admitted while a running slot is free…
    expect((await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 0, maxConcurrent: 2 }))).queued).toBe(true);
    await owner.query(`UPDATE executions SET status = 'running'`);
    expect((await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 0, maxConcurrent: 2 }))).queued).toBe(true);
    // …now 1 running + 1 waiting fill both slots: refused.
    expect(await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 0, maxConcurrent: 2 }))).toEqual({ queued: false, reason: "queue_full", waiting: 1, running: 1 });
    expect(await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 1, maxConcurrent: 2 }))).toEqual({ queued: false, reason: "queue_full", waiting: 1, running: 1 });
    expect((await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 2, maxConcurrent: 2 }))).queued).toBe(true);
    // Workflow step rows (parent_id set) never count.
    await owner.query(`UPDATE executions SET parent_id = 'exe_parent' WHERE status = 'queued'`);
    expect((await enqueueIfAdmitted(t.db, base(), admission({ maxQueued: 0, maxConcurrent: 2 }))).queued).toBe(true);
  });
});

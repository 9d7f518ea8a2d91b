// The executor side of the queue against a real Postgres and real isolates: executors racing
// for the same queued work (each execution claimed and run exactly once), the global cap
// held across executors, leases (heartbeat extends only a matching token; completing with a
// lost lease changes nothing), and the reaper (side-effect-free work requeued, anything
// that could repeat an external effect failed with executor_lost, stale executors lost).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExecutor, type ExecutorHandle } from "../../lib/execution/executor/executor";
import { claimExecutions } from "../../lib/execution/queue/claim";
import { completeExecution } from "../../lib/execution/queue/complete";
import { heartbeatExecutor } from "../../lib/execution/queue/heartbeat";
import { MAX_ATTEMPTS, reap, reapExecutor, reapExpiredLeases } from "../../lib/execution/queue/reap";
import type { ActionOutcome } from "../../lib/execution/types";
import { verifyChain } from "../../lib/events/verify-chain";
import { newId } from "../../lib/ids";
import { codeCapability, createWorld, enqueue, eventsOfExecution, install, rows, waitForFinal, waitUntil, type Installed, type World } from "./executor-helpers";

let w: World;
const executors: ExecutorHandle[] = [];

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  for (const e of executors.splice(0)) await e.stop();
  // Events appended by executors (on their own pg connections) and by these tests chain.
  const chain = await verifyChain(w.t.db);
  await w.close();
  expect(chain).toMatchObject({ ok: true });
  expect(chain.checked).toBeGreaterThan(100);
});

async function start(o: { slots: number; maxConcurrent: number; leaseMs?: number; pollMs?: number }): Promise<ExecutorHandle> {
  const e = await startExecutor({ db: w.t.db, databaseUrl: w.t.appUrl, slots: o.slots, maxConcurrent: o.maxConcurrent, leaseMs: o.leaseMs ?? 15_000, reapEveryMs: 60_000, pollMs: o.pollMs });
  executors.push(e);
  return e;
}

async function stopAll() {
  for (const e of executors.splice(0)) await e.stop();
}

const ok: ActionOutcome = { status: "succeeded", output: { done: true }, logs: [], resources: { wallMs: 1, networkCalls: 0 }, requests: [] };

describe("claiming", () => {
  test("two executors racing over 50 queued executions: each is claimed and run exactly once", async () => {
    const cap = await install(w, codeCapability("return { doubled: input.n * 2 };", { actions: [{ id: "run", inputs: [{ name: "n", type: "integer", required: true }], outputs: [{ name: "doubled", type: "integer", required: true }] }] }));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await enqueue(w, cap, "run", { n: i }));
    const [a, b] = await Promise.all([start({ slots: 4, maxConcurrent: 100 }), start({ slots: 4, maxConcurrent: 100 })]);
    const done = await waitForFinal(w, ids);
    await stopAll();

    expect(done.map((r) => r.status)).toEqual(ids.map(() => "succeeded"));
    const byId = new Map(done.map((r) => [r.id, (r.output as { doubled: number }).doubled]));
    expect(ids.map((id) => byId.get(id))).toEqual(ids.map((_, i) => i * 2));
    expect(done.every((r) => r.attempts === 1 && r.lease_token === null)).toBe(true);
    const started = await w.t.db.$queryRawUnsafe<{ stream_id: string; n: number }[]>(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'execution.started' AND stream_id = ANY($1::text[]) GROUP BY stream_id`,
      ids,
    );
    expect(started).toHaveLength(50);
    expect(started.every((s) => s.n === 1)).toBe(true);
    const succeeded = await w.t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'execution.succeeded' AND stream_id = ANY($1::text[])`, ids);
    expect(succeeded[0]!.n).toBe(50);
    // Both executors took part, and their counts add up to the 50.
    const by = new Map<string, number>();
    for (const r of done) by.set(r.leased_by!, (by.get(r.leased_by!) ?? 0) + 1);
    expect([...by.keys()].sort()).toEqual([a!.id, b!.id].sort());
    expect(a!.stats().completed + b!.stats().completed).toBe(50);
  });

  test("the global cap holds across executors: MAX=2 with two executors of 4 slots never runs more than 2", async () => {
    const cap = await install(w, codeCapability("const t = Date.now(); while (Date.now() - t < 150) {} return { ok: true };"));
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await enqueue(w, cap, "run", {}));
    const watcher = new pg.Client({ connectionString: w.t.appUrl });
    await watcher.connect();
    let maxRunning = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { rows: r } = await watcher.query(`SELECT count(*)::int AS n FROM executions WHERE status = 'running' AND parent_id IS NULL`);
        maxRunning = Math.max(maxRunning, r[0].n as number);
      }
    })();
    await Promise.all([start({ slots: 4, maxConcurrent: 2 }), start({ slots: 4, maxConcurrent: 2 })]);
    const done = await waitForFinal(w, ids);
    watching = false;
    await watch;
    await watcher.end();
    await stopAll();
    expect(done.every((r) => r.status === "succeeded")).toBe(true);
    expect(maxRunning).toBe(2);
    // And by the rows themselves: at no instant were three runs between started_at and finished_at.
    const spans = await w.t.db.$queryRawUnsafe<{ s: Date; f: Date }[]>(`SELECT started_at AS s, finished_at AS f FROM executions WHERE id = ANY($1::text[])`, ids);
    const edges = spans.flatMap((x) => [[x.s.getTime(), 1] as const, [x.f.getTime(), -1] as const]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    let now = 0;
    let peak = 0;
    for (const [, d] of edges) peak = Math.max(peak, (now += d));
    expect(peak).toBe(2);
  });
});

describe("wake-ups", () => {
  test("work queued while every slot is busy is picked up as slots free (no wake-up is lost)", async () => {
    const cap = await install(w, codeCapability("const t = Date.now(); while (Date.now() - t < 200) {} return { i: input.i };"));
    const e = await start({ slots: 1, maxConcurrent: 100 });
    const first = await enqueue(w, cap, "run", { i: 0 });
    await waitUntil(w, async () => (await rows(w, [first]))[0]?.status === "running", 10_000, "the first to run");
    // These notifications arrive while the only slot is busy.
    const more = [await enqueue(w, cap, "run", { i: 1 }), await enqueue(w, cap, "run", { i: 2 }), await enqueue(w, cap, "run", { i: 3 })];
    const done = new Map((await waitForFinal(w, [first, ...more], 20_000)).map((r) => [r.id, r]));
    expect([first, ...more].map((id) => [done.get(id)!.status, (done.get(id)!.output as { i: number }).i, done.get(id)!.leased_by])).toEqual([0, 1, 2, 3].map((i) => ["succeeded", i, e.id]));
    await stopAll();
  });

  test("a dropped LISTEN connection is re-established (and what was queued meanwhile is claimed)", async () => {
    const cap = await install(w, codeCapability("return { ok: true };"));
    // No poll to fall back on: only notifications (and the reconnect's own claim) can wake it.
    await start({ slots: 2, maxConcurrent: 100, pollMs: 3_600_000 });
    const owner = await w.t.ownerClient();
    const killed = await owner.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'capreg-executor' AND query LIKE 'LISTEN%'`,
    );
    await owner.end();
    expect(killed.rows).toEqual([{ ok: true }]);
    const queuedWhileDown = await enqueue(w, cap, "run", {});
    const [a] = await waitForFinal(w, [queuedWhileDown], 15_000);
    expect(a!.status).toBe("succeeded");
    const after = await enqueue(w, cap, "run", {});
    const [b] = await waitForFinal(w, [after], 15_000);
    expect(b!.status).toBe("succeeded");
    await stopAll();
  });
});

describe("leases", () => {
  let cap: Installed;
  beforeAll(async () => {
    cap = await install(w, codeCapability("return {};"));
  });

  test("completing with a lost lease returns false and changes nothing; the current holder completes", async () => {
    const id = await enqueue(w, cap, "run", {});
    const first = await claimExecutions(w.t.db, { executorId: "exr_a", max: 1, leaseMs: 60_000, maxConcurrent: 100 });
    expect(first.claimed.map((c) => c.id)).toEqual([id]);
    const oldToken = first.claimed[0]!.leaseToken;
    // The lease runs out (no heartbeat) and the reaper hands the work back.
    await w.t.db.$executeRawUnsafe(`UPDATE executions SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, id);
    const reaped = await reapExpiredLeases(w.t.db);
    expect(reaped.requeued).toContain(id);
    const second = await claimExecutions(w.t.db, { executorId: "exr_b", max: 1, leaseMs: 60_000, maxConcurrent: 100 });
    expect(second.claimed.map((c) => c.id)).toEqual([id]);
    expect(second.claimed[0]!.attempt).toBe(2);
    expect(second.claimed[0]!.leaseToken).not.toBe(oldToken);

    const [before] = await rows(w, [id]);
    expect(await completeExecution(w.t.db, { id, leaseToken: oldToken, outcome: { ...ok, output: { from: "the lost run" } } })).toBe(false);
    const [after] = await rows(w, [id]);
    expect(after).toEqual(before);
    expect(after!.status).toBe("running");
    expect(after!.leased_by).toBe("exr_b");

    expect(await completeExecution(w.t.db, { id, leaseToken: second.claimed[0]!.leaseToken, outcome: ok })).toBe(true);
    const [final] = await rows(w, [id]);
    expect(final).toMatchObject({ status: "succeeded", output: { done: true }, lease_token: null });
    expect(typeof final!.resources.queueMs).toBe("number");
    const types = (await eventsOfExecution(w, id)).map((e) => e.type);
    expect(types).toEqual(["execution.started", "execution.reclaimed", "execution.started", "execution.succeeded"]);
    // A second completion with the same (now cleared) token is refused too.
    expect(await completeExecution(w.t.db, { id, leaseToken: second.claimed[0]!.leaseToken, outcome: ok })).toBe(false);
  });

  test("a heartbeat extends only leases whose token still matches", async () => {
    const ids = [await enqueue(w, cap, "run", {}), await enqueue(w, cap, "run", {})];
    const executorId = newId("exr");
    await w.t.db.$executeRawUnsafe(`INSERT INTO executors (id, host, pid, slots) VALUES ($1, 'test', 1, 2)`, executorId);
    const c = await claimExecutions(w.t.db, { executorId, max: 2, leaseMs: 1000, maxConcurrent: 100 });
    expect(c.claimed.map((x) => x.id).sort()).toEqual([...ids].sort());
    const leases = c.claimed.map((x) => ({ id: x.id, leaseToken: x.leaseToken }));
    const r = await heartbeatExecutor(w.t.db, {
      executorId,
      leaseMs: 120_000,
      leases: [leases[0]!, { id: leases[1]!.id, leaseToken: "not-the-token" }],
      running: 2,
      poolSize: 2,
      completed: 7,
      failed: 1,
    });
    expect(r).toEqual({ extended: [leases[0]!.id], lost: [leases[1]!.id] });
    const exp = await w.t.db.$queryRawUnsafe<{ id: string; left: number }[]>(
      `SELECT id, extract(epoch FROM lease_expires_at - now())::float AS left FROM executions WHERE id = ANY($1::text[])`,
      ids,
    );
    const left = new Map(exp.map((e) => [e.id, e.left]));
    expect(left.get(leases[0]!.id)).toBeGreaterThan(100);
    expect(left.get(leases[1]!.id)).toBeLessThan(2);
    const [ex] = await w.t.db.$queryRawUnsafe<{ running: number; pool_size: number; completed: number; failed: number }[]>(`SELECT running, pool_size, completed, failed FROM executors WHERE id = $1`, executorId);
    expect(ex).toEqual({ running: 2, pool_size: 2, completed: 7, failed: 1 });
    for (const l of leases) await completeExecution(w.t.db, { id: l.id, leaseToken: l.leaseToken, outcome: ok });
  });
});

describe("reaping", () => {
  test("pure work is requeued (until MAX_ATTEMPTS); work that may write outside fails with executor_lost", async () => {
    const pure = await install(w, codeCapability("return {};", { permissions: ["network.http.get", "data.read", "compute.moderate"] }), { grants: ["network.http.get"] });
    const writes = await install(w, codeCapability("return {};", { permissions: ["network.http.post"] }), { grants: ["network.http.post"] });
    const p = await enqueue(w, pure, "run", {});
    const x = await enqueue(w, writes, "run", {});
    const executorId = "exr_dead";
    const claimed = await claimExecutions(w.t.db, { executorId, max: 10, leaseMs: 60_000, maxConcurrent: 100 });
    expect(claimed.claimed.map((c) => c.id).sort()).toEqual([p, x].sort());

    const r = await reapExecutor(w.t.db, { executorId, reason: "test: killed" });
    expect(r.requeued).toEqual([p]);
    expect(r.failed).toEqual([x]);
    const [rp, rx] = await rows(w, [p, x]);
    expect(rp).toMatchObject({ status: "queued", lease_token: null, leased_by: null, attempts: 1 });
    expect(rx).toMatchObject({ status: "failed", error_code: "executor_lost", lease_token: null, attempts: 1 });
    expect(rx!.error!.message).toContain("could repeat an external effect");
    expect((await eventsOfExecution(w, x)).map((e) => [e.type, e.data.outcome ?? e.data.errorCode ?? null])).toEqual([
      ["execution.started", null],
      ["execution.reclaimed", "failed"],
      ["execution.failed", "executor_lost"],
    ]);

    // The pure one ran and was lost twice: the second loss fails it instead of a third run.
    const again = await claimExecutions(w.t.db, { executorId, max: 10, leaseMs: 60_000, maxConcurrent: 100 });
    expect(again.claimed.map((c) => [c.id, c.attempt])).toEqual([[p, MAX_ATTEMPTS]]);
    const r2 = await reapExecutor(w.t.db, { executorId, reason: "test: killed again" });
    expect(r2).toMatchObject({ requeued: [], failed: [p] });
    const [rp2] = await rows(w, [p]);
    expect(rp2).toMatchObject({ status: "failed", error_code: "executor_lost", attempts: 2 });
  });

  test("a crash signal with one code execution on board blames it (killed_memory); others are judged as usual", async () => {
    const cap = await install(w, codeCapability("return {};"));
    const id = await enqueue(w, cap, "run", {});
    await claimExecutions(w.t.db, { executorId: "exr_crashed", max: 1, leaseMs: 60_000, maxConcurrent: 100 });
    const r = await reapExecutor(w.t.db, { executorId: "exr_crashed", reason: "killed by SIGABRT", signal: "SIGABRT" });
    expect(r.failed).toEqual([id]);
    const [row] = await rows(w, [id]);
    expect(row).toMatchObject({ status: "killed_memory", error_code: "killed_memory" });
    // SIGKILL says nothing about the plugin (an operator, the OOM killer): requeued.
    const id2 = await enqueue(w, cap, "run", {});
    await claimExecutions(w.t.db, { executorId: "exr_killed", max: 1, leaseMs: 60_000, maxConcurrent: 100 });
    expect((await reapExecutor(w.t.db, { executorId: "exr_killed", reason: "killed by SIGKILL", signal: "SIGKILL" })).requeued).toEqual([id2]);
    const done = await claimExecutions(w.t.db, { executorId: "exr_x", max: 1, leaseMs: 60_000, maxConcurrent: 100 });
    await completeExecution(w.t.db, { id: id2, leaseToken: done.claimed[0]!.leaseToken, outcome: ok });
  });

  test("an executor with a stale heartbeat is marked lost (executor.lost) and its work reclaimed; a fresh one is left alone", async () => {
    const cap = await install(w, codeCapability("return {};", { permissions: ["integration.email"] }), { grants: ["integration.email"] });
    const stale = newId("exr");
    const fresh = newId("exr");
    await w.t.db.$executeRawUnsafe(`INSERT INTO executors (id, host, pid, slots, heartbeat_at) VALUES ($1, 'h', 1, 1, now() - interval '1 minute'), ($2, 'h', 2, 1, now())`, stale, fresh);
    const a = await enqueue(w, cap, "run", {});
    await claimExecutions(w.t.db, { executorId: stale, max: 1, leaseMs: 120_000, maxConcurrent: 100 });
    const b = await enqueue(w, cap, "run", {});
    const fb = await claimExecutions(w.t.db, { executorId: fresh, max: 1, leaseMs: 120_000, maxConcurrent: 100 });

    const r = await reap(w.t.db, { staleMs: 30_000 });
    expect(r.lostExecutors).toEqual([stale]);
    expect(r.failed).toEqual([a]);
    const ex = await w.t.db.$queryRawUnsafe<{ id: string; status: string }[]>(`SELECT id, status FROM executors WHERE id = ANY($1::text[]) ORDER BY id`, [stale, fresh]);
    expect(new Map(ex.map((e) => [e.id, e.status]))).toEqual(new Map([[stale, "lost"], [fresh, "running"]]));
    const lost = await w.t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'executor.lost' AND stream_id = $1`, stale);
    expect(lost.map((e) => e.data)).toEqual([expect.objectContaining({ executorId: stale, requeued: 0, failed: 1 })]);
    const [ra, rb] = await rows(w, [a, b]);
    expect(ra).toMatchObject({ status: "failed", error_code: "executor_lost" });
    expect(rb).toMatchObject({ status: "running", leased_by: fresh });
    // A second pass finds nothing more to do.
    expect(await reap(w.t.db, { staleMs: 30_000 })).toEqual({ requeued: [], failed: [], lostExecutors: [] });
    await completeExecution(w.t.db, { id: b, leaseToken: fb.claimed[0]!.leaseToken, outcome: ok });
  });
});

// Executors as real child processes (scripts/worker.ts, as `npm run worker` and `npm start`
// run them): a worker SIGKILLed mid-execution loses nothing and runs nothing twice (pure work
// is requeued by the reaper and finished exactly once by another executor; work that may
// have written outside ends executor_lost and is never re-run); a memory bomb in one slot
// does not stop the other slot's execution nor the process; the supervisor reclaims a dead
// worker's work at once (not at lease expiry), restarts it, and stops workers cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExecutor, type ExecutorHandle } from "../../lib/execution/executor/executor";
import { startSupervisor, type Supervisor } from "../../lib/execution/executor/supervisor";
import { newId } from "../../lib/ids";
import { getSecretsKey } from "../../lib/secrets/secrets-key";
import { codeCapability, createWorld, enqueue, eventsOfExecution, install, rows, waitForFinal, waitUntil, type World } from "./executor-helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORKER = { file: process.execPath, args: ["--no-node-snapshot", "--import", "tsx", path.join(ROOT, "scripts/worker.ts")] };

let w: World;
let server: http.Server;
let port = 0;
let posts = 0;
const children: ChildProcess[] = [];
const executors: ExecutorHandle[] = [];
const supervisors: Supervisor[] = [];

beforeAll(async () => {
  w = await createWorld();
  getSecretsKey(); // the key file the workers read from DATA_DIR
  server = http.createServer((req, res) => {
    if (req.method === "POST") posts++;
    req.resume();
    req.on("end", () => res.end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of supervisors) await s.stop();
  for (const e of executors) await e.stop();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await w.close();
});

function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: w.t.appUrl,
    DATABASE_APP_URL: w.t.appUrl,
    LOG_LEVEL: "warn",
    MAX_CONCURRENT_EXECUTIONS: "20",
    EXECUTOR_SLOTS: "2",
    CAPREG_TRY_TEST_HOSTS: "api.exec.test=127.0.0.1",
    CAPREG_TRY_TEST_TRUSTED_ADDRESSES: "127.0.0.1",
    ...extra,
  };
}

function spawnWorker(id: string, extra: Record<string, string> = {}): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(WORKER.file, [...WORKER.args, "--id", id], { cwd: ROOT, env: workerEnv(extra), stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

const executorRow = (id: string) => w.t.db.$queryRawUnsafe<{ status: string; heartbeat_at: Date; running: number; slots: number }[]>(`SELECT status, heartbeat_at, running, slots FROM executors WHERE id = $1`, id).then((r) => r[0]);
const runningOn = (executionId: string, executorId: string) => async () => {
  const [r] = await rows(w, [executionId]);
  return r?.status === "running" && r.leased_by === executorId ? r : null;
};

describe("a worker process dies mid-execution", () => {
  test("SIGKILL: pure work is requeued and finished exactly once elsewhere; work that may write outside fails executor_lost, never re-run", async () => {
    const spin = "const t = Date.now(); while (Date.now() - t < 2500) {}";
    const pure = await install(w, codeCapability(`${spin} return { done: true };`, { permissions: ["compute.moderate"] }), { grants: ["compute.moderate"] });
    const writer = await install(
      w,
      codeCapability(`await ctx.fetch("http://api.exec.test:" + ctx.config.PORT + "/hook", { method: "POST", body: "{}" }); ${spin} return { done: true };`, {
        permissions: ["network.http.post", "compute.moderate"],
        allowed_domains: ["api.exec.test"],
        configuration: [{ key: "PORT", type: "number" }],
      }),
      { grants: ["network.http.post", "compute.moderate"], config: { PORT: port } },
    );
    const workerId = newId("exr");
    const { child, exited } = spawnWorker(workerId, { EXECUTION_LEASE_MS: "1000" });
    const p = await enqueue(w, pure, "run", {}, { timeoutMs: 10_000 });
    const x = await enqueue(w, writer, "run", {}, { timeoutMs: 10_000 });
    await waitUntil(w, runningOn(p, workerId), 60_000, "the worker to claim the pure execution");
    await waitUntil(w, runningOn(x, workerId), 30_000, "the worker to claim the writing execution");
    await waitUntil(w, async () => posts === 1, 10_000, "the writer's POST");
    child.kill("SIGKILL");
    expect(await exited).toEqual({ code: null, signal: "SIGKILL" });

    // Another executor (in this process) whose reaper finds the expired leases.
    const other = await startExecutor({ db: w.t.db, databaseUrl: w.t.appUrl, slots: 2, maxConcurrent: 20, leaseMs: 1000, reapEveryMs: 300, staleMs: 2000 });
    executors.push(other);
    const [rp, rx] = await waitForFinal(w, [p, x], 60_000);
    expect(rp).toMatchObject({ status: "succeeded", output: { done: true }, attempts: 2, leased_by: other.id });
    expect(rx).toMatchObject({ status: "failed", error_code: "executor_lost", attempts: 1, leased_by: workerId });
    expect(posts).toBe(1);

    const pe = (await eventsOfExecution(w, p)).map((e) => [e.type, e.data.executor ?? null, e.data.outcome ?? null]);
    expect(pe).toEqual([
      ["execution.started", workerId, null],
      ["execution.reclaimed", workerId, "requeued"],
      ["execution.started", other.id, null],
      ["execution.succeeded", null, null],
    ]);
    const xe = (await eventsOfExecution(w, x)).map((e) => e.type);
    expect(xe).toEqual(["execution.started", "execution.reclaimed", "execution.failed"]);
    await waitUntil(w, async () => (await executorRow(workerId))?.status === "lost", 10_000, "the dead worker marked lost");
    const lost = await w.t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'executor.lost' AND stream_id = $1`, workerId);
    expect(lost[0]!.n).toBe(1);
    await other.stop();
  });
});

describe("a memory bomb", () => {
  test("ends killed_memory in its slot while the other slot's execution finishes and the worker lives on", async () => {
    const slow = await install(w, codeCapability("const t = Date.now(); while (Date.now() - t < 1500) {} return { fine: true };", { permissions: ["compute.moderate"] }), { grants: ["compute.moderate"] });
    const bomb = await install(w, codeCapability("const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length });", { permissions: ["compute.moderate"] }), { grants: ["compute.moderate"] });
    const workerId = newId("exr");
    const { child } = spawnWorker(workerId);
    const s = await enqueue(w, slow, "run", {}, { timeoutMs: 10_000 });
    const b = await enqueue(w, bomb, "run", {}, { timeoutMs: 10_000 });
    const [rs, rb] = await waitForFinal(w, [s, b], 60_000);
    expect(rs).toMatchObject({ status: "succeeded", output: { fine: true }, leased_by: workerId });
    expect(rb).toMatchObject({ status: "killed_memory", error_code: "killed_memory", leased_by: workerId });
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    // Still serving: it takes and finishes the next one.
    const after = await enqueue(w, slow, "run", {}, { timeoutMs: 10_000 });
    const [ra] = await waitForFinal(w, [after], 30_000);
    expect(ra).toMatchObject({ status: "succeeded", leased_by: workerId });
    expect(await executorRow(workerId)).toMatchObject({ status: "running", slots: 2 });
    child.kill("SIGTERM");
    await waitUntil(w, async () => (await executorRow(workerId))?.status === "stopped", 30_000, "the worker to stop");
  });
});

describe("the supervisor", () => {
  test("reclaims a dead worker's work at once, restarts it with backoff, and stops workers cleanly", async () => {
    const cap = await install(w, codeCapability("const t = Date.now(); while (Date.now() - t < 1500) {} return { ok: true };", { permissions: ["compute.moderate"] }), { grants: ["compute.moderate"] });
    // A long lease: if the work comes back quickly, it was the supervisor, not the expiry.
    const sup = startSupervisor({ count: 1, db: w.t.db, command: WORKER, cwd: ROOT, env: workerEnv({ EXECUTION_LEASE_MS: "120000" }), minBackoffMs: 200 });
    supervisors.push(sup);
    const first = sup.workers()[0]!;
    expect(first.executorId).toMatch(/^exr_/);
    const id = await enqueue(w, cap, "run", {}, { timeoutMs: 10_000 });
    await waitUntil(w, runningOn(id, first.executorId!), 60_000, "the supervised worker to claim");
    const killedAt = Date.now();
    process.kill(first.pid!, "SIGKILL");

    await waitUntil(w, async () => (await executorRow(first.executorId!))?.status === "lost", 10_000, "the dead worker marked lost");
    const [done] = await waitForFinal(w, [id], 60_000);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(done!.leased_by).not.toBe(first.executorId);
    // Far sooner than the 120 s lease.
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    const now = sup.workers()[0]!;
    expect(now.restarts).toBe(1);
    expect(now.lastExit).toMatchObject({ signal: "SIGKILL" });
    expect(now.executorId).toBe(done!.leased_by);
    const reclaimed = (await eventsOfExecution(w, id)).find((e) => e.type === "execution.reclaimed")!;
    expect(reclaimed.data).toMatchObject({ outcome: "requeued", executor: first.executorId });

    await sup.stop();
    expect(sup.workers()[0]!.pid).toBeNull();
    expect(await executorRow(now.executorId!)).toMatchObject({ status: "stopped" });
    const stopped = await w.t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'executor.stopped' AND stream_id = $1`, now.executorId!);
    expect(stopped[0]!.n).toBe(1);
  });
});

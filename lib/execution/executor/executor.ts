// One executor: the loop that turns queued executions into finished ones, in a process of
// its own (never the web server: isolates may take a process down with them).
//   register  → an `executors` row + executor.started
//   claim     → on every capreg_exec_queued notification, on capreg_exec_done when the global
//               cap held it back, after each finished run when more may be waiting, and on a
//               short poll (the safety net for a missed notification); never more than its
//               free slots
//   run       → run-execution.ts, each claimed execution in its own slot
//   complete  → guarded by the lease token; completions that finish together share one
//               transaction (group commit), and a batch that fails is retried one by one so
//               one bad result cannot hold the others back
//   heartbeat → every leaseMs/3: extends its leases, refreshes its health row
//   reap      → every few seconds (any executor may): stale executors, expired leases, due approvals
//   stop()    → stops claiming, lets running work finish (bounded; the rest is reclaimed at
//               once), marks itself stopped (+ executor.stopped)
import os from "node:os";
import { appDatabaseUrl, type Db } from "../../db/prisma";
import { getEnv, maxConcurrentExecutions } from "../../env";
import { newId } from "../../ids";
import { log } from "../../log";
import { claimExecutions, type ClaimedExecution } from "../queue/claim";
import { completeExecutions, type CompleteExecutionInput } from "../queue/complete";
import { heartbeatExecutor } from "../queue/heartbeat";
import { createQueuePool } from "../queue/queue-db";
import { reap, reapExecutor } from "../queue/reap";
import { expireDueApprovals } from "../../policy/approvals/expire-approvals";
import { SandboxPool } from "../sandbox/pool";
import { readTestHosts, readTestTrustedAddresses } from "../try/types";
import type { ActionOutcome } from "../types";
import { markExecutorStopped, registerExecutor } from "./executor-record";
import { QueueListener } from "./queue-listener";
import { runExecution, type DispatchOptions } from "./run-execution";
import { VersionCache } from "./version-cache";

export interface StartExecutorOptions {
  db: Db;
  /** Connection for LISTEN (the app role is enough). Default: DATABASE_APP_URL / DATABASE_URL. */
  databaseUrl?: string;
  /** Executions this executor runs at once. */
  slots: number;
  /** Default: EXECUTION_LEASE_MS. */
  leaseMs?: number;
  /** The global cap across executors. Default: MAX_CONCURRENT_EXECUTIONS. */
  maxConcurrent?: number;
  /** Safety-net claim poll. Default 1 s. */
  pollMs?: number;
  /** Reaper pass interval (jittered). Default: half a lease, at least 1 s. */
  reapEveryMs?: number;
  /** An executor without a heartbeat for this long is lost. Default: 2 leases. */
  staleMs?: number;
  /** How long stop() waits for running executions before reclaiming them. Default 30 s. */
  stopTimeoutMs?: number;
  /** A pool to use (not closed by stop()); default: one of `slots` isolates owned by the executor. */
  pool?: SandboxPool;
  memoryMb?: number;
  /** Default: SANDBOX_MAX_RUNS_PER_ISOLATE. */
  maxRunsPerIsolate?: number;
  /** Default: a new `exr_…` id. */
  id?: string;
  host?: string;
  /** TEST ONLY (ignored outside tests): let executions reach a local HTTP server. Default: the
   *  CAPREG_TRY_TEST_HOSTS / CAPREG_TRY_TEST_TRUSTED_ADDRESSES variables (try/types.ts). */
  testOnlyTrustedAddresses?: readonly string[];
  testOnlyHosts?: Record<string, string>;
}

export interface ExecutorStats {
  id: string;
  slots: number;
  running: number;
  claimed: number;
  /** Finished executions whose result was recorded (failed ones included). */
  completed: number;
  /** Recorded with a status other than succeeded. */
  failed: number;
  /** Results thrown away because the lease had been lost. */
  discarded: number;
  stopping: boolean;
  pool: ReturnType<SandboxPool["stats"]>;
}

export interface ExecutorHandle {
  id: string;
  /** Stops claiming, waits for running work (bounded), marks the executor stopped. Idempotent. */
  stop(reason?: string): Promise<void>;
  stats(): ExecutorStats;
}

const COMPLETE_BATCH = 64;
const COMPLETE_RETRY_MS = [100, 500, 2000];

interface Pending {
  input: CompleteExecutionInput;
  resolve: (ok: boolean) => void;
  reject: (err: unknown) => void;
}

class Executor implements ExecutorHandle {
  readonly id: string;
  private readonly db: Db;
  /** Plain pg connections for claim, complete, heartbeat and reap (the hot path; see queue-db.ts). */
  private readonly queue: ReturnType<typeof createQueuePool>;
  private readonly slots: number;
  private readonly leaseMs: number;
  private readonly maxConcurrent: number;
  private readonly pool: SandboxPool;
  private readonly ownsPool: boolean;
  private readonly dispatch: DispatchOptions;
  private readonly listener: QueueListener;
  private readonly running = new Map<string, ClaimedExecution>();
  /** Executions whose result is being committed (the table no longer says running). */
  private readonly recording = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** The last claim may have left work behind: claim again when a slot frees. */
  private mayHaveMore = false;
  /** The global cap held the last claim back: claim again when anything finishes anywhere. */
  private capped = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly completions: Pending[] = [];
  private completing = false;
  private counts = { claimed: 0, completed: 0, failed: 0, discarded: 0 };

  constructor(private readonly o: StartExecutorOptions) {
    const env = getEnv();
    this.id = o.id ?? newId("exr");
    this.db = o.db;
    const url = o.databaseUrl ?? appDatabaseUrl();
    this.queue = createQueuePool(url);
    this.slots = Math.max(1, Math.floor(o.slots));
    this.leaseMs = o.leaseMs ?? env.EXECUTION_LEASE_MS;
    this.maxConcurrent = o.maxConcurrent ?? maxConcurrentExecutions(env);
    this.ownsPool = !o.pool;
    this.pool =
      o.pool ??
      new SandboxPool({
        size: this.slots,
        memoryMb: o.memoryMb,
        maxRunsPerIsolate: o.maxRunsPerIsolate ?? env.SANDBOX_MAX_RUNS_PER_ISOLATE,
        onInternalError: (where, err) => log.warn("sandbox pool error", { executor: this.id, where, error: err instanceof Error ? err.message : String(err) }),
      });
    this.dispatch = {
      db: o.db,
      pool: this.pool,
      versions: new VersionCache(o.db),
      // Under tests only, the try path's env hooks apply here too (ignored otherwise).
      testOnlyTrustedAddresses: o.testOnlyTrustedAddresses ?? readTestTrustedAddresses(),
      testOnlyHosts: o.testOnlyHosts ?? readTestHosts(),
    };
    this.listener = new QueueListener({
      url,
      onQueued: () => this.pump(),
      onDone: () => {
        if (this.capped) this.pump();
      },
      onConnected: () => this.pump(),
      onError: (err) => log.warn("executor listen connection failed; reconnecting", { executor: this.id, error: err instanceof Error ? err.message : String(err) }),
    });
  }

  async start(): Promise<void> {
    await registerExecutor(this.db, { id: this.id, host: this.o.host ?? os.hostname(), pid: process.pid, slots: this.slots });
    // When it cannot LISTEN yet, it retries in the background; the poll keeps work moving meanwhile.
    await this.listener.startOrRetry();
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.o.pollMs ?? 1000, () => this.pump());
    const reapEvery = this.o.reapEveryMs ?? Math.max(1000, Math.floor(this.leaseMs / 2));
    // Jittered, so executors started together do not reap in lockstep.
    const first = setTimeout(() => {
      void this.reapOnce();
      every(reapEvery, () => void this.reapOnce());
    }, Math.floor(Math.random() * reapEvery));
    first.unref();
    this.timers.push(first);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.heartbeatTimer.unref();
    this.pump();
    log.info("executor started", { executor: this.id, slots: this.slots, leaseMs: this.leaseMs, maxConcurrent: this.maxConcurrent });
  }

  stats(): ExecutorStats {
    return { id: this.id, slots: this.slots, running: this.running.size, ...this.counts, stopping: this.stopping, pool: this.pool.stats() };
  }

  /** Claims as many executions as there are free slots; coalesces concurrent wake-ups. */
  private pump(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    // `.finally` runs as a microtask, so it always lands after this assignment, even when the
    // loop ends without awaiting anything (no free slot).
    this.pumping = this.pumpLoop().finally(() => {
      this.pumping = null;
    });
  }

  private async pumpLoop(): Promise<void> {
    try {
      do {
        this.pumpAgain = false;
        const free = this.slots - this.running.size;
        if (free <= 0 || this.stopping) {
          this.mayHaveMore = true;
          break;
        }
        const r = await claimExecutions(this.queue, { executorId: this.id, max: free, leaseMs: this.leaseMs, maxConcurrent: this.maxConcurrent });
        this.capped = r.capped;
        this.mayHaveMore = r.claimed.length === free;
        this.counts.claimed += r.claimed.length;
        for (const row of r.claimed) this.launch(row);
        if (this.mayHaveMore) this.pumpAgain = true;
      } while (this.pumpAgain && !this.stopping);
    } catch (err) {
      log.error("claiming executions failed", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private launch(row: ClaimedExecution): void {
    this.running.set(row.id, row);
    void (async () => {
      const started = performance.now();
      try {
        const run = await runExecution(this.dispatch, row);
        this.recording.add(row.id);
        await this.record({ id: row.id, leaseToken: row.leaseToken, outcome: run.outcome, secrets: run.secrets, durationMs: performance.now() - started });
      } finally {
        this.recording.delete(row.id);
        this.running.delete(row.id);
        if (this.running.size === 0) this.drained?.();
        if (this.mayHaveMore || this.capped) this.pump();
      }
    })();
  }

  /** Records one outcome (group commit, retried); never throws. */
  private async record(input: CompleteExecutionInput): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const ok = await this.enqueueCompletion(input);
        if (ok) {
          this.counts.completed++;
          if (input.outcome.status !== "succeeded") this.counts.failed++;
        } else {
          this.counts.discarded++;
          log.warn("execution result discarded: its lease was lost", { executor: this.id, executionId: input.id });
        }
        return;
      } catch (err) {
        const wait = COMPLETE_RETRY_MS[attempt];
        if (wait === undefined) {
          log.error("recording an execution result failed; the reaper will reclaim it", { executor: this.id, executionId: input.id, error: err instanceof Error ? err.message : String(err) });
          return;
        }
        // Refused again and again: most likely the database will not take this result (not a
        // connection problem), so the last try records that it failed, not what it returned.
        if (attempt === COMPLETE_RETRY_MS.length - 1) input = { ...input, outcome: unrecordable(input.outcome) };
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private enqueueCompletion(input: CompleteExecutionInput): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.completions.push({ input, resolve, reject });
      if (!this.completing) void this.drainCompletions();
    });
  }

  private async drainCompletions(): Promise<void> {
    this.completing = true;
    try {
      while (this.completions.length) {
        const batch = this.completions.splice(0, COMPLETE_BATCH);
        try {
          const results = await completeExecutions(this.queue, batch.map((b) => b.input));
          batch.forEach((b, i) => b.resolve(results[i] ?? false));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else {
            // One bad result must not fail the others: one by one.
            for (const b of batch) {
              try {
                b.resolve((await completeExecutions(this.queue, [b.input]))[0] ?? false);
              } catch (e) {
                b.reject(e);
              }
            }
          }
        }
      }
    } finally {
      this.completing = false;
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      const leases = [...this.running.values()].map((r) => ({ id: r.id, leaseToken: r.leaseToken }));
      const s = this.pool.stats();
      const r = await heartbeatExecutor(this.queue, {
        executorId: this.id,
        leaseMs: this.leaseMs,
        leases,
        running: this.running.size,
        poolSize: s.size,
        completed: this.counts.completed,
        failed: this.counts.failed,
      });
      // A result being committed is no longer `running` in the table: not a lost lease.
      for (const id of r.lost) if (this.running.has(id) && !this.recording.has(id)) log.warn("lease lost while running; the result will be discarded", { executor: this.id, executionId: id });
    } catch (err) {
      log.warn("heartbeat failed", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async reapOnce(): Promise<void> {
    if (this.stopping) return;
    try {
      const r = await reap(this.queue, { staleMs: this.o.staleMs ?? 2 * this.leaseMs });
      if (r.requeued.length || r.failed.length || r.lostExecutors.length) {
        log.warn("reaper reclaimed executions", { executor: this.id, requeued: r.requeued.length, failed: r.failed.length, lostExecutors: r.lostExecutors });
      }
    } catch (err) {
      log.warn("reaper pass failed", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
    }
    // Approvals nobody decided in time expire here too (reads expire them lazily as well).
    try {
      const expired = await expireDueApprovals(this.db);
      if (expired) log.info("approvals expired", { executor: this.id, expired });
    } catch (err) {
      log.warn("expiring approvals failed", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
    }
  }

  stop(reason = "stopped"): Promise<void> {
    this.stopped ??= this.doStop(reason);
    return this.stopped;
  }

  private async doStop(reason: string): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await this.listener.close();
    // A claim in flight still lands its rows in `running`: wait for it before draining.
    await this.pumping;
    if (this.running.size > 0) {
      const timeout = this.o.stopTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        timer = setTimeout(resolve, timeout);
      });
      clearTimeout(timer);
      this.drained = undefined;
    }
    // Wait for completions already handed over (they run in their own transaction).
    while (this.completing || this.completions.length) await new Promise((r) => setTimeout(r, 10));
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.running.size > 0) {
      // Still running after the bound: hand the work back now rather than at lease expiry.
      try {
        const r = await reapExecutor(this.queue, { executorId: this.id, reason: `the executor stopped (${reason}) before they finished` });
        log.warn("executor stopped with executions still running; reclaimed", { executor: this.id, requeued: r.requeued.length, failed: r.failed.length });
      } catch (err) {
        log.error("reclaiming on stop failed", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    try {
      await markExecutorStopped(this.db, { id: this.id, reason, completed: this.counts.completed, failed: this.counts.failed });
    } catch (err) {
      log.warn("could not mark the executor stopped", { executor: this.id, error: err instanceof Error ? err.message : String(err) });
    }
    if (this.ownsPool) await this.pool.close();
    await this.queue.end().catch(() => {});
    log.info("executor stopped", { executor: this.id, reason, ...this.counts });
  }
}

/** A result the database would not take (twice): recorded as a failure that says so. */
function unrecordable(outcome: ActionOutcome): ActionOutcome {
  return {
    status: "failed",
    error: { code: "executor_error", message: "the result of this execution could not be recorded" },
    logs: [],
    resources: outcome.resources,
    requests: [],
  };
}

/** Starts an executor: registered, listening and claiming when this resolves. */
export async function startExecutor(o: StartExecutorOptions): Promise<ExecutorHandle> {
  const executor = new Executor(o);
  try {
    await executor.start();
  } catch (err) {
    await executor.stop("failed to start").catch(() => {});
    throw err;
  }
  return executor;
}

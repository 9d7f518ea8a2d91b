// Supervises executor processes for `npm start`: spawns N workers (scripts/worker.ts), each
// with an executor id of its own per life; when one exits unexpectedly its work is reclaimed
// at once (reapExecutor: requeued when safe, else failed — or killed_memory when it died of
// a crash signal while running exactly one code execution) instead of after lease expiry,
// and it is restarted with exponential backoff (1 s doubling to 30 s, back to 1 s once a
// process has stayed up for a minute). stop() asks every worker to stop (SIGTERM: they let
// running executions finish, bounded) and kills those that do not exit in time. Health is
// in the `executors` table, which each worker keeps current.
import { spawn, type ChildProcess } from "node:child_process";
import type { Db } from "../../db/prisma";
import { newId } from "../../ids";
import { log } from "../../log";
import { reapExecutor } from "../queue/reap";

export interface SupervisorOptions {
  /** Worker processes to keep running. */
  count: number;
  /** For reclaiming a dead worker's executions. */
  db: Db;
  /** The program and arguments of one worker; `--id <executor id>` is appended. */
  command: { file: string; args: string[] };
  cwd?: string;
  env: NodeJS.ProcessEnv;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A worker that stayed up this long is healthy again: its next restart waits minBackoffMs. */
  healthyAfterMs?: number;
  /** How long stop() waits for a worker after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface WorkerStatus {
  slot: number;
  executorId: string | null;
  pid: number | null;
  restarts: number;
  /** When the next start is due, while waiting out a backoff. */
  restartAt: Date | null;
  lastExit: { code: number | null; signal: string | null; at: Date } | null;
}

export interface Supervisor {
  workers(): WorkerStatus[];
  stop(): Promise<void>;
}

interface Slot {
  index: number;
  child: ChildProcess | null;
  executorId: string | null;
  startedAt: number;
  backoffMs: number;
  restarts: number;
  timer: NodeJS.Timeout | null;
  restartAt: Date | null;
  lastExit: WorkerStatus["lastExit"];
  exited: Promise<void> | null;
}

export function exitReason(code: number | null, signal: string | null): string {
  return signal ? `the executor process was killed by ${signal}` : `the executor process exited with code ${code}`;
}

export function startSupervisor(o: SupervisorOptions): Supervisor {
  const min = o.minBackoffMs ?? 1000;
  const max = o.maxBackoffMs ?? 30_000;
  const healthyAfter = o.healthyAfterMs ?? 60_000;
  let stopping = false;
  const slots: Slot[] = Array.from({ length: Math.max(0, o.count) }, (_, index) => ({
    index,
    child: null,
    executorId: null,
    startedAt: 0,
    backoffMs: min,
    restarts: 0,
    timer: null,
    restartAt: null,
    lastExit: null,
    exited: null,
  }));

  const launch = (slot: Slot) => {
    slot.timer = null;
    slot.restartAt = null;
    if (stopping) return;
    const executorId = newId("exr");
    const child = spawn(o.command.file, [...o.command.args, "--id", executorId], { cwd: o.cwd, env: o.env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    slot.child = child;
    slot.executorId = executorId;
    slot.startedAt = Date.now();
    log.info("executor process started", { slot: slot.index, executor: executorId, pid: child.pid });
    slot.exited = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        slot.child = null;
        slot.lastExit = { code, signal, at: new Date() };
        void onExit(slot, executorId, code, signal).finally(resolve);
      });
    });
    child.on("error", (err) => log.error("executor process error", { slot: slot.index, executor: executorId, error: err.message }));
  };

  const onExit = async (slot: Slot, executorId: string, code: number | null, signal: string | null) => {
    const upMs = Date.now() - slot.startedAt;
    if (!stopping) log.warn("executor process exited", { slot: slot.index, executor: executorId, code, signal, upMs });
    // Whatever it still held is reclaimed now, whether it was stopping or not: a worker
    // that stopped cleanly holds nothing and this does nothing.
    try {
      const r = await reapExecutor(o.db, { executorId, reason: exitReason(code, signal), signal });
      if (r.requeued.length || r.failed.length) log.warn("reclaimed the executions of a dead executor", { executor: executorId, requeued: r.requeued.length, failed: r.failed.length });
    } catch (err) {
      log.error("reclaiming a dead executor's executions failed; its leases will expire", { executor: executorId, error: err instanceof Error ? err.message : String(err) });
    }
    if (stopping) return;
    slot.backoffMs = upMs >= healthyAfter ? min : slot.backoffMs;
    const wait = slot.backoffMs;
    slot.backoffMs = Math.min(slot.backoffMs * 2, max);
    slot.restarts++;
    slot.restartAt = new Date(Date.now() + wait);
    slot.timer = setTimeout(() => launch(slot), wait);
  };

  for (const slot of slots) launch(slot);

  return {
    workers: () =>
      slots.map((s) => ({ slot: s.index, executorId: s.child ? s.executorId : null, pid: s.child?.pid ?? null, restarts: s.restarts, restartAt: s.restartAt, lastExit: s.lastExit })),
    async stop() {
      stopping = true;
      const timeout = o.stopTimeoutMs ?? 35_000;
      await Promise.all(
        slots.map(async (s) => {
          if (s.timer) clearTimeout(s.timer);
          s.timer = null;
          const child = s.child;
          if (!child) return;
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), timeout);
          await s.exited;
          clearTimeout(kill);
        }),
      );
    },
  };
}

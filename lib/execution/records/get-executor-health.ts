// Health of the executor processes, from the rows they heartbeat into `executors`, and
// the queue as Postgres sees it: what the overview card, GET /api/executors and the
// Prometheus gauges read. An executor is live when its row says running and its last
// heartbeat is within 3 × EXECUTION_LEASE_MS (by the database clock, so app and executor
// clocks may disagree). Ages are computed in SQL for the same reason.
import type { Db } from "../../db/prisma";
import { getEnv } from "../../env";

export type ExecutorState = "live" | "stale" | "stopped" | "lost";

export interface ExecutorView {
  id: string;
  host: string;
  pid: number;
  /** What the row says (running, stopped, lost). */
  status: string;
  /** What that means now: a running row without a recent heartbeat is stale. */
  state: ExecutorState;
  live: boolean;
  slots: number;
  running: number;
  completed: number;
  failed: number;
  poolSize: number;
  startedAt: string;
  heartbeatAt: string;
  heartbeatAgeMs: number;
  stoppedAt: string | null;
}

export interface ExecutorHealth {
  executors: ExecutorView[];
  /** Live executors and what they offer. */
  live: number;
  slots: number;
  running: number;
  poolSize: number;
  /** Top-level executions waiting for an executor / running now (from the executions table). */
  queueDepth: number;
  runningExecutions: number;
  lastHeartbeatAt: string | null;
  liveWindowMs: number;
}

export interface ExecutionGauges {
  queueDepth: number;
  runningExecutions: number;
  poolSize: number;
  liveExecutors: number;
}

/** How recent a heartbeat must be for an executor to count as live. */
export function liveWindowMs(leaseMs: number = getEnv().EXECUTION_LEASE_MS): number {
  return 3 * leaseMs;
}

/** Rows of executors that stopped or were lost longer ago than this are not listed. */
const LISTED_AFTER_MS = 24 * 60 * 60 * 1000;
const MAX_LISTED = 100;

interface ExecutorRow {
  id: string;
  host: string;
  pid: number;
  slots: number;
  status: string;
  pool_size: number;
  running: number;
  completed: number;
  failed: number;
  started_at: Date;
  heartbeat_at: Date;
  stopped_at: Date | null;
  age_ms: number;
}

function stateOf(r: { status: string; age_ms: number }, windowMs: number): ExecutorState {
  if (r.status === "stopped") return "stopped";
  if (r.status === "lost") return "lost";
  return r.age_ms <= windowMs ? "live" : "stale";
}

/** The four numbers the Prometheus gauges report, in one round trip. */
export async function readExecutionGauges(db: Db, options: { leaseMs?: number } = {}): Promise<ExecutionGauges> {
  const windowMs = liveWindowMs(options.leaseMs);
  const [r] = await db.$queryRawUnsafe<{ queued: bigint; running: bigint; pool: bigint; live: bigint }[]>(
    `SELECT (SELECT count(*) FROM executions WHERE status = 'queued' AND parent_id IS NULL) AS queued,
            (SELECT count(*) FROM executions WHERE status = 'running' AND parent_id IS NULL) AS running,
            (SELECT coalesce(sum(pool_size), 0) FROM executors WHERE status = 'running' AND heartbeat_at >= now() - make_interval(secs => $1::float8 / 1000)) AS pool,
            (SELECT count(*) FROM executors WHERE status = 'running' AND heartbeat_at >= now() - make_interval(secs => $1::float8 / 1000)) AS live`,
    windowMs,
  );
  return { queueDepth: Number(r?.queued ?? 0), runningExecutions: Number(r?.running ?? 0), poolSize: Number(r?.pool ?? 0), liveExecutors: Number(r?.live ?? 0) };
}

export async function getExecutorHealth(db: Db, options: { leaseMs?: number } = {}): Promise<ExecutorHealth> {
  const windowMs = liveWindowMs(options.leaseMs);
  const [rows, gauges] = await Promise.all([
    db.$queryRawUnsafe<ExecutorRow[]>(
      `SELECT id, host, pid, slots, status, pool_size, running, completed, failed, started_at, heartbeat_at, stopped_at,
              greatest(0, (extract(epoch FROM (now() - heartbeat_at)) * 1000))::float8 AS age_ms
       FROM executors
       WHERE status = 'running' OR heartbeat_at >= now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY (status = 'running') DESC, heartbeat_at DESC, id
       LIMIT $2`,
      LISTED_AFTER_MS,
      MAX_LISTED,
    ),
    readExecutionGauges(db, options),
  ]);
  const executors = rows.map((r): ExecutorView => {
    const state = stateOf(r, windowMs);
    return {
      id: r.id,
      host: r.host,
      pid: r.pid,
      status: r.status,
      state,
      live: state === "live",
      slots: r.slots,
      running: r.running,
      completed: r.completed,
      failed: r.failed,
      poolSize: r.pool_size,
      startedAt: r.started_at.toISOString(),
      heartbeatAt: r.heartbeat_at.toISOString(),
      heartbeatAgeMs: Math.round(r.age_ms),
      stoppedAt: r.stopped_at ? r.stopped_at.toISOString() : null,
    };
  });
  const live = executors.filter((e) => e.live);
  const last = executors.reduce<string | null>((m, e) => (m === null || e.heartbeatAt > m ? e.heartbeatAt : m), null);
  return {
    executors,
    live: live.length,
    slots: live.reduce((n, e) => n + e.slots, 0),
    running: live.reduce((n, e) => n + e.running, 0),
    poolSize: live.reduce((n, e) => n + e.poolSize, 0),
    queueDepth: gauges.queueDepth,
    runningExecutions: gauges.runningExecutions,
    lastHeartbeatAt: last,
    liveWindowMs: windowMs,
  };
}

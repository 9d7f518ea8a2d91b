// Takes work back from executors that died or hung, so nothing queued is ever lost and
// nothing is run twice:
// - an execution whose lease expired (no heartbeat) — or whose executor is known dead — is
//   requeued when running it again cannot repeat an external effect: it is not a workflow,
//   its version requests no permission that writes outside (PERMISSIONS[p].isExternalWrite)
//   and it has been tried fewer than MAX_ATTEMPTS times. Otherwise it fails with
//   `executor_lost`. Its old lease token is cleared, so the lost run can never commit a
//   result (complete.ts matches the token), and a requeued one is claimed with a new token;
// - an executor whose heartbeat is stale is marked lost (`executor.lost`) and its work is
//   reclaimed at once;
// - when the supervisor saw an executor process die of a crash signal while it ran exactly
//   one code execution, that execution ends `killed_memory` (the only case where we can tell).
// Each reclaim appends `execution.reclaimed` (and `execution.failed` when it ends) in the
// same transaction, and notifies capreg_exec_queued / capreg_exec_done.
import { appendEvent } from "../../events/append-event";
import { PERMISSIONS, type Permission } from "../../registry/permissions";
import { toActor } from "./claim";
import { EXEC_DONE_CHANNEL, EXEC_QUEUED_CHANNEL } from "./channels";
import { inQueueTransaction, queueQuery, type QueueDb, type QueueTx } from "./queue-db";

/** Runs of one execution after which it is never requeued again. */
export const MAX_ATTEMPTS = 2;
/** Signals a process dies of when V8 or native code crashes (a catastrophic out-of-memory aborts). */
export const CRASH_SIGNALS: readonly string[] = ["SIGABRT", "SIGSEGV", "SIGBUS", "SIGILL", "SIGTRAP"];
const BATCH = 500;

export interface ReclaimResult {
  requeued: string[];
  failed: string[];
}

interface RunningRow {
  id: string;
  attempts: number;
  kind: string;
  leased_by: string | null;
  agent_id: string;
  capability_slug: string;
  action: string;
  correlation_id: string;
  actor_type: string;
  actor_id: string | null;
  duration_ms: number;
  permissions: string[] | null;
}

/** True when running it again cannot repeat an effect outside the sandbox. */
export function isSafeToRerun(row: { kind: string; attempts: number; permissions: readonly string[] | null }): boolean {
  if (row.kind === "workflow" || row.attempts >= MAX_ATTEMPTS || row.permissions === null) return false;
  return row.permissions.every((p) => {
    const info = PERMISSIONS[p as Permission] as { isExternalWrite: boolean } | undefined;
    return info !== undefined && !info.isExternalWrite;
  });
}

// Known-dead executor ($1 set): all its work, lease or not. Otherwise: every expired lease.
// Top-level rows only, filtered after the status index scan (see claim.ts: never a walk of
// every top-level row by parent_id).
const LOCK_RUNNING_SQL = `
  SELECT e.id, e.attempts, e.kind, e.leased_by, e.agent_id, e.capability_slug, e.action, e.correlation_id,
    e.actor_type, e.actor_id, v.permissions,
    GREATEST(0, round(extract(epoch FROM (clock_timestamp() - COALESCE(e.started_at, e.created_at))) * 1000))::int AS duration_ms
  FROM executions e LEFT JOIN capability_versions v ON v.id = e.version_id
  WHERE e.status = 'running' AND COALESCE(e.parent_id, '') = ''
    AND (CASE WHEN $1::text IS NULL THEN e.lease_expires_at < clock_timestamp() ELSE e.leased_by = $1::text END)
  ORDER BY e.created_at
  LIMIT ${BATCH}
  FOR UPDATE OF e SKIP LOCKED`;

function lockRunning(tx: QueueTx, executorId: string | null): Promise<RunningRow[]> {
  return tx.query<RunningRow>(LOCK_RUNNING_SQL, [executorId]);
}

interface Failure {
  id: string;
  status: "failed" | "killed_memory";
  code: string;
  message: string;
}

async function reclaim(tx: QueueTx, rows: RunningRow[], o: { reason: string; blameSignal?: string | null }): Promise<ReclaimResult> {
  if (rows.length === 0) return { requeued: [], failed: [] };
  // A crash signal with exactly one code execution on board: that one took the process down.
  const code = rows.filter((r) => r.kind === "code");
  const blamed = o.blameSignal && CRASH_SIGNALS.includes(o.blameSignal) && code.length === 1 ? code[0]!.id : null;

  const requeue: RunningRow[] = [];
  const failures: Failure[] = [];
  for (const r of rows) {
    if (r.id === blamed) {
      failures.push({ id: r.id, status: "killed_memory", code: "killed_memory", message: `the executor process died (${o.blameSignal}) while running this execution, most likely of its memory use` });
    } else if (isSafeToRerun(r)) requeue.push(r);
    else {
      const why = r.kind === "workflow" ? "a workflow is not re-run" : r.attempts >= MAX_ATTEMPTS ? `it was tried ${r.attempts} times` : "running it again could repeat an external effect";
      failures.push({ id: r.id, status: "failed", code: "executor_lost", message: `the executor running it was lost (${o.reason}); ${why}` });
    }
  }

  if (requeue.length) {
    const ids = JSON.stringify(requeue.map((r) => r.id));
    await tx.query(
      `WITH r AS (
         UPDATE executions SET status = 'queued', lease_token = NULL, leased_by = NULL, lease_expires_at = NULL, started_at = NULL
         WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING id
       )
       SELECT pg_notify('${EXEC_QUEUED_CHANNEL}', r.id)::text FROM r`,
      [ids],
    );
  }
  if (failures.length) {
    const payload = JSON.stringify(failures.map((f) => ({ id: f.id, status: f.status, code: f.code, error: { code: f.code, message: f.message } })));
    await tx.query(
      `WITH f AS (
         UPDATE executions e SET status = x.status, error_code = x.code, error = x.error, finished_at = clock_timestamp(),
           duration_ms = GREATEST(0, round(extract(epoch FROM (clock_timestamp() - COALESCE(e.started_at, e.created_at))) * 1000))::int,
           lease_token = NULL, lease_expires_at = NULL
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, status text, code text, error jsonb)
         WHERE e.id = x.id RETURNING e.id
       )
       SELECT pg_notify('${EXEC_DONE_CHANNEL}', f.id)::text FROM f`,
      [payload],
    );
  }
  // Step rows of the runs that were lost (workflows) never finish by themselves.
  const all = JSON.stringify(rows.map((r) => r.id));
  const stepError = JSON.stringify({ code: "executor_lost", message: `the executor running the workflow was lost (${o.reason})` });
  await tx.query(
    `WITH RECURSIVE d AS (
       SELECT id FROM executions WHERE parent_id IN (SELECT jsonb_array_elements_text($1::jsonb))
       UNION ALL SELECT e.id FROM executions e JOIN d ON e.parent_id = d.id
     ), u AS (
       UPDATE executions SET status = 'failed', error_code = 'executor_lost', error = $2::jsonb, finished_at = clock_timestamp(),
         lease_token = NULL, lease_expires_at = NULL
       WHERE id IN (SELECT id FROM d) AND status = 'running' RETURNING id
     )
     SELECT count(*)::int AS n FROM u`,
    [all, stepError],
  );

  const failedById = new Map(failures.map((f) => [f.id, f]));
  for (const r of rows) {
    const f = failedById.get(r.id);
    const base = { stream: { type: "execution", id: r.id }, subject: { type: "agent", id: r.agent_id }, actor: toActor(r.actor_type, r.actor_id), correlationId: r.correlation_id };
    await appendEvent(tx.events, {
      ...base,
      type: "execution.reclaimed",
      data: { executionId: r.id, slug: r.capability_slug, action: r.action, executor: r.leased_by, outcome: f ? "failed" : "requeued", attempt: r.attempts },
    });
    if (f) {
      await appendEvent(tx.events, {
        ...base,
        type: "execution.failed",
        data: { executionId: r.id, slug: r.capability_slug, action: r.action, status: f.status, errorCode: f.code, message: f.message, step: null, durationMs: r.duration_ms },
      });
    }
  }
  return { requeued: requeue.map((r) => r.id), failed: failures.map((f) => f.id) };
}

/** Reclaims every running execution whose lease has expired. */
export async function reapExpiredLeases(db: QueueDb): Promise<ReclaimResult> {
  const total: ReclaimResult = { requeued: [], failed: [] };
  for (;;) {
    const r = await inQueueTransaction(db, async (tx) => reclaim(tx, await lockRunning(tx, null), { reason: "its lease expired without a heartbeat" }));
    total.requeued.push(...r.requeued);
    total.failed.push(...r.failed);
    if (r.requeued.length + r.failed.length < BATCH) return total;
  }
}

export interface ReapExecutorOptions {
  executorId: string;
  /** Why it is considered lost (e.g. "exited with code 1", "killed by SIGKILL"). */
  reason: string;
  /** The signal the process died of, when known: a crash signal may pin the blame (killed_memory). */
  signal?: string | null;
  /** Only if its heartbeat is (still) older than this: the reaper's guard against an executor that just came back. */
  staleMs?: number;
}

/**
 * An executor known to be gone (its supervisor saw the process exit): marks it lost and
 * reclaims all its running work at once instead of waiting for the leases to expire.
 */
export async function reapExecutor(db: QueueDb, o: ReapExecutorOptions): Promise<ReclaimResult & { markedLost: boolean }> {
  return inQueueTransaction(db, async (tx) => {
    const stale = o.staleMs === undefined ? null : Math.round(o.staleMs);
    const marked = await tx.query<{ id: string }>(
      `UPDATE executors SET status = 'lost', stopped_at = clock_timestamp(), running = 0
       WHERE id = $1 AND status = 'running'
         AND ($2::int IS NULL OR heartbeat_at < clock_timestamp() - $2::int * interval '1 millisecond')
       RETURNING id`,
      [o.executorId, stale],
    );
    if (stale !== null && marked.length === 0) return { requeued: [], failed: [], markedLost: false };
    const result = await reclaim(tx, await lockRunning(tx, o.executorId), { reason: o.reason, blameSignal: o.signal ?? null });
    if (marked.length || result.requeued.length || result.failed.length) {
      await appendEvent(tx.events, {
        type: "executor.lost",
        data: { executorId: o.executorId, reason: o.reason, requeued: result.requeued.length, failed: result.failed.length },
        stream: { type: "executor", id: o.executorId },
        actor: { type: "system", id: null },
      });
    }
    return { ...result, markedLost: marked.length > 0 };
  });
}

export interface ReapResult extends ReclaimResult {
  /** Executors marked lost in this pass. */
  lostExecutors: string[];
}

/**
 * One reaper pass (any executor may run it; it is cheap when there is nothing to do):
 * executors whose heartbeat is older than `staleMs` are marked lost with their work
 * reclaimed, then every other expired lease is reclaimed.
 */
export async function reap(db: QueueDb, o: { staleMs: number }): Promise<ReapResult> {
  const result: ReapResult = { requeued: [], failed: [], lostExecutors: [] };
  const stale = await queueQuery<{ id: string; heartbeat_at: Date }>(
    db,
    `SELECT id, heartbeat_at FROM executors
     WHERE status = 'running' AND heartbeat_at < clock_timestamp() - $1::int * interval '1 millisecond'`,
    [Math.round(o.staleMs)],
  );
  for (const ex of stale) {
    const r = await reapExecutor(db, { executorId: ex.id, reason: `no heartbeat since ${ex.heartbeat_at.toISOString()}`, staleMs: o.staleMs });
    if (r.markedLost) result.lostExecutors.push(ex.id);
    result.requeued.push(...r.requeued);
    result.failed.push(...r.failed);
  }
  const r = await reapExpiredLeases(db);
  result.requeued.push(...r.requeued);
  result.failed.push(...r.failed);
  return result;
}

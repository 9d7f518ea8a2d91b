// An executor's heartbeat, one statement: extends the leases of the executions it is
// still running (only where the lease token still matches: a lease the reaper took back
// stays taken back) and refreshes its `executors` row (health for the UI and for the
// reaper's stale-executor check). An executor marked lost that turns out to be alive
// (a long pause) becomes running again; the work the reaper took from it stays taken.
import { queueQuery, type QueueDb } from "./queue-db";

export interface HeldLease {
  id: string;
  leaseToken: string;
}

export interface HeartbeatOptions {
  executorId: string;
  leaseMs: number;
  leases: readonly HeldLease[];
  running: number;
  poolSize: number;
  completed: number;
  failed: number;
}

export interface HeartbeatResult {
  /** Executions whose lease was extended. */
  extended: string[];
  /** Executions this executor runs whose lease is no longer its own: their result will be discarded. */
  lost: string[];
}

// $1 leases [{id, token}], $2 lease ms, $3 executor, $4 running, $5 pool size, $6 completed, $7 failed.
const HEARTBEAT_SQL = `
  WITH extended AS (
    UPDATE executions e SET lease_expires_at = clock_timestamp() + $2::int * interval '1 millisecond'
    FROM jsonb_to_recordset($1::jsonb) AS l(id text, token text)
    WHERE e.id = l.id AND e.lease_token = l.token AND e.leased_by = $3::text AND e.status = 'running'
    RETURNING e.id
  ), beat AS (
    UPDATE executors SET
      heartbeat_at = clock_timestamp(),
      running = $4::int,
      pool_size = $5::int,
      completed = $6::int,
      failed = $7::int,
      status = CASE WHEN status = 'lost' THEN 'running' ELSE status END,
      stopped_at = CASE WHEN status = 'lost' THEN NULL ELSE stopped_at END
    WHERE id = $3::text
    RETURNING id
  )
  SELECT id FROM extended`;

export async function heartbeatExecutor(db: QueueDb, o: HeartbeatOptions): Promise<HeartbeatResult> {
  const leases = JSON.stringify(o.leases.map((l) => ({ id: l.id, token: l.leaseToken })));
  const rows = await queueQuery<{ id: string }>(db, HEARTBEAT_SQL, [leases, Math.round(o.leaseMs), o.executorId, o.running, o.poolSize, o.completed, o.failed], "capreg_heartbeat");
  const extended = new Set(rows.map((r) => r.id));
  return { extended: [...extended], lost: o.leases.map((l) => l.id).filter((id) => !extended.has(id)) };
}

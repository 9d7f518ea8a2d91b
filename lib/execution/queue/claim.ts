// Claims queued executions for one executor: oldest first, FOR UPDATE SKIP LOCKED, each
// with a fresh lease token and a lease expiry, and `execution.started` appended in the
// same transaction. A transaction-level advisory lock makes "count the running ones, then
// claim up to the global cap" one step across every executor, so MAX_CONCURRENT_EXECUTIONS
// holds however many executors race. This is on the hot path of every invocation, so a
// batch costs the lock, ONE statement (count, pick, lease, and the installation's current
// state), one event per claimed row, and the commit. Workflow steps are child rows that
// are never queued, so only top-level rows are counted and claimed.
import { appendEvent } from "../../events/append-event";
import { ACTOR_TYPES, type ActorType } from "../../events/event-types";
import { CLAIM_LOCK_KEY } from "./channels";
import { inQueueTransaction, type QueueDb, type QueueTx } from "./queue-db";

export interface ClaimOptions {
  executorId: string;
  /** Free slots of the executor: at most this many are claimed. */
  max: number;
  leaseMs: number;
  /** The global cap of running top-level executions (MAX_CONCURRENT_EXECUTIONS). */
  maxConcurrent: number;
}

/** The installation as it is at claim time (grants and config may have changed since the enqueue). */
export interface ClaimedInstallation {
  enabled: boolean;
  grantedPermissions: string[];
  config: Record<string, unknown>;
  versionId: string;
}

export interface ClaimedExecution {
  id: string;
  agentId: string;
  installationId: string | null;
  capabilityId: string | null;
  versionId: string | null;
  capabilitySlug: string;
  version: string;
  action: string;
  kind: string;
  input: unknown;
  correlationId: string;
  actor: { type: ActorType; id: string | null };
  tokenId: string | null;
  timeoutMs: number;
  /** 1 on the first run; more when the reaper requeued it. */
  attempt: number;
  leaseToken: string;
  createdAt: Date;
  startedAt: Date;
  installation: ClaimedInstallation | null;
}

export interface ClaimResult {
  claimed: ClaimedExecution[];
  /** The global cap allowed fewer than `max`: more may be waiting; retry when something finishes. */
  capped: boolean;
}

interface ClaimRow {
  id: string;
  agent_id: string;
  installation_id: string | null;
  capability_id: string | null;
  version_id: string | null;
  capability_slug: string;
  version: string;
  action: string;
  kind: string;
  input: unknown;
  correlation_id: string;
  actor_type: string;
  actor_id: string | null;
  token_id: string | null;
  timeout_ms: number;
  attempts: number;
  lease_token: string;
  created_at: Date;
  started_at: Date;
  i_enabled: boolean | null;
  i_granted: string[] | null;
  i_config: unknown;
  i_version_id: string | null;
}

export function toActor(type: string, id: string | null): { type: ActorType; id: string | null } {
  return (ACTOR_TYPES as readonly string[]).includes(type) ? { type: type as ActorType, id } : { type: "system", id: null };
}

function toClaimed(r: ClaimRow): ClaimedExecution {
  return {
    id: r.id,
    agentId: r.agent_id,
    installationId: r.installation_id,
    capabilityId: r.capability_id,
    versionId: r.version_id,
    capabilitySlug: r.capability_slug,
    version: r.version,
    action: r.action,
    kind: r.kind,
    input: r.input,
    correlationId: r.correlation_id,
    actor: toActor(r.actor_type, r.actor_id),
    tokenId: r.token_id,
    timeoutMs: r.timeout_ms,
    attempt: r.attempts,
    leaseToken: r.lease_token,
    createdAt: r.created_at,
    startedAt: r.started_at,
    installation:
      r.i_enabled === null || r.i_version_id === null
        ? null
        : {
            enabled: r.i_enabled,
            grantedPermissions: r.i_granted ?? [],
            config: r.i_config && typeof r.i_config === "object" && !Array.isArray(r.i_config) ? (r.i_config as Record<string, unknown>) : {},
            versionId: r.i_version_id,
          },
  };
}

// One statement: room under the cap, then pick and lease that many, with the installation
// as it is now. It always returns at least one row (with `room`); the claimed columns are
// NULL when nothing was claimed. $1 max, $2 cap, $3 executor, $4 lease ms.
// Both scans are driven by `status` alone (the (status, created_at) index), so their cost
// follows the queued and running rows, never the table's history: queued rows are always
// top-level (steps are never queued), and the running count filters out step rows after
// the index scan instead of letting the planner walk every top-level row by parent_id.
const CLAIM_SQL = `
  WITH cap AS (
    SELECT $2::int - (count(*) FILTER (WHERE parent_id IS NULL))::int AS room FROM executions WHERE status = 'running'
  ), picked AS (
    SELECT id FROM executions
    WHERE status = 'queued'
    ORDER BY created_at, id
    FOR UPDATE SKIP LOCKED
    LIMIT (SELECT GREATEST(0, LEAST($1::int, room)) FROM cap)
  ), claimed AS (
    UPDATE executions e SET
      status = 'running',
      lease_token = gen_random_uuid()::text,
      leased_by = $3::text,
      lease_expires_at = clock_timestamp() + $4::int * interval '1 millisecond',
      started_at = clock_timestamp(),
      attempts = e.attempts + 1
    FROM picked WHERE e.id = picked.id
    RETURNING e.id, e.agent_id, e.installation_id, e.capability_id, e.version_id, e.capability_slug, e.version,
      e.action, e.kind, e.input, e.correlation_id, e.actor_type, e.actor_id, e.token_id, e.timeout_ms, e.attempts,
      e.lease_token, e.created_at, e.started_at
  )
  SELECT cap.room, c.*, i.enabled AS i_enabled, i.granted_permissions AS i_granted, i.config AS i_config, i.version_id AS i_version_id
  FROM cap LEFT JOIN claimed c ON true LEFT JOIN installations i ON i.id = c.installation_id
  ORDER BY c.created_at, c.id`;

// A statement of its own, run before the claim: the count must see everything committed by
// whoever held the lock before us, so it needs a snapshot taken after the lock was granted.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY}::bigint)`;

export async function claimExecutions(db: QueueDb, o: ClaimOptions): Promise<ClaimResult> {
  if (o.max <= 0) return { claimed: [], capped: false };
  const claim = async (tx: QueueTx): Promise<ClaimResult> => {
    const result = await tx.query<ClaimRow & { room: number }>(CLAIM_SQL, [o.max, o.maxConcurrent, o.executorId, Math.round(o.leaseMs)], "capreg_claim");
    const room = result[0]?.room ?? 0;
    const n = Math.max(0, Math.min(o.max, room));
    const claimed = result.filter((r) => r.id !== null).map(toClaimed);
    for (const c of claimed) {
      await appendEvent(tx.events, {
        type: "execution.started",
        data: { executionId: c.id, slug: c.capabilitySlug, version: c.version, action: c.action, kind: c.kind, executor: o.executorId, attempt: c.attempt },
        stream: { type: "execution", id: c.id },
        subject: { type: "agent", id: c.agentId },
        actor: c.actor,
        correlationId: c.correlationId,
      });
    }
    // Fewer rows than allowed means the queue is empty; all that the cap allowed means more may wait.
    return { claimed, capped: room < o.max && claimed.length === n };
  };
  return inQueueTransaction(db, claim, { prelude: LOCK_SQL });
}

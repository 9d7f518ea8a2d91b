// Records the outcome of executions, guarded by their lease: the UPDATE only matches a row
// that is still `running` under the caller's lease token, so an executor whose lease was
// taken back (reaped, requeued, claimed again) has its late result discarded — this is what
// makes a re-run of side-effect-free work safe: at most one run's result is ever committed.
// In the same transaction: the final event (execution.succeeded / failed / denied) and
// NOTIFY capreg_exec_done, so a waiter wakes up only once the result is readable.
// Output, logs, errors and requests are redacted with the installation's secret values and
// capped (records/store-json.ts). Several completions can share one transaction
// (completeExecutions), which is how a busy executor keeps commits off the hot path.
import { appendEvent, type Queryable } from "../../events/append-event";
import { redact, REDACTED } from "../../events/redact";
import { storableJson, STORED_JSON_LIMIT_BYTES } from "../records/store-json";
import { isFinalStatus, type ActionOutcome } from "../types";
import { toActor } from "./claim";
import { EXEC_DONE_CHANNEL } from "./channels";
import { inQueueTransaction, type QueueDb } from "./queue-db";

export interface CompleteExecutionInput {
  id: string;
  leaseToken: string;
  outcome: ActionOutcome;
  /** Secret values of the installation(s) involved: removed from everything stored. */
  secrets?: Iterable<string>;
  /** Wall time of the run as the executor measured it; defaults to now − started_at. */
  durationMs?: number;
}

const MAX_EVENT_MESSAGE = 1000;
const LOG_TRUNCATED = "[log truncated: the stored log is capped]";

/** Logs as stored: redacted lines, as many as fit the stored-JSON cap, then a marker. */
export function storableLogs(lines: readonly string[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  let bytes = 2;
  for (const line of lines) {
    const clean = redact(String(line), { secrets });
    const size = Buffer.byteLength(JSON.stringify(clean), "utf8") + 1;
    if (bytes + size > STORED_JSON_LIMIT_BYTES - 128) {
      out.push(LOG_TRUNCATED);
      break;
    }
    bytes += size;
    out.push(clean);
  }
  return out;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

interface Prepared {
  input: CompleteExecutionInput;
  secrets: string[];
  status: ActionOutcome["status"];
  record: Record<string, unknown>;
}

function prepare(input: CompleteExecutionInput): Prepared {
  const secrets = [...(input.secrets ?? [])].filter((s) => typeof s === "string" && s.length >= 4);
  const o = input.outcome;
  const status = isFinalStatus(o.status) ? o.status : "failed";
  const error = o.error ?? (status === "succeeded" ? undefined : { code: "unknown_error", message: "the execution failed without an error" });
  const resources: Record<string, number> = { wallMs: Math.round(o.resources?.wallMs ?? 0), networkCalls: o.resources?.networkCalls ?? 0 };
  if (o.resources?.cpuMs !== undefined) resources.cpuMs = Math.round(o.resources.cpuMs * 100) / 100;
  if (o.resources?.heapBytes !== undefined) resources.heapBytes = Math.round(o.resources.heapBytes);
  const record = {
    id: input.id,
    token: input.leaseToken,
    status,
    output: o.output === undefined ? null : storableJson(o.output, { secrets }),
    logs: storableLogs(o.logs ?? [], secrets),
    resources,
    requests: storableJson(o.requests ?? [], { secrets }),
    error_code: error?.code ?? null,
    error: error ? storableJson(error, { secrets }) : null,
    duration_ms: input.durationMs === undefined ? null : Math.max(0, Math.round(input.durationMs)),
  };
  return { input, secrets, status, record };
}

interface CompletedRow {
  id: string;
  agent_id: string;
  capability_slug: string;
  action: string;
  correlation_id: string;
  actor_type: string;
  actor_id: string | null;
  duration_ms: number;
}

async function appendFinalEvent(tx: Queryable, p: Prepared, row: CompletedRow): Promise<void> {
  const base = {
    stream: { type: "execution", id: row.id },
    subject: { type: "agent", id: row.agent_id },
    actor: toActor(row.actor_type, row.actor_id),
    correlationId: row.correlation_id,
    secrets: p.secrets,
  };
  const o = p.input.outcome;
  const message = clip(redact(o.error?.message ?? "", { secrets: p.secrets }), MAX_EVENT_MESSAGE);
  if (p.status === "succeeded") {
    await appendEvent(tx, {
      ...base,
      type: "execution.succeeded",
      data: { executionId: row.id, slug: row.capability_slug, action: row.action, durationMs: row.duration_ms, networkCalls: o.resources?.networkCalls ?? 0 },
    });
  } else if (p.status === "denied") {
    await appendEvent(tx, {
      ...base,
      type: "execution.denied",
      data: { executionId: row.id, slug: row.capability_slug, action: row.action, reasonCode: o.error?.code ?? "denied", reason: message || "denied" },
    });
  } else {
    await appendEvent(tx, {
      ...base,
      type: "execution.failed",
      data: {
        executionId: row.id,
        slug: row.capability_slug,
        action: row.action,
        status: p.status,
        errorCode: o.error?.code ?? "unknown_error",
        message: message || REDACTED,
        step: o.error?.step ?? null,
        durationMs: row.duration_ms,
      },
    });
  }
}

// $1 the records (see prepare). The NOTIFY rides on the same statement; Postgres delivers it
// at commit, never before.
const COMPLETE_SQL = `
  WITH done AS (
    UPDATE executions e SET
      status = x.status,
      output = x.output,
      logs = x.logs,
      resources = x.resources || jsonb_build_object('queueMs', GREATEST(0, round(extract(epoch FROM (e.started_at - e.created_at)) * 1000))::int),
      requests = x.requests,
      error_code = x.error_code,
      error = x.error,
      finished_at = clock_timestamp(),
      duration_ms = COALESCE(x.duration_ms, GREATEST(0, round(extract(epoch FROM (clock_timestamp() - e.started_at)) * 1000))::int),
      lease_token = NULL,
      lease_expires_at = NULL
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, token text, status text, output jsonb, logs jsonb, resources jsonb,
      requests jsonb, error_code text, error jsonb, duration_ms int)
    WHERE e.id = x.id AND e.status = 'running' AND e.lease_token = x.token
    RETURNING e.id, e.agent_id, e.capability_slug, e.action, e.correlation_id, e.actor_type, e.actor_id, e.duration_ms
  )
  SELECT done.*, pg_notify('${EXEC_DONE_CHANNEL}', done.id)::text AS notified FROM done`;

/**
 * Completes several executions in one transaction. Each result is true when its row was
 * updated, false when its lease was lost (the outcome is discarded and nothing changes).
 */
export async function completeExecutions(db: QueueDb, inputs: readonly CompleteExecutionInput[]): Promise<boolean[]> {
  if (inputs.length === 0) return [];
  const prepared = inputs.map(prepare);
  const payload = JSON.stringify(prepared.map((p) => p.record));
  const done = await inQueueTransaction(db, async (tx) => {
    const rows = await tx.query<CompletedRow>(COMPLETE_SQL, [payload], "capreg_complete");
    const byId = new Map(prepared.map((p) => [p.input.id, p]));
    for (const row of rows) await appendFinalEvent(tx.events, byId.get(row.id)!, row);
    return new Set(rows.map((r) => r.id));
  });
  return inputs.map((i) => done.has(i.id));
}

/** Completes one execution; false when the lease was lost (nothing changed, the outcome is discarded). */
export async function completeExecution(db: QueueDb, input: CompleteExecutionInput): Promise<boolean> {
  const [ok] = await completeExecutions(db, [input]);
  return ok ?? false;
}

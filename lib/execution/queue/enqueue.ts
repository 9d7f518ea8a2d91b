// Puts one invocation in the queue: the `queued` executions row and
// pg_notify('capreg_exec_queued', id) in ONE statement (so one implicit transaction: the
// notification goes out at commit, never for a row that did not commit), then the executors
// claim it (queue/claim.ts). It is on the hot path of every invocation: one round trip —
// enqueueIfAdmitted folds the rate limits, the queue bound and the executor liveness check
// into that same statement.
//
// The row's `input` is what the executor runs with, so it is stored faithfully except for
// what must not be kept: every known secret value of the installation is replaced, and
// strings Postgres' jsonb cannot hold (NUL, lone surrogates) are made safe. Values under
// secret-looking keys are NOT blanked here (an input named `max_tokens` or `password` is
// the caller's data the action needs); pages and APIs that show an input redact it on read.
// Too large or too deeply nested inputs are refused (413 / 422) instead of being capped,
// since a capped input could not be run.
import type { Db } from "../../db/prisma";
import { AppError } from "../../errors";
import type { Actor } from "../../events/append-event";
import { REDACTED, sanitizeString } from "../../events/redact";
import { newId } from "../../ids";
import { STORED_JSON_LIMIT_BYTES } from "../records/store-json";
import type { ExecutionKind } from "../types";
import { EXEC_QUEUED_CHANNEL } from "./channels";

/** Deeper inputs are refused: nothing legitimate nests this far, and it bounds every walk over it. */
export const MAX_INPUT_DEPTH = 64;

/** An input checked and made storable by prepareQueuedInput: its JSON text. */
export interface QueuedInput {
  readonly json: string;
  readonly bytes: number;
}

function clean(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") {
    let s = sanitizeString(value);
    for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(REDACTED);
    return s;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_INPUT_DEPTH) throw new AppError("validation_failed", "the input is not valid", { errors: [{ path: "input", message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` }] });
  if (Array.isArray(value)) return value.map((v) => clean(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[clean(k, secrets, depth) as string] = clean(v, secrets, depth + 1);
  return out;
}

/**
 * Checks an input for the queue and returns its storable JSON (known secret values
 * replaced, jsonb-safe strings). Throws 413 when larger than the stored-JSON limit and 422
 * when nested too deeply; both name the path `input`.
 */
export function prepareQueuedInput(input: Record<string, unknown>, secrets: Iterable<string> = []): QueuedInput {
  const known = [...secrets].filter((s) => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  const json = JSON.stringify(clean(input, known, 0));
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > STORED_JSON_LIMIT_BYTES) {
    throw new AppError("payload_too_large", `the input is ${bytes} bytes as JSON; at most ${STORED_JSON_LIMIT_BYTES} are accepted`, {
      errors: [{ path: "input", message: `larger than ${STORED_JSON_LIMIT_BYTES} bytes` }],
    });
  }
  return { json, bytes };
}

export interface EnqueueExecutionInput {
  agentId: string;
  installationId: string;
  capabilityId: string;
  versionId: string;
  capabilitySlug: string;
  version: string;
  action: string;
  kind: ExecutionKind;
  input: QueuedInput;
  correlationId: string;
  /** Who the execution acts for (its events carry this actor). */
  actor: Actor;
  tokenId?: string | null;
  /** The wall budget the executor enforces (lib/execution/budget.ts). */
  timeoutMs: number;
}

const COLUMNS = `id, agent_id, installation_id, capability_id, version_id, capability_slug, version, action, kind,
  status, input, correlation_id, actor_type, actor_id, token_id, timeout_ms`;
/** The VALUES of one queued row, as $1…$15 (status is the literal 'queued'). */
const VALUES = `$1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10::jsonb, $11, $12, $13, $14, $15::int`;

function rowParams(id: string, e: EnqueueExecutionInput): unknown[] {
  return [id, e.agentId, e.installationId, e.capabilityId, e.versionId, e.capabilitySlug, e.version, e.action, e.kind, e.input.json, e.correlationId, e.actor.type, e.actor.id, e.tokenId ?? null, Math.round(e.timeoutMs)];
}

export async function enqueueExecution(db: Db, e: EnqueueExecutionInput): Promise<{ id: string }> {
  const id = newId("exe");
  // A data-modifying CTE runs to completion even though the outer SELECT only reads its id;
  // the NOTIFY is queued in the same (implicit) transaction and delivered at its commit.
  await db.$queryRawUnsafe(
    `WITH ins AS (INSERT INTO executions (${COLUMNS}) VALUES (${VALUES}) RETURNING id)
     SELECT pg_notify($16, ins.id)::text AS n FROM ins`,
    ...rowParams(id, e),
    EXEC_QUEUED_CHANNEL,
  );
  return { id };
}

/** What must hold for an execution to be queued (checked in the same statement that queues it). */
export interface Admission {
  /** Fixed-window counters (rate_limit_buckets) this call counts; refused when one passes its limit. */
  rateLimits: { key: string; limit: number }[];
  rateLimitWindowMs: number;
  /** Waiting executions allowed beyond the running ones, and the running cap. */
  maxQueued: number;
  maxConcurrent: number;
  /** Executors whose heartbeat is at most this old count as alive. */
  liveWithinMs: number;
}

export type AdmittedEnqueue =
  | { queued: true; id: string }
  | { queued: false; reason: "rate_limited"; key: string; limit: number; retryAfterSeconds: number }
  | { queued: false; reason: "no_executor" }
  | { queued: false; reason: "queue_full"; waiting: number; running: number };

interface AdmitRow {
  admitted: boolean;
  waiting: number;
  running: number;
  live: number;
  over: { key: string; lim: number; retry: number }[] | null;
}

/**
 * enqueueExecution with its admission in the SAME statement (one round trip, one commit on
 * the hot path): counts the rate limits, reads the queue depth, the running executions and
 * the live executors, and inserts + notifies only when every check passes. The counters
 * count this call even when it is refused (as fixed windows do). The queue is full when
 * the waiting executions reach maxQueued and no running slot is free for a new one.
 */
export async function enqueueIfAdmitted(db: Db, e: EnqueueExecutionInput, a: Admission): Promise<AdmittedEnqueue> {
  const id = newId("exe");
  const bound = a.maxQueued + a.maxConcurrent + 1;
  const rows = await db.$queryRawUnsafe<AdmitRow[]>(
    `WITH lim AS (
       SELECT * FROM unnest($16::text[], $17::int[]) AS l(key, lim)
     ), rl AS (
       INSERT INTO rate_limit_buckets (key, window_start, count)
       SELECT key, now(), 1 FROM lim
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $18::float8 / 1000) THEN 1 ELSE rate_limit_buckets.count + 1 END,
         window_start = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $18::float8 / 1000) THEN now() ELSE rate_limit_buckets.window_start END
       RETURNING key, count, window_start
     ), over AS (
       SELECT rl.key, lim.lim,
         greatest(1, ceil(extract(epoch FROM rl.window_start + make_interval(secs => $18::float8 / 1000) - now())))::int AS retry
       FROM rl JOIN lim USING (key) WHERE rl.count > lim.lim
     ), cap AS (
       SELECT
         (SELECT count(*)::int FROM (SELECT 1 FROM executions WHERE status = 'queued' AND parent_id IS NULL LIMIT $19::int) q) AS waiting,
         (SELECT count(*)::int FROM (SELECT 1 FROM executions WHERE status = 'running' AND parent_id IS NULL LIMIT $19::int) r) AS running,
         (SELECT count(*)::int FROM executors WHERE status NOT IN ('stopped', 'lost')
            AND heartbeat_at > now() - make_interval(secs => $20::float8 / 1000)) AS live
     ), go AS (
       SELECT NOT EXISTS (SELECT 1 FROM over) AND cap.live > 0
         AND NOT (cap.waiting >= $21::int AND cap.waiting + cap.running >= $22::int) AS admitted
       FROM cap
     ), ins AS (
       INSERT INTO executions (${COLUMNS}) SELECT ${VALUES} FROM go WHERE go.admitted RETURNING id
     )
     SELECT go.admitted, cap.waiting, cap.running, cap.live,
       (SELECT json_agg(json_build_object('key', over.key, 'lim', over.lim, 'retry', over.retry) ORDER BY over.key) FROM over) AS over,
       (SELECT pg_notify($23, ins.id)::text FROM ins) AS notified
     FROM go, cap`,
    ...rowParams(id, e),
    a.rateLimits.map((r) => r.key),
    a.rateLimits.map((r) => r.limit),
    a.rateLimitWindowMs,
    bound,
    a.liveWithinMs,
    a.maxQueued,
    a.maxConcurrent,
    EXEC_QUEUED_CHANNEL,
  );
  const r = rows[0]!;
  if (r.admitted) return { queued: true, id };
  // The order callers expect to hear about: the first limit given, then executors, then the queue.
  const over = r.over ?? [];
  for (const limit of a.rateLimits) {
    const hit = over.find((o) => o.key === limit.key);
    if (hit) return { queued: false, reason: "rate_limited", key: hit.key, limit: hit.lim, retryAfterSeconds: hit.retry };
  }
  if (r.live === 0) return { queued: false, reason: "no_executor" };
  return { queued: false, reason: "queue_full", waiting: r.waiting, running: r.running };
}

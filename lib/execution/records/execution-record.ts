// The read shapes of executions (list rows, the detail page, workflow steps), the list's
// query schema, and the mapping from database rows. Who may see an execution: the owner
// of its agent, and administrators; for anyone else it does not exist (404, as agents).
// Lease fields (token, holder, expiry) are internal to the queue and never leave here.
import { z } from "zod";
import { redact } from "../../events/redact";
import { PageQuerySchema } from "../../registry/cursor";
import { EXECUTION_STATUSES, type ExecutionError, type ExecutionStatus } from "../types";

/** Who is reading: the same shape as a Caller or a registry Viewer. */
export interface ExecutionViewer {
  userId: string;
  role: "admin" | "member";
}

const splitCsv = (s: string) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))];
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const ListExecutionsQuerySchema = PageQuerySchema.extend({
  agentId: z.string().min(1).max(100).optional(),
  /** A capability slug. */
  capability: z.string().min(1).max(64).optional(),
  /** One status or several, comma-separated. */
  status: z.string().max(200).transform(splitCsv).pipe(z.array(z.enum(EXECUTION_STATUSES)).min(1)).optional(),
  correlationId: z.string().min(1).max(200).optional(),
  /** ISO 8601 with an offset: created at or after. */
  since: isoDate.optional(),
  /** ISO 8601 with an offset: created before. */
  until: isoDate.optional(),
});
export type ListExecutionsQuery = z.infer<typeof ListExecutionsQuerySchema>;
export type ListExecutionsFilters = Omit<Partial<ListExecutionsQuery>, "limit" | "cursor">;

export const ExecutionParamsSchema = z.object({ id: z.string().min(1).max(100) });

export interface ExecutionSummary {
  id: string;
  agent: { id: string; name: string | null };
  capability: { id: string | null; slug: string; name: string | null; icon: string | null };
  version: string;
  action: string;
  /** Capability type, or `step` for a workflow's built-in step. */
  kind: string;
  status: ExecutionStatus;
  error: ExecutionError | null;
  correlationId: string;
  actor: { type: string; id: string | null };
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Time between enqueue and claim. */
  queueMs: number | null;
}

/** One workflow step's child execution. */
export interface ExecutionStepRecord {
  id: string;
  stepId: string | null;
  capabilitySlug: string;
  action: string;
  kind: string;
  status: ExecutionStatus;
  input: unknown;
  output: unknown;
  logs: unknown;
  resources: Record<string, unknown>;
  requests: unknown[];
  error: ExecutionError | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** Columns every read selects (alias `e`), plus the agent and capability names. */
export const SUMMARY_COLUMNS = `e.id, e.parent_id, e.step_id, e.agent_id, a.name AS agent_name, e.capability_id, e.capability_slug,
  c.name AS capability_name, c.icon AS capability_icon, e.version, e.action, e.kind, e.status, e.error_code, e.error,
  e.correlation_id, e.actor_type, e.actor_id, e.attempts, e.created_at, e.started_at, e.finished_at, e.duration_ms, e.resources`;

export interface SummaryRow {
  id: string;
  parent_id: string | null;
  step_id: string | null;
  agent_id: string;
  agent_name: string | null;
  capability_id: string | null;
  capability_slug: string;
  capability_name: string | null;
  capability_icon: string | null;
  version: string;
  action: string;
  kind: string;
  status: string;
  error_code: string | null;
  error: unknown;
  correlation_id: string;
  actor_type: string;
  actor_id: string | null;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  resources: unknown;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export function toStatus(s: string): ExecutionStatus {
  return (EXECUTION_STATUSES as readonly string[]).includes(s) ? (s as ExecutionStatus) : "failed";
}

/** The stored error (or just its code) as an ExecutionError; null when there is none. */
export function toExecutionError(code: string | null, error: unknown): ExecutionError | null {
  const e = asObject(error);
  const c = typeof e.code === "string" ? e.code : code;
  if (!c && !Object.keys(e).length) return null;
  return {
    code: c ?? "error",
    message: typeof e.message === "string" ? e.message : "",
    ...(num(e.line) !== undefined ? { line: num(e.line) } : {}),
    ...(num(e.column) !== undefined ? { column: num(e.column) } : {}),
    ...(typeof e.step === "string" ? { step: e.step } : {}),
  };
}

function queueMsOf(r: { resources: unknown; created_at: Date; started_at: Date | null }): number | null {
  const q = num(asObject(r.resources).queueMs);
  if (q !== undefined) return q;
  return r.started_at ? Math.max(0, r.started_at.getTime() - r.created_at.getTime()) : null;
}

export function toExecutionSummary(r: SummaryRow): ExecutionSummary {
  return {
    id: r.id,
    agent: { id: r.agent_id, name: r.agent_name },
    capability: { id: r.capability_id, slug: r.capability_slug, name: r.capability_name, icon: r.capability_icon },
    version: r.version,
    action: r.action,
    kind: r.kind,
    status: toStatus(r.status),
    error: toExecutionError(r.error_code, r.error),
    correlationId: r.correlation_id,
    actor: { type: r.actor_type, id: r.actor_id },
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    queueMs: queueMsOf(r),
  };
}

export const STEP_COLUMNS = `id, step_id, capability_slug, action, kind, status, input, output, logs, resources, requests, error_code, error,
  attempts, created_at, started_at, finished_at, duration_ms`;

export interface StepRow {
  id: string;
  step_id: string | null;
  capability_slug: string;
  action: string;
  kind: string;
  status: string;
  input: unknown;
  output: unknown;
  logs: unknown;
  resources: unknown;
  requests: unknown;
  error_code: string | null;
  error: unknown;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
}

export function toStepRecord(r: StepRow): ExecutionStepRecord {
  return {
    id: r.id,
    stepId: r.step_id,
    capabilitySlug: r.capability_slug,
    action: r.action,
    kind: r.kind,
    status: toStatus(r.status),
    input: redact(r.input),
    output: r.output ?? null,
    logs: r.logs ?? [],
    resources: asObject(r.resources),
    requests: Array.isArray(r.requests) ? r.requests : [],
    error: toExecutionError(r.error_code, r.error),
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
  };
}

/** SQL that limits executions (alias `e`, agents alias `a`) to what the viewer may see; `$n` is the next parameter. */
export function visibleToViewerSql(viewer: ExecutionViewer, params: unknown[]): string | null {
  if (viewer.role === "admin") return null;
  params.push(viewer.userId);
  return `a.owner_id = $${params.length}`;
}

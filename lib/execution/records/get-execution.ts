// One execution for its detail page and GET /api/executions/:id: the row (input, output,
// logs, resources, outbound requests, error), its workflow steps in the order they were
// written, the step graph of the workflow's version, and the events of its invocation
// (same correlation id and agent, by seq). 404 unless the viewer owns its agent or is an admin.
import type { Db } from "../../db/prisma";
import { notFound } from "../../errors";
import { redact } from "../../events/redact";
import { EVENT_COLUMNS, toEventRecord, type EventRecord, type EventRow } from "../../events/event-record";
import { isFinalStatus } from "../types";
import {
  STEP_COLUMNS,
  SUMMARY_COLUMNS,
  toExecutionSummary,
  toStepRecord,
  visibleToViewerSql,
  type ExecutionStepRecord,
  type ExecutionSummary,
  type ExecutionViewer,
  type StepRow,
  type SummaryRow,
} from "./execution-record";
import { buildStepGraph, type StepGraph } from "./step-graph";

/** Events shown with one execution; a longer history is on the timeline (by correlation id). */
export const EXECUTION_EVENTS_LIMIT = 500;

export interface ExecutionDetail extends ExecutionSummary {
  /** For a workflow step's own record: the workflow execution it belongs to. */
  parent: { id: string; stepId: string | null } | null;
  timeoutMs: number;
  input: unknown;
  output: unknown;
  /** Lines as stored (a capped value is a `{ $truncated, bytes, preview }` marker instead). */
  logs: unknown;
  resources: Record<string, unknown>;
  requests: unknown[];
  steps: ExecutionStepRecord[];
  graph: StepGraph | null;
  events: EventRecord[];
  /** More events exist than were returned. */
  eventsTruncated: boolean;
}

interface DetailRow extends SummaryRow {
  timeout_ms: number;
  version_id: string | null;
  input: unknown;
  output: unknown;
  logs: unknown;
  requests: unknown;
}

export async function getExecution(db: Db, options: { id: string; viewer: ExecutionViewer }): Promise<ExecutionDetail> {
  const params: unknown[] = [options.id];
  const access = visibleToViewerSql(options.viewer, params);
  const [row] = await db.$queryRawUnsafe<DetailRow[]>(
    `SELECT ${SUMMARY_COLUMNS}, e.timeout_ms, e.version_id, e.input, e.output, e.logs, e.requests
     FROM executions e ${access ? "JOIN" : "LEFT JOIN"} agents a ON a.id = e.agent_id LEFT JOIN capabilities c ON c.id = e.capability_id
     WHERE e.id = $1 ${access ? `AND ${access}` : ""}`,
    ...params,
  );
  if (!row) throw notFound("execution");

  const [stepRows, eventRows, version] = await Promise.all([
    row.parent_id ? Promise.resolve([] as StepRow[]) : db.$queryRawUnsafe<StepRow[]>(`SELECT ${STEP_COLUMNS} FROM executions WHERE parent_id = $1 ORDER BY created_at, id`, row.id),
    // A caller may pass its own correlation id, so several invocations (even of other
    // people's agents) can share one: only events of this agent or this execution's stream.
    db.$queryRawUnsafe<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE correlation_id = $1 AND ((stream_type = 'execution' AND stream_id = $2) OR (subject_type = 'agent' AND subject_id = $3))
       ORDER BY seq ASC LIMIT $4`,
      row.correlation_id,
      row.parent_id ?? row.id,
      row.agent_id,
      EXECUTION_EVENTS_LIMIT + 1,
    ),
    row.kind === "workflow" && row.version_id ? db.capabilityVersion.findUnique({ where: { id: row.version_id }, select: { manifest: true } }) : Promise.resolve(null),
  ]);
  const events = eventRows.slice(0, EXECUTION_EVENTS_LIMIT).map(toEventRecord);
  const steps = stepRows.map(toStepRecord);
  const ownEvents = events.filter((e) => e.streamType === "execution" && e.streamId === row.id);
  const graph = version
    ? buildStepGraph({
        manifest: version.manifest,
        rows: steps.map((s) => ({ ...s, errorCode: s.error?.code ?? null, errorMessage: s.error?.message ?? null })),
        events: ownEvents,
        parentFinal: isFinalStatus(row.status),
      })
    : null;

  return {
    ...toExecutionSummary(row),
    parent: row.parent_id ? { id: row.parent_id, stepId: row.step_id } : null,
    timeoutMs: row.timeout_ms,
    // Queued input is stored as sent (minus known secret values): redact secret-looking keys for display.
    input: redact(row.input),
    output: row.output ?? null,
    logs: row.logs ?? [],
    resources: row.resources && typeof row.resources === "object" ? (row.resources as Record<string, unknown>) : {},
    requests: Array.isArray(row.requests) ? row.requests : [],
    steps,
    graph,
    events,
    eventsTruncated: eventRows.length > EXECUTION_EVENTS_LIMIT,
  };
}

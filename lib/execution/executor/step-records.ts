// The records of a workflow's steps: one child `executions` row per attempt of a step
// (parent_id = the workflow's row, or the calling step's row for a nested workflow;
// step_id; kind = the called capability's type, or `step` for a built-in), written as the
// attempt starts and finished with its outcome, each write in one transaction with its
// `execution.step.*` event on the root execution's stream. Step rows are never queued, so
// no executor ever claims them. A skipped step has no row: only its event.
import type { Db } from "../../db/prisma";
import { appendEvent, type Actor } from "../../events/append-event";
import { redact } from "../../events/redact";
import { newId } from "../../ids";
import { storableLogs } from "../queue/complete";
import { storableJson } from "../records/store-json";
import type { ActionOutcome } from "../types";

export interface StepScope {
  db: Db;
  rootId: string;
  agentId: string;
  correlationId: string;
  actor: Actor;
  tokenId: string | null;
  /** Secret values met so far in this run: removed from everything written. */
  secrets: ReadonlySet<string>;
}

export interface StepRowStart {
  parentId: string;
  stepId: string;
  attempt: number;
  action: string;
  /** What the step calls, when it is an installed capability that was found. */
  target: { installationId: string; capabilityId: string; versionId: string; slug: string; version: string; kind: string } | null;
  /** `slug` of the called capability when it was not found ("" for built-ins). */
  slug: string;
  input: unknown;
  timeoutMs: number;
}

const MAX_EVENT_MESSAGE = 1000;
const clip = (s: string) => (s.length <= MAX_EVENT_MESSAGE ? s : `${s.slice(0, MAX_EVENT_MESSAGE - 1)}…`);
const eventBase = (s: StepScope) => ({
  stream: { type: "execution", id: s.rootId },
  subject: { type: "agent", id: s.agentId },
  actor: s.actor,
  correlationId: s.correlationId,
  secrets: s.secrets,
});

/** Inserts the running row of one attempt and appends `execution.step.started`; returns the row id. */
export async function startStepRow(s: StepScope, r: StepRowStart): Promise<string> {
  const id = newId("exe");
  const input = JSON.stringify(storableJson(r.input ?? {}, { secrets: s.secrets }));
  const t = r.target;
  await s.db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO executions (id, parent_id, step_id, agent_id, installation_id, capability_id, version_id, capability_slug, version,
        action, kind, status, input, correlation_id, actor_type, actor_id, token_id, timeout_ms, attempts, started_at)
      VALUES (${id}, ${r.parentId}, ${r.stepId}, ${s.agentId}, ${t?.installationId ?? null}, ${t?.capabilityId ?? null}, ${t?.versionId ?? null},
        ${t?.slug ?? r.slug}, ${t?.version ?? ""}, ${r.action}, ${t?.kind ?? "step"}, 'running', ${input}::jsonb, ${s.correlationId},
        ${s.actor.type}, ${s.actor.id}, ${s.tokenId}, ${Math.max(0, Math.round(r.timeoutMs))}::int, ${r.attempt}::int, clock_timestamp())`;
    await appendEvent(tx, {
      ...eventBase(s),
      type: "execution.step.started",
      // The same spelling as the finish events: slug.action for capabilities, the name of a built-in.
      data: { executionId: s.rootId, stepExecutionId: id, step: r.stepId, action: t?.slug || r.slug ? `${t?.slug ?? r.slug}.${r.action}` : r.action },
    });
  });
  return id;
}

export interface StepRowFinish {
  rowId: string;
  stepId: string;
  action: string;
  attempt: number;
  outcome: ActionOutcome;
  /** What became of a failure (null: succeeded, or another attempt follows). */
  handled: "fail" | "continue" | "fallback" | null;
  timeoutMs?: number;
}

/** Finishes the row of one attempt with its outcome and appends `execution.step.succeeded` / `.failed`. */
export async function finishStepRow(s: StepScope, f: StepRowFinish): Promise<void> {
  const secrets = [...s.secrets];
  const o = f.outcome;
  const ok = o.status === "succeeded";
  const error = ok ? null : (o.error ?? { code: "unknown_error", message: "the step failed without an error" });
  const durationMs = Math.max(0, Math.round(o.resources?.wallMs ?? 0));
  const resources: Record<string, number> = { wallMs: durationMs, networkCalls: o.resources?.networkCalls ?? 0 };
  if (o.resources?.cpuMs !== undefined) resources.cpuMs = Math.round(o.resources.cpuMs * 100) / 100;
  if (o.resources?.heapBytes !== undefined) resources.heapBytes = Math.round(o.resources.heapBytes);
  const output = o.output === undefined ? null : JSON.stringify(storableJson(o.output, { secrets }));
  const logs = JSON.stringify(storableLogs(o.logs ?? [], secrets));
  const requests = JSON.stringify(storableJson(o.requests ?? [], { secrets }));
  const errorJson = error ? JSON.stringify(storableJson(error, { secrets })) : null;
  const timeout = f.timeoutMs === undefined ? null : Math.max(0, Math.round(f.timeoutMs));
  await s.db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE executions SET status = ${ok ? "succeeded" : o.status}, output = ${output}::jsonb, logs = ${logs}::jsonb,
        resources = ${JSON.stringify(resources)}::jsonb, requests = ${requests}::jsonb, error_code = ${error?.code ?? null},
        error = ${errorJson}::jsonb, finished_at = clock_timestamp(), duration_ms = ${durationMs}::int,
        timeout_ms = COALESCE(${timeout}::int, timeout_ms)
      WHERE id = ${f.rowId} AND status = 'running'`;
    if (ok) {
      await appendEvent(tx, {
        ...eventBase(s),
        type: "execution.step.succeeded",
        data: { executionId: s.rootId, stepExecutionId: f.rowId, step: f.stepId, action: f.action, durationMs },
      });
    } else {
      const message = redact(error?.message ?? "", { secrets });
      await appendEvent(tx, {
        ...eventBase(s),
        type: "execution.step.failed",
        data: {
          executionId: s.rootId,
          stepExecutionId: f.rowId,
          step: f.stepId,
          action: f.action,
          status: o.status,
          errorCode: error?.code ?? "unknown_error",
          // An attempt that is retried is not the step's end: handled "retry".
          message: clip(f.handled === null ? `attempt ${f.attempt} failed, retrying: ${message}` : message),
          handled: f.handled ?? "retry",
          durationMs,
        },
      });
    }
  });
}

/** A step that does not run: no row, only `execution.step.skipped`. */
export async function recordSkippedStep(s: StepScope, k: { stepId: string; action: string; reason: string }): Promise<void> {
  await appendEvent(s.db, {
    ...eventBase(s),
    type: "execution.step.skipped",
    data: { executionId: s.rootId, stepExecutionId: null, step: k.stepId, action: k.action, reason: clip(k.reason) },
  });
}

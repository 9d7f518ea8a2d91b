// An invocation refused before it ran (a permission the installation withheld, or the
// policy gate) is still recorded, so it shows in the executions list and on the timeline:
// a `denied` executions row and its `execution.denied` event, in one transaction.
import type { Db, Prisma } from "../../db/prisma";
import { appendEvent, type Actor } from "../../events/append-event";
import { newId } from "../../ids";
import type { ExecutionError, ExecutionKind } from "../types";

export interface RecordDeniedExecutionInput {
  agentId: string;
  installationId: string;
  capabilityId: string;
  versionId: string;
  capabilitySlug: string;
  version: string;
  action: string;
  kind: ExecutionKind;
  /** Storable JSON of the input (see prepareQueuedInput / storableJson). */
  inputJson: string;
  correlationId: string;
  actor: Actor;
  tokenId?: string | null;
  timeoutMs: number;
  /** permission_denied or policy_denied, and a message safe to show. */
  reasonCode: string;
  reason: string;
  secrets?: Iterable<string>;
}

export async function recordDeniedExecution(db: Db, d: RecordDeniedExecutionInput): Promise<{ id: string }> {
  return db.$transaction((tx) => recordDeniedExecutionInTx(tx, d));
}

/** The same, inside the caller's transaction (an approved request the gate now denies). */
export async function recordDeniedExecutionInTx(tx: Prisma.TransactionClient, d: RecordDeniedExecutionInput): Promise<{ id: string }> {
  const id = newId("exe");
  const error: ExecutionError = { code: d.reasonCode, message: d.reason };
  {
    await tx.$executeRaw`
      INSERT INTO executions (id, agent_id, installation_id, capability_id, version_id, capability_slug, version, action, kind,
        status, input, error_code, error, correlation_id, actor_type, actor_id, token_id, timeout_ms, finished_at, duration_ms)
      VALUES (${id}, ${d.agentId}, ${d.installationId}, ${d.capabilityId}, ${d.versionId}, ${d.capabilitySlug}, ${d.version}, ${d.action}, ${d.kind},
        'denied', ${d.inputJson}::jsonb, ${d.reasonCode}, ${JSON.stringify(error)}::jsonb, ${d.correlationId}, ${d.actor.type}, ${d.actor.id},
        ${d.tokenId ?? null}, ${Math.round(d.timeoutMs)}, now(), 0)`;
    await appendEvent(tx, {
      type: "execution.denied",
      data: { executionId: id, slug: d.capabilitySlug, action: d.action, reasonCode: d.reasonCode, reason: d.reason },
      stream: { type: "execution", id },
      subject: { type: "agent", id: d.agentId },
      actor: d.actor,
      correlationId: d.correlationId,
      secrets: d.secrets,
    });
  }
  return { id };
}

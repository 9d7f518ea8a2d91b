// Creates an approval for a request the gate answered with require_approval, inside the
// caller's transaction: the row (holding the full request and what to run once approved),
// its approval.requested event and the policy.evaluated event of the decision, so the
// request, the decision and the wait commit together. DANGEROUS requests also put the full
// request into the log (redacted like all event data).
import type { Prisma } from "../../generated/prisma/client";
import { getEnv } from "../../env";
import { appendEvent, type Actor } from "../../events/append-event";
import { newId } from "../../ids";
import { SECURITY_LEVEL_OF_RISK, type PolicyDecision, type PolicyRequest } from "../gate";
import { policyEvaluatedEvent } from "../evaluate-request";
import type { ApprovalDisplay, ApprovalKind, StoredApprovalRequest } from "./types";

export interface CreateApprovalInput {
  kind: ApprovalKind;
  request: PolicyRequest;
  decision: PolicyDecision;
  rulesVersion: number;
  requester: { actor: Actor; userId: string | null; role: "admin" | "member" | null; via: "session" | "token" | null };
  agentId?: string | null;
  capabilityId?: string | null;
  display: ApprovalDisplay;
  /** What the deferred action needs to run once approved (kind-specific; encrypt secrets). */
  payload: Record<string, unknown>;
  correlationId: string;
  /** Secret values that must not reach the events. */
  secrets?: Iterable<string>;
}

export interface CreatedApproval {
  id: string;
  expiresAt: Date;
}

const RISK_OF_LEVEL: Record<string, string> = { SAFE: "low", MODERATE: "medium", RESTRICTED: "high", DANGEROUS: "critical" };

export async function createApproval(tx: Prisma.TransactionClient, c: CreateApprovalInput): Promise<CreatedApproval> {
  if (c.decision.decision !== "require_approval") throw new Error(`createApproval needs a require_approval decision, got ${c.decision.decision}`);
  const id = newId("apr");
  const expiresAt = new Date(Date.now() + getEnv().APPROVAL_TTL_HOURS * 3600_000);
  const cap = c.request.capability;
  const approver = c.decision.approver ?? "admin";
  const stored: StoredApprovalRequest = { policy: c.request, display: c.display, via: c.requester.via, rulesVersion: c.rulesVersion };
  const level = c.decision.securityLevel;
  const risk = cap?.risk && SECURITY_LEVEL_OF_RISK[cap.risk] === level ? cap.risk : (RISK_OF_LEVEL[level] ?? "high");
  await tx.approval.create({
    data: {
      id,
      kind: c.kind,
      requesterType: c.requester.actor.type,
      requesterId: c.requester.actor.id,
      requesterUserId: c.requester.userId,
      requesterRole: c.requester.role,
      agentId: c.agentId ?? c.request.who.agentId ?? null,
      capabilityId: c.capabilityId ?? null,
      capabilitySlug: cap?.slug ?? null,
      version: cap?.version ?? null,
      action: cap?.action ?? null,
      securityLevel: level,
      risk,
      approver,
      reasonCode: c.decision.reasonCode,
      reasons: c.decision.reasons,
      ruleId: c.decision.ruleId,
      request: stored as unknown as Prisma.InputJsonValue,
      payload: c.payload as Prisma.InputJsonValue,
      correlationId: c.correlationId,
      expiresAt,
    },
  });
  const subject = { type: "approval", id };
  await appendEvent(tx, { ...policyEvaluatedEvent(c.request, { decision: c.decision, rulesVersion: c.rulesVersion }, { actor: c.requester.actor, correlationId: c.correlationId, approvalId: id }), secrets: c.secrets });
  await appendEvent(tx, {
    type: "approval.requested",
    data: {
      approvalId: id,
      kind: c.kind,
      slug: cap?.slug ?? null,
      version: cap?.version ?? null,
      action: cap?.action ?? null,
      agentId: c.agentId ?? c.request.who.agentId ?? null,
      securityLevel: level,
      approver,
      reasonCode: c.decision.reasonCode,
      reasons: c.decision.reasons,
      expiresAt: expiresAt.toISOString(),
      ...(c.decision.recordFullRequest ? { request: { policy: c.request, display: c.display } } : {}),
    },
    stream: { type: "approval", id },
    subject: c.agentId ? { type: "agent", id: c.agentId } : subject,
    actor: c.requester.actor,
    correlationId: c.correlationId,
    secrets: c.secrets,
  });
  return { id, expiresAt };
}

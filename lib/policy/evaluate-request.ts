// Runs the gate with the policy in force, for the callers that act on it (invoke, install,
// upgrade, publish, the dry run). On a require_approval for an agent it adds the
// progressive-trust counts (approvals and denials of this agent's same action in the last
// 30 days) so the gate can recommend a standing rule. Also builds the policy.evaluated
// event every decision is recorded with — allow included.
import type { Prisma } from "../generated/prisma/client";
import type { Actor, AppendEventInput } from "../events/append-event";
import { evaluatePolicy, type PolicyDecision, type PolicyRequest } from "./gate";
import { loadPolicy, type LoadedPolicy, type PolicyHead } from "./load-policy";

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

export const TRUST_WINDOW_DAYS = 30;

export interface Evaluation {
  decision: PolicyDecision;
  rulesVersion: number;
  policy: LoadedPolicy;
}

export async function trustCounts(db: Queryable, o: { agentId: string; slug: string; action: string | null; kind: string }): Promise<{ approved: number; denied: number }> {
  const rows = await db.$queryRaw<{ approved: number; denied: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'approved')::int AS approved, count(*) FILTER (WHERE status = 'denied')::int AS denied
    FROM approvals
    WHERE agent_id = ${o.agentId} AND capability_slug = ${o.slug} AND action IS NOT DISTINCT FROM ${o.action} AND kind = ${o.kind}
      AND created_at > now() - make_interval(days => ${TRUST_WINDOW_DAYS})`;
  return rows[0] ?? { approved: 0, denied: 0 };
}

/** `head`: the policy head when the caller already read it (see POLICY_HEAD_COLUMNS). */
export async function evaluateRequest(db: Queryable, request: PolicyRequest, head?: PolicyHead): Promise<Evaluation> {
  const policy = await loadPolicy(db, head);
  let decision = evaluatePolicy(request, policy.compiled);
  const agentId = request.who.agentId;
  if (decision.decision === "require_approval" && agentId && request.capability && request.context?.approved !== true) {
    const c = await trustCounts(db, { agentId, slug: request.capability.slug.toLowerCase(), action: request.capability.action ?? null, kind: request.what });
    decision = evaluatePolicy({ ...request, context: { ...request.context, recentApprovals: c.approved, recentDenials: c.denied } }, policy.compiled);
  }
  return { decision, rulesVersion: policy.rulesVersion, policy };
}

/** The policy.evaluated event of one decision. */
export function policyEvaluatedEvent(
  request: PolicyRequest,
  e: { decision: PolicyDecision; rulesVersion: number },
  o: { actor: Actor; correlationId: string; approvalId?: string | null; subject?: { type: string; id: string } | null },
): AppendEventInput<"policy.evaluated"> {
  const cap = request.capability;
  return {
    type: "policy.evaluated",
    data: {
      what: String(request.what),
      slug: cap?.slug ?? null,
      version: cap?.version ?? null,
      action: cap?.action ?? null,
      agentId: request.who.agentId,
      decision: e.decision.decision,
      reasonCode: e.decision.reasonCode,
      reasons: e.decision.reasons,
      ruleId: e.decision.ruleId,
      securityLevel: e.decision.securityLevel,
      rulesVersion: e.rulesVersion,
      approvalId: o.approvalId ?? null,
    },
    stream: { type: "policy", id: "org" },
    subject: o.subject ?? (request.who.agentId ? { type: "agent", id: request.who.agentId } : null),
    actor: o.actor,
    correlationId: o.correlationId,
  };
}

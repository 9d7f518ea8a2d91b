// The policy gate in front of installs and upgrades: builds the gate's request "by the
// permissions asked" (what the install or upgrade would GRANT, with the manifest's declared
// risk and allowed domains), events the decision and shapes the answers (dry-run summary,
// 202 of a pending approval). Dependencies installed along count: the request carries the
// union of every grant, domain and declared risk of the plan, so a low-risk capability
// cannot bring a high-risk dependency in unapproved. Secret values never reach the gate.
import type { Prisma } from "../db/prisma";
import { AppError } from "../errors";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import type { PolicyDecision, PolicyRequest, SecurityLevel } from "../policy/gate";
import { evaluateRequest, policyEvaluatedEvent, type Evaluation } from "../policy/evaluate-request";
import { createApproval } from "../policy/approvals/create-approval";
import type { ApprovalDisplay } from "../policy/approvals/types";
import { maxRisk, RISK_LEVELS, type RiskLevel } from "../registry/permissions";
import type { Caller } from "./agent-access";

/** How the caller authenticated (the route knows; the gate and the approval record it). */
export interface RequestAuth {
  via: "session" | "token";
  tokenId: string | null;
}

/** One thing the install or upgrade puts on the agent, as the gate counts it. */
export interface GatedItem {
  manifest: unknown;
  granted: readonly string[];
}

/** The decision as a dry run shows it. */
export interface PolicySummary {
  decision: PolicyDecision["decision"];
  reasonCode: string;
  reasons: string[];
  securityLevel: SecurityLevel;
}

/** The 202 answer while an approval is pending. */
export interface PendingApprovalAnswer {
  approvalId: string;
  status: "pending";
  correlationId: string;
  securityLevel: SecurityLevel;
  reasons: string[];
  expiresAt: string;
  links: { self: string; stream: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The risk a stored manifest declares, if any (the version's computed risk also counts what it merely requests). */
export function declaredRisk(manifest: unknown): RiskLevel | undefined {
  const r = isObject(manifest) ? manifest.risk : undefined;
  return typeof r === "string" && (RISK_LEVELS as readonly string[]).includes(r) ? (r as RiskLevel) : undefined;
}

/** The domains a stored manifest may reach. */
export function allowedDomains(manifest: unknown): string[] {
  const d = isObject(manifest) ? manifest.allowed_domains : undefined;
  return Array.isArray(d) ? d.filter((x): x is string => typeof x === "string") : [];
}

const unique = (xs: Iterable<string>) => [...new Set(xs)];

/** The gate's request for an install or upgrade: the root's slug and version, the plan's grants, domains and declared risk. */
export function installPolicyRequest(o: {
  what: "install" | "upgrade";
  caller: Caller;
  agentId: string;
  auth: RequestAuth | undefined;
  slug: string;
  version: string;
  items: readonly GatedItem[];
}): PolicyRequest {
  const risks = o.items.map((i) => declaredRisk(i.manifest)).filter((r): r is RiskLevel => r !== undefined);
  return {
    who: { userId: o.caller.userId, role: o.caller.role, agentId: o.agentId, tokenId: o.auth?.tokenId ?? null },
    what: o.what,
    capability: {
      slug: o.slug,
      version: o.version,
      ...(risks.length ? { risk: maxRisk(risks) } : {}),
      permissions: unique(o.items.flatMap((i) => i.granted)),
      domains: unique(o.items.flatMap((i) => allowedDomains(i.manifest))),
    },
  };
}

export function policySummary(d: PolicyDecision): PolicySummary {
  return { decision: d.decision, reasonCode: d.reasonCode, reasons: d.reasons, securityLevel: d.securityLevel };
}

export function approvalLinks(approvalId: string, correlationId: string): PendingApprovalAnswer["links"] {
  return { self: `/api/approvals/${approvalId}`, stream: `/api/events/stream?correlationId=${encodeURIComponent(correlationId)}` };
}

export type GateOutcome =
  | { decision: "allow" }
  | { decision: "deny"; error: AppError }
  | { decision: "require_approval"; answer: PendingApprovalAnswer };

/**
 * Asks the gate inside the install's transaction and records the answer there:
 * allow → policy.evaluated (the caller goes on and installs); deny → policy.evaluated and
 * the AppError to throw once this transaction has COMMITTED (so the event stays);
 * require_approval → the approval (row, approval.requested, policy.evaluated) and the 202.
 */
export async function gateInstallation(
  tx: Prisma.TransactionClient,
  o: {
    kind: "install" | "upgrade";
    request: PolicyRequest;
    caller: Caller;
    auth: RequestAuth | undefined;
    agentId: string;
    capabilityId: string;
    display: ApprovalDisplay;
    payload: Record<string, unknown>;
    secrets: readonly string[];
    evaluation?: Evaluation;
  },
): Promise<GateOutcome> {
  const e = o.evaluation ?? (await evaluateRequest(tx, o.request));
  const correlationId = o.caller.correlationId ?? newId("cor");
  if (e.decision.decision === "require_approval") {
    const created = await createApproval(tx, {
      kind: o.kind,
      request: o.request,
      decision: e.decision,
      rulesVersion: e.rulesVersion,
      requester: { actor: o.caller.actor, userId: o.caller.userId, role: o.caller.role, via: o.auth?.via ?? null },
      agentId: o.agentId,
      capabilityId: o.capabilityId,
      display: o.display,
      payload: o.payload,
      correlationId,
      secrets: o.secrets,
    });
    return {
      decision: "require_approval",
      answer: {
        approvalId: created.id,
        status: "pending",
        correlationId,
        securityLevel: e.decision.securityLevel,
        reasons: e.decision.reasons,
        expiresAt: created.expiresAt.toISOString(),
        links: approvalLinks(created.id, correlationId),
      },
    };
  }
  await appendEvent(tx, { ...policyEvaluatedEvent(o.request, e, { actor: o.caller.actor, correlationId }), secrets: o.secrets });
  if (e.decision.decision === "deny") return { decision: "deny", error: new AppError("policy_denied", `the policy denies this ${o.kind}: ${e.decision.reasons.join("; ")}`) };
  return { decision: "allow" };
}

// The policy gate every invocation passes after its input is validated and before anything
// is queued: the pure gate (lib/policy/gate.ts) with the policy in force
// (lib/policy/load-policy.ts) and, on require_approval, the progressive-trust counts
// (lib/policy/evaluate-request.ts). The request it asks about is the action's own needs
// (what this action can do, not everything the capability could), the manifest's declared
// risk and its allowed domains. The caller acts on the answer and events it: allow →
// queue; deny → a `denied` execution + 403; require_approval → an approval + 202.
// It never sees secret values: it gets the input's shape, not the configuration.
import type { Db } from "../db/prisma";
import type { RiskLevel } from "../registry/permissions";
import type { PolicyDecision, PolicyRequest } from "./gate";
import { evaluateRequest } from "./evaluate-request";
import type { PolicyHead } from "./load-policy";

export interface InvokeGateRequest {
  agentId: string;
  /** The user the call acts for, and how they authenticated. */
  userId: string;
  role: "admin" | "member";
  via: "session" | "token";
  tokenId: string | null;
  capabilitySlug: string;
  version: string;
  action: string;
  kind: string;
  /** The permissions the installation granted, and those this action needs. */
  granted: readonly string[];
  needs: readonly string[];
  /** The manifest's declared risk and allowed domains. */
  declaredRisk?: RiskLevel;
  domains?: readonly string[];
  /** The validated input (defaults filled in). */
  input: Readonly<Record<string, unknown>>;
  /** The policy head, read with the invocation target (saves a round trip). */
  policyHead?: PolicyHead;
}

export interface InvokeGateEvaluation {
  decision: PolicyDecision;
  rulesVersion: number;
  request: PolicyRequest;
}

export interface InvokeGateDecision {
  decision: "allow" | "deny" | "require_approval";
  reasonCode: string;
  reason: string;
  /** The gate's full answer (absent only from stand-in gates of tests). */
  evaluation?: InvokeGateEvaluation;
}

export function invokePolicyRequest(r: InvokeGateRequest): PolicyRequest {
  return {
    who: { userId: r.userId, role: r.role, agentId: r.agentId, tokenId: r.tokenId },
    what: "invoke",
    capability: {
      slug: r.capabilitySlug,
      version: r.version,
      action: r.action,
      ...(r.declaredRisk ? { risk: r.declaredRisk } : {}),
      permissions: [...r.needs],
      domains: [...(r.domains ?? [])],
    },
  };
}

export async function checkInvokeGate(db: Db, r: InvokeGateRequest): Promise<InvokeGateDecision> {
  const request = invokePolicyRequest(r);
  const e = await evaluateRequest(db, request, r.policyHead);
  return { decision: e.decision.decision, reasonCode: e.decision.reasonCode, reason: e.decision.reasons.join("; "), evaluation: { decision: e.decision, rulesVersion: e.rulesVersion, request } };
}

// The policy gate every invocation passes after its input is validated and before it is
// queued. Today it applies the kill switch (lib/policy/kill-switch.ts) through the pure gate
// (lib/policy/gate.ts): while it is on, an action that needs an external-write permission is
// denied. Org rules, defaults by security level and approvals come with the rest of the
// policy issue, plugged in here without touching the invoke path: a deny is
// recorded by the caller as a `denied` execution with an `execution.denied` event and
// answered 403. It must never see secret values: it gets the input, not the config.
import type { Db } from "../db/prisma";
import { evaluatePolicy } from "./gate";
import { getKillSwitch } from "./kill-switch";

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
  /** The validated input (defaults filled in). */
  input: Readonly<Record<string, unknown>>;
}

export type InvokeGateDecision = { decision: "allow" } | { decision: "deny"; reasonCode: string; reason: string };

const ALLOW: InvokeGateDecision = { decision: "allow" };

export async function checkInvokeGate(db: Db, request: InvokeGateRequest): Promise<InvokeGateDecision> {
  const killSwitch = await getKillSwitch(db);
  if (!killSwitch.on) return ALLOW;
  const d = evaluatePolicy(
    {
      who: { userId: request.userId, role: request.role, agentId: request.agentId, tokenId: request.tokenId },
      what: "invoke",
      capability: { slug: request.capabilitySlug, version: request.version, action: request.action, permissions: [...request.needs], domains: [] },
    },
    { killSwitch: true, rules: [] },
  );
  // Only the kill switch is enforced until approvals exist (the defaults would ask for them).
  if (d.decision === "deny" && d.reasonCode === "kill_switch") return { decision: "deny", reasonCode: d.reasonCode, reason: d.reasons.join("; ") };
  return ALLOW;
}

// The policy gate every invocation passes after its input is validated and before it is
// queued. A placeholder until the policy issue: it allows everything. The policy issue
// plugs its rules (and approvals) in here without touching the invoke path: a deny is
// recorded by the caller as a `denied` execution with an `execution.denied` event and
// answered 403. It must never see secret values: it gets the input, not the config.
import type { Db } from "../db/prisma";

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
  void db;
  void request;
  return ALLOW;
}

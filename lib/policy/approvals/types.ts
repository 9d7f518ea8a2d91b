// Shapes of the approvals module: what is stored in an approval row's JSON columns and
// what the API answers (ApprovalView). Pure types and small constants.
import type { ExecutionError, ExecutionStatus } from "../../execution/types";
import type { PolicyRequest, SecurityLevel } from "../gate";
import type { OrgRule } from "../rules";

export const APPROVAL_KINDS = ["invoke", "install", "upgrade", "publish", "materialize_task"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const APPROVAL_DECISIONS = ["approve", "deny", "hold"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface PermissionInfo {
  name: string;
  label: string;
  explanation: string;
  risk: string;
}

/** What the approval shows about the request (stored in `request.display`). */
export interface ApprovalDisplay {
  /** The input, redacted for display (invoke). */
  input?: unknown;
  permissions: string[];
  domains: string[];
  /** Upgrades: what the new version asks beyond the installed one. */
  permissionDiff?: { added: string[]; removed: string[]; kept: string[] };
  visibility?: string;
  fromVersion?: string;
  /** Anything else a kind wants to show (configuration keys, …); never secret values. */
  details?: Record<string, unknown>;
}

/** The `request` column: the gate's request as evaluated, and the display part. */
export interface StoredApprovalRequest {
  policy: PolicyRequest;
  display: ApprovalDisplay;
  via: "session" | "token" | null;
  rulesVersion: number;
}

export interface ApprovalResult {
  executionId: string;
  status: ExecutionStatus;
  output: unknown;
  durationMs: number | null;
  error?: ExecutionError;
  links: { self: string };
}

export interface ApprovalOutcome {
  ok: boolean;
  message: string;
  [key: string]: unknown;
}

export interface ApprovalView {
  id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  held: boolean;
  note: string | null;
  requester: { type: string; id: string | null; userId: string | null; email: string | null; name: string | null; role: string | null; via: "session" | "token" | null };
  agent: { id: string; name: string | null } | null;
  capability: { slug: string; name: string | null; version: string | null; action: string | null } | null;
  securityLevel: SecurityLevel;
  risk: string;
  approver: "admin" | "any";
  policy: { reasonCode: string; reasons: string[]; ruleId: string | null };
  request: {
    input?: unknown;
    permissions: PermissionInfo[];
    domains: string[];
    permissionDiff?: { added: PermissionInfo[]; removed: string[]; kept: string[] };
    visibility?: string;
    fromVersion?: string;
    details?: Record<string, unknown>;
    /** DANGEROUS requests: the gate's full request as recorded. */
    full?: unknown;
  };
  correlationId: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decision: { decision: "approve" | "deny"; comment: string | null; by: { id: string; email: string | null; name: string | null } | null; at: string } | null;
  reason: string | null;
  result: ApprovalResult | null;
  outcome: ApprovalOutcome | null;
  recommendation: { rule: OrgRule; approvals: number } | null;
  viewer: { canDecide: boolean; whyNot: string | null; canTrust: boolean };
  links: { self: string; decide: string; html: string; stream: string; execution?: string };
}

/** The columns of an approvals row the module works with. */
export interface ApprovalRow {
  id: string;
  kind: string;
  status: string;
  held: boolean;
  note: string | null;
  requesterType: string;
  requesterId: string | null;
  requesterUserId: string | null;
  requesterRole: string | null;
  agentId: string | null;
  capabilityId: string | null;
  capabilitySlug: string | null;
  version: string | null;
  action: string | null;
  securityLevel: string;
  risk: string;
  approver: string;
  reasonCode: string;
  reasons: unknown;
  ruleId: string | null;
  request: unknown;
  payload: unknown;
  correlationId: string;
  expiresAt: Date;
  decidedById: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  executionId: string | null;
  outcome: unknown;
  createdAt: Date;
}

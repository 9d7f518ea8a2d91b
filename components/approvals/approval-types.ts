// The approval as the API returns it (GET /api/approvals, GET /api/approvals/:id, POST
// …/decide), for client components: the types come from the approvals module (type-only
// imports, erased at build, so no server code reaches the browser); the constants and
// helpers here are the browser's own copies.
import type { ApprovalResult, ApprovalView } from "@/lib/policy/approvals/types";

export type { ApprovalDecision as Decision, ApprovalResult, ApprovalView } from "@/lib/policy/approvals/types";

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired"] as const;
export const RISK_VALUES = ["low", "medium", "high", "critical"] as const;

export interface ApprovalPage {
  items: ApprovalView[];
  nextCursor: string | null;
  pendingCount: number;
}

/** What POST /api/agents/:id/invoke answers when the action waits for a person (202). */
export interface InvokeApprovalAnswer {
  approvalId: string;
  status: "pending";
  correlationId?: string;
  securityLevel?: string;
  approver?: "admin" | "any";
  reasons?: string[];
  expiresAt?: string;
  links?: { self?: string; html?: string; stream?: string };
}

/** Final execution states: a result in one of these will not change any more. */
export function isFinalResult(result: Pick<ApprovalResult, "status"> | null): boolean {
  return !!result && result.status !== "queued" && result.status !== "running";
}

/**
 * Whether the approval can no longer change by itself: decided or expired, and for an
 * approval that started an execution, that execution finished (its result is in). The same
 * rule as the server's long-poll (lib/policy/approvals/approval-view.ts isSettled).
 */
export function isSettled(a: Pick<ApprovalView, "status" | "result" | "links">): boolean {
  if (a.status === "pending") return false;
  if (a.status !== "approved" || !a.links.execution) return true;
  return isFinalResult(a.result);
}

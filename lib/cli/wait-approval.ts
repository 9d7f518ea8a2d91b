// Waits for an approval to be decided (and, for an invocation, for its execution to finish)
// by long-polling GET /api/approvals/:id?wait=…, printing the link a person opens to decide.
import type { ApiClient } from "./api-client";
import type { Output } from "./cli-io";

export interface ApprovalView {
  id: string;
  kind: string;
  status: "pending" | "approved" | "denied" | "expired" | string;
  reason: string | null;
  decision: { decision: string; comment: string | null; by: { email: string | null } | null } | null;
  result: { executionId: string; status: string; output: unknown; durationMs: number | null; error?: { code: string; message: string } } | null;
  outcome: unknown;
  links: { self: string; html: string; execution?: string };
  [k: string]: unknown;
}

export function isSettled(v: ApprovalView): boolean {
  if (v.status === "pending") return false;
  if (v.status !== "approved" || !v.links.execution) return true;
  return v.result !== null;
}

/** Polls until settled or `timeoutSeconds` passed; answers the last view. */
export async function waitForApproval(api: ApiClient, id: string, o: { timeoutSeconds: number; out: Output; signal: AbortSignal }): Promise<ApprovalView> {
  const until = Date.now() + o.timeoutSeconds * 1000;
  let view = (await api.get<ApprovalView>(`/api/approvals/${encodeURIComponent(id)}`, { signal: o.signal })).body;
  let announced = false;
  while (!isSettled(view) && Date.now() < until && !o.signal.aborted) {
    if (!announced && view.status === "pending") {
      o.out.progress(`waiting for approval ${id}; decide it at ${api.link(view.links.html)}`);
      announced = true;
    }
    const wait = Math.max(1, Math.min(30, Math.ceil((until - Date.now()) / 1000)));
    try {
      view = (await api.get<ApprovalView>(`/api/approvals/${encodeURIComponent(id)}`, { query: { wait }, signal: o.signal })).body;
    } catch (err) {
      if (o.signal.aborted) break;
      throw err;
    }
  }
  return view;
}

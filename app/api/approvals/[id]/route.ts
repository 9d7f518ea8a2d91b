// GET /api/approvals/:id[?wait=<seconds ≤ 60>] – one approval: who asks what and why, its
// status, the decision and reason, and for an approved invocation the REAL result of the
// execution once it finished. `wait` long-polls until the approval is decided (and its
// execution finished) or the time is up; the answer is the same shape either way.
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { requireApprovalRead } from "@/lib/policy/approvals/approval-scopes";
import { getApprovalView, isSettled } from "@/lib/policy/approvals/approval-view";

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });
const QuerySchema = z.object({ wait: z.coerce.number().min(0).max(60).optional() });
const POLL_MS = 250;

export const GET = apiRoute({ route: "/api/approvals/:id", params: ParamsSchema, query: QuerySchema }, async ({ req, db, identity, params, query }) => {
  requireApprovalRead(identity);
  const viewer = { userId: identity.userId, role: identity.role };
  let view = await getApprovalView(db, params.id, viewer);
  const until = Date.now() + (query.wait ?? 0) * 1000;
  while (!isSettled(view) && Date.now() < until && !req.signal.aborted) {
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, until - Date.now()))));
    view = await getApprovalView(db, params.id, viewer);
  }
  return json(view);
});

// GET /api/approvals – approvals the caller may see, pending first then newest; filters:
// status (csv or "all"), agentId, capability, risk (csv), kind (csv), correlationId, mine=1;
// cursor pagination. Answers { items, nextCursor, pendingCount }.
import { apiRoute, json } from "@/lib/http/api-route";
import { requireApprovalRead } from "@/lib/policy/approvals/approval-scopes";
import { listApprovals, ListApprovalsQuerySchema } from "@/lib/policy/approvals/approval-view";

export const GET = apiRoute({ route: "/api/approvals", query: ListApprovalsQuerySchema }, async ({ db, identity, query }) => {
  requireApprovalRead(identity);
  return json(await listApprovals(db, query, { userId: identity.userId, role: identity.role }));
});

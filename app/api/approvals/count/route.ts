// GET /api/approvals/count – { pending }: the pending approvals the caller may decide (the nav badge).
import { apiRoute, json } from "@/lib/http/api-route";
import { requireApprovalRead } from "@/lib/policy/approvals/approval-scopes";
import { countDecidable } from "@/lib/policy/approvals/approval-view";

export const GET = apiRoute({ route: "/api/approvals/count" }, async ({ db, identity }) => {
  requireApprovalRead(identity);
  return json(await countDecidable(db, { userId: identity.userId, role: identity.role }));
});

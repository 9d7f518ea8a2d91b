// POST /api/approvals/:id/decide { decision: approve | deny | hold, comment? } – decide an
// approval. Approve runs the deferred action exactly once (in the same transaction);
// deny records the reason the requester sees; hold keeps it pending with the comment as a
// note. 403 when the caller may not decide it (why), 409 when it is no longer pending or
// has expired. Answers the approval as GET does.
import { z } from "zod";
import { forbidden } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http/api-route";
import { getApprovalView } from "@/lib/policy/approvals/approval-view";
import { decideApproval, DecideApprovalSchema } from "@/lib/policy/approvals/decide-approval";

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const POST = apiRoute(
  { route: "/api/approvals/:id/decide", params: ParamsSchema, body: DecideApprovalSchema },
  async ({ db, identity, params, body, requestId }) => {
    if (!identity.scopes.includes("approvals:decide")) throw forbidden("this token needs the approvals:decide scope");
    const decider = { userId: identity.userId, role: identity.role, actor: identity.actor };
    await decideApproval(db, { id: params.id, decider, input: body, correlationId: requestId });
    return json(await getApprovalView(db, params.id, decider));
  },
);

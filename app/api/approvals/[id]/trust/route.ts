// POST /api/approvals/:id/trust – accept the progressive-trust recommendation of a pending
// approval: its standing allow rule becomes an organisation rule (admins; a new rules
// version, evented as policy.rule_changed). 409 when there is no recommendation.
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { acceptRecommendation } from "@/lib/policy/approvals/accept-recommendation";

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const POST = apiRoute({ route: "/api/approvals/:id/trust", admin: true, scopes: ["admin"], params: ParamsSchema }, async ({ db, identity, params, requestId }) =>
  json(await acceptRecommendation(db, { id: params.id, viewer: { userId: identity.userId, role: identity.role }, actor: identity.actor, correlationId: requestId })),
);

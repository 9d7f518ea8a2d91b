// DELETE /api/tokens/:id – revoke one of your API tokens
import { z } from "zod";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { apiRoute, json } from "@/lib/http/api-route";

export const DELETE = apiRoute(
  { route: "/api/tokens/:id", scopes: ["tokens:write"], params: z.object({ id: z.string().min(1).max(100) }) },
  async ({ db, identity, params, requestId }) =>
    json(await revokeApiToken(db, { userId: identity.userId, role: identity.role, scopes: identity.scopes, actor: identity.actor, correlationId: requestId }, params.id)),
);

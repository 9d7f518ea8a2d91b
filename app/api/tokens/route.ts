// GET /api/tokens – your API tokens (never the secret) · POST /api/tokens – create one, shown once
import { CreateTokenSchema, createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/tokens", scopes: ["tokens:read"] }, async ({ db, identity }) =>
  json({ items: await listApiTokens(db, identity.userId), nextCursor: null }),
);

export const POST = apiRoute({ route: "/api/tokens", scopes: ["tokens:write"], body: CreateTokenSchema }, async ({ db, identity, body, requestId }) => {
  const { token, record } = await createApiToken(db, { userId: identity.userId, role: identity.role, scopes: identity.scopes, actor: identity.actor, correlationId: requestId }, body);
  return json({ ...record, token }, { status: 201 });
});

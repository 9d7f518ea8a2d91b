// GET /api/me – who the caller is (user, role, scopes, and how they authenticated)
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/me" }, async ({ identity }) =>
  json({ id: identity.userId, email: identity.email, role: identity.role, scopes: identity.scopes, via: identity.via, tokenId: identity.tokenId ?? null }),
);

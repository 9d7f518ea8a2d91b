// GET /api/capabilities – marketplace search · POST /api/capabilities – create a capability from a manifest (object or text)
import { apiRoute, json } from "@/lib/http/api-route";
import { SearchCapabilitiesQuerySchema, searchCapabilities } from "@/lib/marketplace/search-capabilities";
import { createCapability } from "@/lib/registry/create-capability";
import { ManifestSourceSchema } from "@/lib/registry/read-manifest-source";

export const GET = apiRoute({ route: "/api/capabilities", scopes: ["capabilities:read"], query: SearchCapabilitiesQuerySchema }, async ({ db, identity, query }) =>
  json(await searchCapabilities(db, { viewer: identity, query })),
);

export const POST = apiRoute({ route: "/api/capabilities", scopes: ["capabilities:write"], body: ManifestSourceSchema }, async ({ db, identity, body, requestId }) =>
  json(await createCapability(db, { ownerId: identity.userId, actor: identity.actor, source: body, via: "api", correlationId: requestId }), { status: 201 }),
);

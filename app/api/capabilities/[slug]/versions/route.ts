// GET /api/capabilities/:slug/versions – versions, newest first · POST /api/capabilities/:slug/versions – publish a version
// (201; a public version waits in review and its answer carries the pending admin approval; 403 policy_denied)
import { apiRoute, json } from "@/lib/http/api-route";
import { PageQuerySchema } from "@/lib/registry/cursor";
import { listVersions } from "@/lib/registry/list-versions";
import { PublishVersionSchema, publishVersion } from "@/lib/registry/publish-version";
import { SlugParams } from "../../params";

export const GET = apiRoute(
  { route: "/api/capabilities/:slug/versions", scopes: ["capabilities:read"], params: SlugParams, query: PageQuerySchema },
  async ({ db, identity, params, query }) => json(await listVersions(db, { slug: params.slug, viewer: identity, ...query })),
);

export const POST = apiRoute(
  { route: "/api/capabilities/:slug/versions", scopes: ["capabilities:write"], params: SlugParams, body: PublishVersionSchema },
  async ({ db, identity, params, body, requestId }) => {
    const auth = { via: identity.via, tokenId: identity.via === "token" ? (identity.tokenId ?? null) : null };
    return json(await publishVersion(db, { slug: params.slug, viewer: identity, actor: identity.actor, input: body, correlationId: requestId, auth }), { status: 201 });
  },
);

// GET /api/capabilities/:slug/versions – versions, newest first · POST /api/capabilities/:slug/versions – publish a version
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
  async ({ db, identity, params, body, requestId }) =>
    json(await publishVersion(db, { slug: params.slug, viewer: identity, actor: identity.actor, input: body, correlationId: requestId }), { status: 201 }),
);

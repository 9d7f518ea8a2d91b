// POST /api/capabilities/:slug/versions/:version/review – approve or reject a public version in review (admins)
import { apiRoute, json } from "@/lib/http/api-route";
import { DecideVersionReviewSchema, decideVersionReview } from "@/lib/registry/decide-version-review";
import { VersionParams } from "../../../../params";

export const POST = apiRoute(
  { route: "/api/capabilities/:slug/versions/:version/review", admin: true, scopes: ["admin"], params: VersionParams, body: DecideVersionReviewSchema },
  async ({ db, identity, params, body, requestId }) =>
    json(await decideVersionReview(db, { ...params, viewer: identity, actor: identity.actor, input: body, correlationId: requestId })),
);

// GET /api/capabilities/:slug/reviews – reviews, latest first · POST – write or edit your review (1–5 stars and text)
import { apiRoute, json } from "@/lib/http/api-route";
import { listReviews } from "@/lib/marketplace/list-reviews";
import { SaveReviewSchema, saveReview } from "@/lib/marketplace/save-review";
import { PageQuerySchema } from "@/lib/registry/cursor";
import { SlugParams } from "../../params";

export const GET = apiRoute(
  { route: "/api/capabilities/:slug/reviews", scopes: ["capabilities:read"], params: SlugParams, query: PageQuerySchema },
  async ({ db, identity, params, query }) => json(await listReviews(db, { slug: params.slug, viewer: identity, ...query })),
);

export const POST = apiRoute(
  { route: "/api/capabilities/:slug/reviews", scopes: ["capabilities:write"], params: SlugParams, body: SaveReviewSchema },
  async ({ db, identity, params, body, requestId }) => {
    const review = await saveReview(db, { slug: params.slug, viewer: identity, actor: identity.actor, input: body, correlationId: requestId });
    return json(review, { status: review.created ? 201 : 200 });
  },
);

// POST /api/capabilities/:slug/try – run an action (an example or your own input) in a
// throwaway sandbox process before installing; nothing is stored and no event is written.
import { apiRoute, json } from "@/lib/http/api-route";
import { TryBodySchema, tryCapability } from "@/lib/execution/try/try-capability";
import { SlugParams } from "../../params";

export const POST = apiRoute(
  { route: "/api/capabilities/:slug/try", scopes: ["capabilities:read"], params: SlugParams, body: TryBodySchema },
  async ({ db, identity, params, body }) => json(await tryCapability(db, { slug: params.slug, viewer: identity, body })),
);

// GET /api/capabilities/:slug – the capability page (?version=) · PATCH /api/capabilities/:slug – edit the draft or listing (owner/admin)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { getCapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { UpdateCapabilitySchema, updateCapability } from "@/lib/registry/update-capability";
import { SlugParams } from "../params";

export const GET = apiRoute(
  { route: "/api/capabilities/:slug", scopes: ["capabilities:read"], params: SlugParams, query: z.object({ version: z.string().min(1).max(100).optional() }) },
  async ({ db, identity, params, query }) => json(await getCapabilityDetail(db, { slug: params.slug, viewer: identity, version: query.version })),
);

export const PATCH = apiRoute(
  { route: "/api/capabilities/:slug", scopes: ["capabilities:write"], params: SlugParams, body: UpdateCapabilitySchema },
  async ({ db, identity, params, body, requestId }) =>
    json(await updateCapability(db, { slug: params.slug, viewer: identity, actor: identity.actor, patch: body, correlationId: requestId })),
);

// GET /api/builder/slugs/:slug – is this slug free for my next capability? (always 200: available, yours, taken, reserved or invalid)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { slugAvailability } from "@/lib/builder/slug-availability";

export const GET = apiRoute(
  { route: "/api/builder/slugs/:slug", scopes: ["capabilities:read"], params: z.object({ slug: z.string().min(1).max(200) }) },
  async ({ db, identity, params }) => json(await slugAvailability(db, { slug: params.slug, viewer: identity })),
);

// GET /api/capabilities/categories – categories with how many capabilities each holds
import { apiRoute, json } from "@/lib/http/api-route";
import { listCategories } from "@/lib/marketplace/list-categories";

export const GET = apiRoute({ route: "/api/capabilities/categories", scopes: ["capabilities:read"] }, async ({ db, identity }) =>
  json(await listCategories(db, { viewer: identity })),
);

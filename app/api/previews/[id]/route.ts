// GET /api/previews/:id: the preview (owner or admin; anyone else gets 404) with a fresh
// frame URL, its share link while live, and the injected dependencies with their hashes.
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { getPreview } from "@/lib/previews/preview-sessions";

const Params = z.object({ id: z.string().regex(/^prv_[0-9a-z]{26}$/, "expected a preview id") });

export const GET = apiRoute({ anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/previews/:id", params: Params }, async ({ db, params, identity, req }) => {
  return json(await getPreview(db, params.id, identity, new URL(req.url).origin));
});

// POST /api/previews/:id/revoke: the share link answers 410 from now on (PREVIEW_SHARE_REVOKED,
// recorded once). The owner's in-app frame keeps working.
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { revokePreviewShare } from "@/lib/previews/preview-sessions";

const Params = z.object({ id: z.string().regex(/^prv_[0-9a-z]{26}$/, "expected a preview id") });

export const POST = apiRoute({ anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/previews/:id/revoke", params: Params }, async ({ db, params, identity, req }) => {
  return json(await revokePreviewShare(db, params.id, identity, new URL(req.url).origin));
});

// POST /api/previews { code | html, preset, snippetId?, title? } → 201 { previewId, frameUrl,
// shareUrl, expiresAt, injectedDeps }: a preview session with its dependencies detected and
// pinned (lib/previews/create-preview.ts). 422 with paths, 413 over 512 KB.
import { apiRoute, json } from "@/lib/http/api-route";
import { createPreview, CreatePreviewSchema } from "@/lib/previews/create-preview";

export const POST = apiRoute({ anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/previews", body: CreatePreviewSchema }, async ({ db, body, identity, req }) => {
  const created = await createPreview(db, { owner: { userId: identity.userId, role: identity.role, actor: identity.actor }, ...body }, { origin: new URL(req.url).origin });
  return json(created, { status: 201 });
});

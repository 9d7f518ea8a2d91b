// GET /api/snippets/:id – one snippet with its code · PATCH – change it (bumps the version) · DELETE – soft delete
import { apiRoute, json } from "@/lib/http/api-route";
import { deleteSnippet } from "@/lib/snippets/delete-snippet";
import { getSnippet } from "@/lib/snippets/get-snippet";
import { toCaller } from "@/lib/snippets/snippet-access";
import { SnippetParamsSchema, UpdateSnippetSchema } from "@/lib/snippets/snippet-schemas";
import { updateSnippet } from "@/lib/snippets/update-snippet";

export const GET = apiRoute({ anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/snippets/:id", params: SnippetParamsSchema }, async ({ db, identity, params, requestId }) =>
  json(await getSnippet(db, { caller: toCaller(identity, requestId), snippetId: params.id })),
);

export const PATCH = apiRoute({ anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/snippets/:id", params: SnippetParamsSchema, body: UpdateSnippetSchema }, async ({ db, identity, params, body, requestId }) =>
  json(await updateSnippet(db, { caller: toCaller(identity, requestId), snippetId: params.id, input: body })),
);

export const DELETE = apiRoute({ anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/snippets/:id", params: SnippetParamsSchema }, async ({ db, identity, params, requestId }) => {
  await deleteSnippet(db, { caller: toCaller(identity, requestId), snippetId: params.id });
  return new Response(null, { status: 204 });
});

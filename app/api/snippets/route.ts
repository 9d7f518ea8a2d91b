// GET /api/snippets – your snippets, searched and filtered (?q=&language=&tag=&cursor=; admins ?all=true) · POST /api/snippets – create one
import { apiRoute, json } from "@/lib/http/api-route";
import { createSnippet } from "@/lib/snippets/create-snippet";
import { listSnippets } from "@/lib/snippets/list-snippets";
import { toCaller } from "@/lib/snippets/snippet-access";
import { CreateSnippetSchema, ListSnippetsQuerySchema } from "@/lib/snippets/snippet-schemas";

export const GET = apiRoute({ anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/snippets", query: ListSnippetsQuerySchema }, async ({ db, identity, query, requestId }) =>
  json(await listSnippets(db, { caller: toCaller(identity, requestId), query })),
);

export const POST = apiRoute({ anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/snippets", body: CreateSnippetSchema }, async ({ db, identity, body, requestId }) =>
  json(await createSnippet(db, { caller: toCaller(identity, requestId), input: body, source: identity.via === "session" ? "ui" : "api" }), { status: 201 }),
);

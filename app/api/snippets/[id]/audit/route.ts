// GET /api/snippets/:id/audit – the snippet's audit trail, oldest first, with the seed's event names
import { apiRoute, json } from "@/lib/http/api-route";
import { listSnippetAudit } from "@/lib/snippets/list-snippet-audit";
import { toCaller } from "@/lib/snippets/snippet-access";
import { ListSnippetAuditQuerySchema, SnippetParamsSchema } from "@/lib/snippets/snippet-schemas";

export const GET = apiRoute(
  { anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/snippets/:id/audit", params: SnippetParamsSchema, query: ListSnippetAuditQuerySchema },
  async ({ db, identity, params, query, requestId }) => json(await listSnippetAudit(db, { caller: toCaller(identity, requestId), snippetId: params.id, query })),
);

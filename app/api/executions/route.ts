// GET /api/executions – invocations you may see (your agents'; admins: all), newest first, filtered by
// agentId, capability (slug), status (comma-separated), correlationId, since/until; cursor-paginated
import { listExecutions } from "@/lib/execution/records/list-executions";
import { ListExecutionsQuerySchema } from "@/lib/execution/records/execution-record";
import { apiRoute, json } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/executions", scopes: ["agents:read"], query: ListExecutionsQuerySchema }, async ({ db, identity, query }) =>
  json(await listExecutions(db, { viewer: identity, query })),
);

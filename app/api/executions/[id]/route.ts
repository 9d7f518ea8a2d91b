// GET /api/executions/:id – one execution: input, output, logs, resources, requests, error, workflow steps
// with the step graph, and the events of its invocation (404 unless it ran on an agent you may see)
import { getExecution } from "@/lib/execution/records/get-execution";
import { ExecutionParamsSchema } from "@/lib/execution/records/execution-record";
import { apiRoute, json } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/executions/:id", scopes: ["agents:read"], params: ExecutionParamsSchema }, async ({ db, identity, params }) =>
  json(await getExecution(db, { id: params.id, viewer: identity })),
);

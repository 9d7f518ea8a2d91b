// GET /api/agents – your agents (admins: ?all=true for everyone's) · POST /api/agents – create an agent you own
import { toCaller } from "@/lib/agents/agent-access";
import { CreateAgentSchema, ListAgentsQuerySchema } from "@/lib/agents/agent-schemas";
import { createAgent } from "@/lib/agents/create-agent";
import { listAgents } from "@/lib/agents/list-agents";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/agents", scopes: ["agents:read"], query: ListAgentsQuerySchema }, async ({ db, identity, query, requestId }) =>
  json(await listAgents(db, { caller: toCaller(identity, requestId), query })),
);

export const POST = apiRoute({ route: "/api/agents", scopes: ["agents:write"], body: CreateAgentSchema }, async ({ db, identity, body, requestId }) =>
  json(await createAgent(db, { caller: toCaller(identity, requestId), input: body }), { status: 201 }),
);

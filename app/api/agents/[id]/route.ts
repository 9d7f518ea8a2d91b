// GET /api/agents/:id – an agent with its installations · PATCH /api/agents/:id – rename or re-describe it
import { toCaller } from "@/lib/agents/agent-access";
import { AgentParamsSchema, UpdateAgentSchema } from "@/lib/agents/agent-schemas";
import { getAgent } from "@/lib/agents/get-agent";
import { updateAgent } from "@/lib/agents/update-agent";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/agents/:id", scopes: ["agents:read"], params: AgentParamsSchema }, async ({ db, identity, params, requestId }) =>
  json(await getAgent(db, { caller: toCaller(identity, requestId), agentId: params.id })),
);

export const PATCH = apiRoute(
  { route: "/api/agents/:id", scopes: ["agents:write"], params: AgentParamsSchema, body: UpdateAgentSchema },
  async ({ db, identity, params, body, requestId }) => json(await updateAgent(db, { caller: toCaller(identity, requestId), agentId: params.id, input: body })),
);

// GET /api/agents/:id/installations – the agent's installations · POST /api/agents/:id/installations – install a capability version
import { toCaller } from "@/lib/agents/agent-access";
import { AgentParamsSchema, InstallCapabilitySchema, ListInstallationsQuerySchema } from "@/lib/agents/agent-schemas";
import { installCapability } from "@/lib/agents/install-capability";
import { listInstallations } from "@/lib/agents/list-installations";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute(
  { route: "/api/agents/:id/installations", scopes: ["agents:read"], params: AgentParamsSchema, query: ListInstallationsQuerySchema },
  async ({ db, identity, params, query, requestId }) => json(await listInstallations(db, { caller: toCaller(identity, requestId), agentId: params.id, query })),
);

export const POST = apiRoute(
  { route: "/api/agents/:id/installations", scopes: ["agents:write"], params: AgentParamsSchema, body: InstallCapabilitySchema },
  async ({ db, identity, params, body, requestId }) => {
    const result = await installCapability(db, { caller: toCaller(identity, requestId), agentId: params.id, input: body });
    return json(result, { status: result.dryRun ? 200 : 201 });
  },
);

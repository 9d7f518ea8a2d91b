// GET /api/agents/:id/installations – the agent's installations · POST /api/agents/:id/installations – install a capability version
// (201 installed; 202 + Location when the policy wants an approval first; 403 policy_denied; 200 for a dry run)
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
    const auth = { via: identity.via, tokenId: identity.via === "token" ? (identity.tokenId ?? null) : null };
    const result = await installCapability(db, { caller: toCaller(identity, requestId), agentId: params.id, input: body, auth });
    if ("approval" in result) return json(result.approval, { status: 202, headers: { location: result.approval.links.self } });
    return json(result, { status: result.dryRun ? 200 : 201 });
  },
);

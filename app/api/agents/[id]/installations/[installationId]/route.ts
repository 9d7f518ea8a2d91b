// PATCH /api/agents/:id/installations/:installationId – enable, configure, consent, upgrade, roll back · DELETE – uninstall
import { toCaller } from "@/lib/agents/agent-access";
import { InstallationParamsSchema, UpdateInstallationSchema } from "@/lib/agents/agent-schemas";
import { uninstallCapability } from "@/lib/agents/uninstall-capability";
import { updateInstallation } from "@/lib/agents/update-installation";
import { apiRoute, json } from "@/lib/http/api-route";

const route = "/api/agents/:id/installations/:installationId";

export const PATCH = apiRoute(
  { route, scopes: ["agents:write"], params: InstallationParamsSchema, body: UpdateInstallationSchema },
  async ({ db, identity, params, body, requestId }) =>
    json(await updateInstallation(db, { caller: toCaller(identity, requestId), agentId: params.id, installationId: params.installationId, input: body })),
);

export const DELETE = apiRoute({ route, scopes: ["agents:write"], params: InstallationParamsSchema }, async ({ db, identity, params, requestId }) =>
  json(await uninstallCapability(db, { caller: toCaller(identity, requestId), agentId: params.id, installationId: params.installationId })),
);

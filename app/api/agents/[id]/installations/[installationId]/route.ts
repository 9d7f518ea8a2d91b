// PATCH /api/agents/:id/installations/:installationId – enable, configure, consent, upgrade, roll back · DELETE – uninstall
// (an upgrade or a grant of more permissions the policy wants approved first answers 202 + Location; one it denies, 403 policy_denied)
import { toCaller } from "@/lib/agents/agent-access";
import { InstallationParamsSchema, UpdateInstallationSchema } from "@/lib/agents/agent-schemas";
import { uninstallCapability } from "@/lib/agents/uninstall-capability";
import { updateInstallation } from "@/lib/agents/update-installation";
import { upgradeInstallationOrRequestApproval } from "@/lib/agents/upgrade-installation";
import { apiRoute, json } from "@/lib/http/api-route";

const route = "/api/agents/:id/installations/:installationId";

export const PATCH = apiRoute(
  { route, scopes: ["agents:write"], params: InstallationParamsSchema, body: UpdateInstallationSchema },
  async ({ db, identity, params, body, requestId }) => {
    const options = { caller: toCaller(identity, requestId), agentId: params.id, installationId: params.installationId };
    const auth = { via: identity.via, tokenId: identity.via === "token" ? (identity.tokenId ?? null) : null };
    if (body.upgradeTo !== undefined) {
      const r = await upgradeInstallationOrRequestApproval(db, { ...options, input: { ...body, upgradeTo: body.upgradeTo }, auth });
      if (r.status === "pending_approval") return json(r.approval, { status: 202, headers: { location: r.approval.links.self } });
      return json(r);
    }
    // Granting more passes the gate too: held for approval → 202 (the other changes were made).
    const r = await updateInstallation(db, { ...options, input: body, auth });
    if (r.status === "pending_approval") return json({ ...r.approval, installation: r.installation }, { status: 202, headers: { location: r.approval.links.self } });
    return json(r);
  },
);

export const DELETE = apiRoute({ route, scopes: ["agents:write"], params: InstallationParamsSchema }, async ({ db, identity, params, requestId }) =>
  json(await uninstallCapability(db, { caller: toCaller(identity, requestId), agentId: params.id, installationId: params.installationId })),
);

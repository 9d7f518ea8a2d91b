// Granting more to an installed capability passes the gate like an upgrade that asks more:
// installing with nothing granted and then PATCHing a RESTRICTED permission on waits for a
// person (202, nothing granted yet) and an approval grants it; the kill switch denies an
// external-write grant (403, evented); taking permissions away never asks.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decideApproval } from "../../lib/policy/approvals/decide-approval";
import { setKillSwitch } from "../../lib/policy/kill-switch";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, loadAgentRoutes, makeAgent, publishVersion, type AgentRoutes, type AgentsClient } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: AgentRoutes;
let member: Awaited<ReturnType<typeof makeUser>>;
let admin: Awaited<ReturnType<typeof makeUser>>;
let api: AgentsClient;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadAgentRoutes();
  member = await makeUser(t);
  admin = await makeUser(t, "admin");
  api = agentsClient(routes, await asUser(member));
});
afterAll(() => t.drop());

let n = 0;
async function installBare(): Promise<{ agentId: string; installationId: string }> {
  const cap = await publishVersion(t, { owner: member, manifest: codeManifest({ slug: `poster-${++n}-${Date.now()}`, permissions: ["compute.light", "network.http.post"], allowed_domains: ["api.example.com"] }) });
  const agentId = await makeAgent(api);
  const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: ["compute.light"], config: {}, secrets: {} });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { agentId, installationId: body.installation.id };
}

describe("granting more permissions", () => {
  test("a RESTRICTED grant waits for approval; approving grants it, with its events", async () => {
    const { agentId, installationId } = await installBare();
    const res = await api.patchInstallation(agentId, installationId, { grantedPermissions: ["compute.light", "network.http.post"] });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({ approvalId: expect.stringMatching(/^apr_/), status: "pending", securityLevel: "RESTRICTED" });
    expect(res.headers.get("location")).toBe(`/api/approvals/${body.approvalId}`);
    expect((await t.db.installation.findUniqueOrThrow({ where: { id: installationId } })).grantedPermissions).toEqual(["compute.light"]);
    const approval = await t.db.approval.findUniqueOrThrow({ where: { id: body.approvalId } });
    expect(approval).toMatchObject({ kind: "upgrade", requesterUserId: member.id });
    expect((approval.request as { display: { permissionDiff: unknown } }).display.permissionDiff).toEqual({ added: ["network.http.post"], removed: [], kept: ["compute.light"] });

    await decideApproval(t.db, { id: body.approvalId, decider: { userId: admin.id, role: "admin", actor: { type: "user", id: admin.id } }, input: { decision: "approve" } });
    const after = await t.db.installation.findUniqueOrThrow({ where: { id: installationId } });
    expect(after.grantedPermissions.sort()).toEqual(["compute.light", "network.http.post"]);
    const outcome = (await t.db.approval.findUniqueOrThrow({ where: { id: body.approvalId } })).outcome;
    expect(outcome).toMatchObject({ ok: true, granted: ["network.http.post"] });
    const changed = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'installation.permissions_changed' AND correlation_id = $1`, approval.correlationId);
    expect(changed[0]!.n).toBe(1);
  });

  test("the kill switch denies an external-write grant (403, evented); withdrawing a grant never asks", async () => {
    const { agentId, installationId } = await installBare();
    await setKillSwitch(t.db, { on: true, actor: { type: "user", id: admin.id } });
    try {
      const res = await api.patchInstallation(agentId, installationId, { grantedPermissions: ["compute.light", "network.http.post"] });
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe("policy_denied");
      const ev = await t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'policy.evaluated' AND data->>'agentId' = $1 AND data->>'what' = 'upgrade'`, agentId);
      expect(ev.map((e) => e.data)).toEqual([expect.objectContaining({ decision: "deny", reasonCode: "kill_switch" })]);
      const withdrawn = await api.patchInstallation(agentId, installationId, { grantedPermissions: [] });
      expect(withdrawn.status).toBe(200);
      expect((await withdrawn.json()).status).toBe("updated");
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
  });
});

// Versions over time: pinning (nothing moves by itself), permission drift (an upgrade that
// asks for more waits for consent while the old version keeps working), completing an
// upgrade keeps the configuration that still fits, rollback in one call, cancelling a
// pending upgrade, and yanked versions (existing installs keep working, flagged).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decryptInstallationSecrets } from "../../lib/secrets/decrypt-installation-secrets";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, eventsOf, loadAgentRoutes, makeAgent, publishVersion, setVersionStatus, type AgentRoutes, type AgentsClient } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: AgentRoutes;
let owner: Awaited<ReturnType<typeof makeUser>>;
let api: AgentsClient;

type Json = Record<string, any>;

async function ok(res: Response, status = 200): Promise<Json> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadAgentRoutes();
  owner = await makeUser(t);
  api = agentsClient(routes, await asUser(owner));
});
afterAll(() => t.drop());

const v1Config = [
  { key: "REGION", type: "string", required: true },
  { key: "OLD_FLAG", type: "boolean" },
  { key: "API_KEY", type: "secret", required: true },
];
const v2Config = [
  { key: "REGION", type: "string", required: true },
  { key: "API_KEY", type: "secret", required: true },
  { key: "TIMEOUT", type: "number", required: true },
  { key: "NOTE", type: "string" },
];

async function installV1() {
  const m = codeManifest({ permissions: ["data.read"], configuration: v1Config });
  const cap = await publishVersion(t, { owner, manifest: m });
  const agentId = await makeAgent(api);
  const { installation } = await ok(
    await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"], config: { REGION: "eu", OLD_FLAG: true }, secrets: { API_KEY: "k-upgrade-secret-1" } }),
    201,
  );
  return { m, slug: cap.slug, agentId, id: installation.id as string };
}

const publishV2 = (m: Record<string, unknown>) =>
  publishVersion(t, { owner, manifest: { ...m, version: "2.0.0", permissions: ["data.read", "network.http.get"], allowed_domains: ["example.com"], configuration: v2Config } });

describe("pinning and permission drift", () => {
  test("publishing a new version changes no installation", async () => {
    const { m, id } = await installV1();
    const before = await t.db.installation.findUniqueOrThrow({ where: { id } });
    const eventsBefore = (await eventsOf(t, id)).length;
    await publishV2(m);
    const after = await t.db.installation.findUniqueOrThrow({ where: { id } });
    expect(after).toEqual(before);
    expect((await eventsOf(t, id)).length).toBe(eventsBefore);
  });

  test("an upgrade that adds a permission waits for consent; consenting completes it and keeps the config that fits; rollback is one call", async () => {
    const { m, slug, agentId, id } = await installV1();
    await publishV2(m);
    const listed = (await ok(await api.getAgent(agentId))).installations[0];
    expect(listed).toMatchObject({ version: { version: "1.0.0" }, latestVersion: "2.0.0", upgradeAvailable: true, needsConsent: false });

    const pending = await ok(await api.patchInstallation(agentId, id, { upgradeTo: "latest" }));
    expect(pending).toMatchObject({
      status: "needs_consent",
      permissionDiff: { added: ["network.http.get"], removed: [], kept: ["data.read"] },
      droppedConfig: ["OLD_FLAG"],
      pendingVersion: { version: "2.0.0" },
      installation: { version: { version: "1.0.0" }, needsConsent: true, pendingUpgrade: { version: "2.0.0", permissionDiff: { added: ["network.http.get"] } } },
    });
    expect(pending.newConfig.map((f: Json) => [f.key, f.type, f.required])).toEqual([
      ["TIMEOUT", "number", true],
      ["NOTE", "string", false],
    ]);
    // The old version is still the active one, with its configuration and consent.
    const row = await t.db.installation.findUniqueOrThrow({ where: { id }, include: { version: true } });
    expect(row).toMatchObject({ grantedPermissions: ["data.read"], config: { REGION: "eu", OLD_FLAG: true }, previousVersionId: null });
    expect(row.version.version).toBe("1.0.0");
    // Asking again changes nothing and writes no second event.
    await ok(await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0" }));
    expect((await eventsOf(t, id)).filter((e) => e.type === "installation.upgrade_pending")).toEqual([
      expect.objectContaining({ data: { slug, from: "1.0.0", to: "2.0.0", added: ["network.http.get"], removed: [] } }),
    ]);

    // Consent without the new required field: 422, nothing moves.
    const missing = await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0", grantedPermissions: ["data.read", "network.http.get"] });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toEqual([{ path: "config.TIMEOUT", message: "required: TIMEOUT" }]);
    expect((await t.db.installation.findUniqueOrThrow({ where: { id }, include: { version: true } })).version.version).toBe("1.0.0");

    const done = await ok(await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0", grantedPermissions: ["data.read", "network.http.get"], config: { TIMEOUT: 30 } }));
    expect(done).toMatchObject({
      status: "upgraded",
      permissionDiff: { added: ["network.http.get"], removed: [] },
      installation: {
        version: { version: "2.0.0" },
        needsConsent: false,
        pendingUpgrade: null,
        previousVersion: { version: "1.0.0", yanked: false },
        grantedPermissions: ["data.read", "network.http.get"],
        config: { REGION: "eu", TIMEOUT: 30 },
        secrets: [{ key: "API_KEY", set: true }],
      },
    });
    expect(await decryptInstallationSecrets(t.db, id)).toEqual({ API_KEY: "k-upgrade-secret-1" });
    const upgradeEvents = (await eventsOf(t, id)).slice(-2);
    expect(upgradeEvents.map((e) => [e.type, e.data])).toEqual([
      ["installation.upgraded", { slug, from: "1.0.0", to: "2.0.0", added: ["network.http.get"], removed: [], granted: ["data.read", "network.http.get"] }],
      ["installation.config_changed", { slug, configKeys: ["OLD_FLAG", "TIMEOUT"], secretKeys: [] }],
    ]);
    expect(upgradeEvents[0]!.correlation_id).toBe(upgradeEvents[1]!.correlation_id);

    // Rollback: one call, back to 1.0.0; consent does not grow, config that fits stays.
    const back = await ok(await api.patchInstallation(agentId, id, { rollback: true }));
    expect(back).toMatchObject({
      status: "rolled_back",
      installation: { version: { version: "1.0.0" }, previousVersion: { version: "2.0.0" }, grantedPermissions: ["data.read"], config: { REGION: "eu" } },
    });
    expect((await eventsOf(t, id)).slice(-3).map((e) => [e.type, e.data])).toEqual([
      ["installation.rolled_back", { slug, from: "2.0.0", to: "1.0.0" }],
      ["installation.permissions_changed", { slug, granted: [], revoked: ["network.http.get"] }],
      ["installation.config_changed", { slug, configKeys: ["TIMEOUT"], secretKeys: [] }],
    ]);
    expect(await decryptInstallationSecrets(t.db, id)).toEqual({ API_KEY: "k-upgrade-secret-1" });
  });

  test("consent may withhold the new permission; the actions that need it are then disabled", async () => {
    const { m, agentId, id } = await installV1();
    await publishV2(m);
    const done = await ok(await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0", grantedPermissions: ["data.read"], config: { TIMEOUT: 5 } }));
    expect(done.installation).toMatchObject({ version: { version: "2.0.0" }, withheldPermissions: ["network.http.get"], actions: [{ id: "run", disabled: true, missingPermissions: ["network.http.get"] }] });
    const extra = await api.patchInstallation(agentId, id, { upgradeTo: "latest", grantedPermissions: ["file.write"] });
    expect(extra.status).toBe(409); // already on the latest
  });

  test("without drift the upgrade completes at once, keeping consent as it was", async () => {
    const m = codeManifest({ permissions: ["data.read", "data.write"] });
    const cap = await publishVersion(t, { owner, manifest: m });
    const agentId = await makeAgent(api);
    const { installation } = await ok(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }), 201);
    await publishVersion(t, { owner, manifest: { ...m, version: "1.1.0", permissions: ["data.read"] } });
    const done = await ok(await api.patchInstallation(agentId, installation.id, { upgradeTo: "1.1.0" }));
    expect(done).toMatchObject({ status: "upgraded", permissionDiff: { added: [], removed: ["data.write"], kept: ["data.read"] }, installation: { version: { version: "1.1.0" }, grantedPermissions: ["data.read"] } });
  });

  test("a pending upgrade can be cancelled; the cancellation is recorded", async () => {
    const { m, slug, agentId, id } = await installV1();
    await publishV2(m);
    await ok(await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0" }));
    const cancelled = await ok(await api.patchInstallation(agentId, id, { cancelUpgrade: true }));
    expect(cancelled).toMatchObject({ status: "upgrade_cancelled", installation: { needsConsent: false, pendingUpgrade: null, version: { version: "1.0.0" } } });
    expect((await eventsOf(t, id)).at(-1)).toMatchObject({ type: "installation.upgrade_cancelled", data: { slug, from: "1.0.0", to: "2.0.0" } });
    expect((await api.patchInstallation(agentId, id, { cancelUpgrade: true })).status).toBe(409);
  });

  test("refusals: nothing to roll back to, same version, mixing operations", async () => {
    const { agentId, id } = await installV1();
    expect((await api.patchInstallation(agentId, id, { rollback: true })).status).toBe(409);
    expect((await api.patchInstallation(agentId, id, { upgradeTo: "1.0.0" })).status).toBe(409);
    expect((await api.patchInstallation(agentId, id, { upgradeTo: "7.0.0" })).status).toBe(404);
    const mixed = await api.patchInstallation(agentId, id, { upgradeTo: "2.0.0", enabled: false, rollback: true });
    expect(mixed.status).toBe(422);
    expect((await mixed.json()).errors).toEqual([
      { path: "enabled", message: "cannot be combined with upgradeTo" },
      { path: "rollback", message: "cannot be combined with upgradeTo" },
    ]);
    expect((await api.patchInstallation(agentId, id, {})).status).toBe(422);
  });
});

describe("yanked versions", () => {
  test("an existing install keeps working and is flagged; the version cannot be installed, upgraded or rolled back to", async () => {
    const { m, slug, agentId, id } = await installV1();
    await setVersionStatus(t, slug, "1.0.0", "yanked");
    const agent = await ok(await api.getAgent(agentId));
    expect(agent.installations[0]).toMatchObject({ id, yanked: true, enabled: true, version: { version: "1.0.0", status: "yanked" } });
    expect((await ok(await api.listInstallations(agentId))).items[0]).toMatchObject({ yanked: true });
    // It still works: configuration can change, and it can be disabled and enabled.
    await ok(await api.patchInstallation(agentId, id, { config: { REGION: "us" } }));

    const other = await makeAgent(api);
    const refused = await api.install(other, { capability: slug, version: "1.0.0", grantedPermissions: [], config: { REGION: "x" }, secrets: { API_KEY: "k-1234" } });
    expect(refused.status).toBe(409);
    expect((await api.install(other, { capability: slug, grantedPermissions: [] })).status).toBe(409); // no installable version left

    // Upgrade away, then a rollback to the yanked version is refused.
    await publishVersion(t, { owner, manifest: { ...m, version: "1.0.1" } });
    await ok(await api.patchInstallation(agentId, id, { upgradeTo: "1.0.1" }));
    const back = await api.patchInstallation(agentId, id, { rollback: true });
    expect(back.status).toBe(409);
    expect((await back.json()).detail).toBe(`${slug} 1.0.0 was yanked: it cannot be rolled back to; upgrade to another version instead`);
    await setVersionStatus(t, slug, "1.0.1", "yanked");
    await publishVersion(t, { owner, manifest: { ...m, version: "1.0.2" } });
    expect((await api.patchInstallation(agentId, id, { upgradeTo: "1.0.1" })).status).toBe(409);
  });
});

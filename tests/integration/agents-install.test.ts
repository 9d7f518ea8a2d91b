// Installing capability versions on agents: consent (granted ⊆ requested), actions that
// need a withheld permission shown disabled, configuration validated with every error's
// path, version choice (latest, exact, yanked, private), dependencies installed along or
// explained, uninstall refused while required, and state + event in one transaction.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, eventsOf, loadAgentRoutes, makeAgent, publishVersion, type AgentRoutes, type AgentsClient } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: AgentRoutes;
let owner: Awaited<ReturnType<typeof makeUser>>;
let api: AgentsClient;

type Json = Record<string, any>;

async function counts() {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return { events: Number(r!.n), installations: await t.db.installation.count(), secrets: await t.db.installationSecret.count() };
}

/** Runs `act`, expects `status`, and that nothing was written. */
async function refused(act: () => Promise<Response>, status: number): Promise<Json> {
  const before = await counts();
  const res = await act();
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(await counts()).toEqual(before);
  return body;
}

async function created(res: Response): Promise<Json> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

const uniq = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadAgentRoutes();
  owner = await makeUser(t);
  api = agentsClient(routes, await asUser(owner));
});
afterAll(() => t.drop());

describe("consent", () => {
  test("granting a permission the version does not request is a 422 naming each extra one", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ permissions: ["network.http.get", "data.read"], allowed_domains: ["example.com"] }) });
    const agentId = await makeAgent(api);
    const body = await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read", "file.write", "made.up"] }), 422);
    expect(body.errors).toEqual([
      { path: "grantedPermissions[1]", message: `file.write is not requested by ${cap.slug} 1.0.0` },
      { path: "grantedPermissions[2]", message: `made.up is not requested by ${cap.slug} 1.0.0` },
    ]);
  });

  test("a subset is stored exactly, and shown as requested vs granted with explanations", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ permissions: ["network.http.get", "data.read"], allowed_domains: ["example.com"] }) });
    const agentId = await makeAgent(api);
    const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }));
    const row = await t.db.installation.findUniqueOrThrow({ where: { id: installation.id } });
    expect(row.grantedPermissions).toEqual(["data.read"]);
    expect(installation).toMatchObject({
      capability: { slug: cap.slug },
      version: { version: "1.0.0", status: "published" },
      enabled: true,
      yanked: false,
      deprecated: false,
      needsConsent: false,
      requestedPermissions: ["network.http.get", "data.read"],
      grantedPermissions: ["data.read"],
      withheldPermissions: ["network.http.get"],
    });
    expect(installation.permissions).toEqual([
      expect.objectContaining({ name: "network.http.get", risk: "medium", granted: false, explanation: expect.stringContaining("HTTP GET") }),
      expect.objectContaining({ name: "data.read", risk: "low", granted: true }),
    ]);
    const [ev] = await eventsOf(t, installation.id);
    expect(ev).toMatchObject({
      type: "installation.created",
      actor_id: owner.id,
      data: { slug: cap.slug, version: "1.0.0", requested: ["network.http.get", "data.read"], granted: ["data.read"], configKeys: [], secretKeys: [], requiredBy: null },
    });
    // Changing consent later stays within what is requested.
    const bad = await api.patchInstallation(agentId, installation.id, { grantedPermissions: ["file.write"] });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([{ path: "grantedPermissions[0]", message: `file.write is not requested by ${cap.slug} 1.0.0` }]);
    const ok = await (await api.patchInstallation(agentId, installation.id, { grantedPermissions: ["network.http.get"] })).json();
    expect(ok).toMatchObject({ status: "updated", installation: { grantedPermissions: ["network.http.get"], withheldPermissions: ["data.read"] } });
    expect((await eventsOf(t, installation.id)).at(-1)).toMatchObject({
      type: "installation.permissions_changed",
      data: { slug: cap.slug, granted: ["network.http.get"], revoked: ["data.read"] },
    });
  });
});

describe("actions that need a withheld permission are disabled", () => {
  test("api-connector: each endpoint needs the network method it uses; compute.* is never needed", async () => {
    const cap = await publishVersion(t, {
      owner,
      manifest: {
        type: "api-connector",
        slug: uniq("items-api"),
        name: "Items API",
        version: "1.0.0",
        api: { base_url: "https://api.example.com", auth: { type: "none" } },
        endpoints: [
          { id: "list", method: "GET", path: "/items" },
          { id: "send", method: "POST", path: "/items" },
        ],
        permissions: ["network.http.get", "network.http.post", "compute.light"],
      },
    });
    const agentId = await makeAgent(api);
    const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.get"] }));
    expect(installation.actions).toEqual([
      { id: "list", name: "list", description: null, needs: ["network.http.get"], missingPermissions: [], disabled: false },
      { id: "send", name: "send", description: null, needs: ["network.http.post"], missingPermissions: ["network.http.post"], disabled: true },
    ]);
  });

  test("code: without per-action permissions an action needs all requested but compute.*", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ permissions: ["data.read", "compute.moderate"] }) });
    const agentId = await makeAgent(api);
    const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["compute.moderate"] }));
    expect(installation.actions).toEqual([expect.objectContaining({ id: "run", needs: ["data.read"], missingPermissions: ["data.read"], disabled: true })]);
    const after = await (await api.patchInstallation(agentId, installation.id, { grantedPermissions: ["data.read"] })).json();
    expect(after.installation.actions).toEqual([expect.objectContaining({ id: "run", missingPermissions: [], disabled: false })]);
  });

  test("an action that declares its own permissions needs exactly those", async () => {
    const cap = await publishVersion(t, {
      owner,
      manifest: codeManifest({ permissions: ["data.read", "data.write"], actions: [{ id: "get" }, { id: "put" }] }),
      actionPermissions: { get: ["data.read"], put: ["data.read", "data.write"] },
    });
    const agentId = await makeAgent(api);
    const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }));
    expect(installation.actions.map((a: Json) => [a.id, a.disabled, a.missingPermissions])).toEqual([
      ["get", false, []],
      ["put", true, ["data.write"]],
    ]);
  });
});

describe("configuration", () => {
  const configuration = [
    { key: "TIMEOUT", type: "number", required: true },
    { key: "MODE", type: "string" },
    { key: "VERBOSE", type: "boolean" },
    { key: "REGION", type: "string", required: true, default: "eu" },
    { key: "API_KEY", type: "secret", required: true },
  ];

  test("every error comes back with its path, and a secret sent in the wrong place is never echoed", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ configuration }) });
    const agentId = await makeAgent(api);
    const leaked = "sk-live-should-never-be-echoed-1234";
    const body = await refused(
      () =>
        api.install(agentId, {
          capability: cap.slug,
          grantedPermissions: [],
          config: { TIMEOUT: "10", VERBOSE: "yes", API_KEY: leaked, UNKNOWN: 1 },
          secrets: { MODE: "x", OTHER: "y" },
        }),
      422,
    );
    expect(JSON.stringify(body)).not.toContain(leaked);
    const keys = "TIMEOUT, MODE, VERBOSE, REGION, API_KEY";
    expect(body.errors).toEqual([
      { path: "config.TIMEOUT", message: "expected a number" },
      { path: "config.VERBOSE", message: "expected a boolean" },
      { path: "config.API_KEY", message: "API_KEY is a secret: send it in secrets, not config" },
      { path: "config.UNKNOWN", message: `unknown configuration key; this version accepts: ${keys}` },
      { path: "secrets.MODE", message: "MODE is not a secret: send it in config" },
      { path: "secrets.OTHER", message: `unknown configuration key; this version accepts: ${keys}` },
      { path: "secrets.API_KEY", message: "required: API_KEY" },
    ]);
    const missing = await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 422);
    expect(missing.errors.map((e: Json) => e.path)).toEqual(["config.TIMEOUT", "secrets.API_KEY"]);
    const shape = await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [], config: { TIMEOUT: { n: 1 } }, secrets: { API_KEY: "" } }), 422);
    expect(shape.errors.map((e: Json) => e.path)).toEqual(["config.TIMEOUT", "secrets.API_KEY"]);
  });

  test("valid configuration is stored; the GET shape shows plain values and only whether each secret is set", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ configuration }) });
    const agentId = await makeAgent(api);
    const secret = "sk-live-config-test-5678";
    const { installation } = await created(
      await api.install(agentId, { capability: cap.slug, grantedPermissions: [], config: { TIMEOUT: 30, VERBOSE: true }, secrets: { API_KEY: secret } }),
    );
    expect(installation.config).toEqual({ TIMEOUT: 30, VERBOSE: true });
    expect(installation.secrets).toEqual([{ key: "API_KEY", set: true }]);
    expect(installation.configuration.map((f: Json) => [f.key, f.type, f.required, f.default])).toEqual([
      ["TIMEOUT", "number", true, null],
      ["MODE", "string", false, null],
      ["VERBOSE", "boolean", false, null],
      ["REGION", "string", true, "eu"],
      ["API_KEY", "secret", true, null],
    ]);
    const [ev] = await eventsOf(t, installation.id);
    expect(ev!.data).toMatchObject({ configKeys: ["TIMEOUT", "VERBOSE"], secretKeys: ["API_KEY"] });

    // Change: a value replaced, one removed with null, a required one cannot be removed.
    const bad = await api.patchInstallation(agentId, installation.id, { config: { TIMEOUT: null }, secrets: { API_KEY: null } });
    expect((await bad.json()).errors).toEqual([
      { path: "config.TIMEOUT", message: "required: TIMEOUT" },
      { path: "secrets.API_KEY", message: "required: API_KEY" },
    ]);
    const ok = await (await api.patchInstallation(agentId, installation.id, { config: { TIMEOUT: 5, VERBOSE: null, MODE: "fast" } })).json();
    expect(ok.installation.config).toEqual({ TIMEOUT: 5, MODE: "fast" });
    expect((await eventsOf(t, installation.id)).at(-1)).toMatchObject({ type: "installation.config_changed", data: { configKeys: ["TIMEOUT", "VERBOSE", "MODE"], secretKeys: [] } });
  });
});

describe("which version gets installed", () => {
  test("by default the latest published, visible, non-yanked release; an exact version on request", async () => {
    const other = await makeUser(t);
    const m = codeManifest();
    const cap = await publishVersion(t, { owner: other, manifest: m });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "1.1.0" } });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "1.2.0" }, status: "yanked" });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "1.3.0" }, status: "deprecated" });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "1.4.0" }, reviewState: "in_review" });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "1.5.0" }, visibility: "private" });
    await publishVersion(t, { owner: other, manifest: { ...m, version: "2.0.0-beta.1" } });
    const agentId = await makeAgent(api);
    const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: [] }));
    expect(installation.version.version).toBe("1.1.0");
    expect(installation.latestVersion).toBe("1.1.0");
    await api.uninstall(agentId, installation.id);

    expect((await refused(() => api.install(agentId, { capability: cap.slug, version: "1.2.0", grantedPermissions: [] }), 409)).detail).toBe(
      `${cap.slug} 1.2.0 was yanked: it cannot be installed`,
    );
    await refused(() => api.install(agentId, { capability: cap.slug, version: "1.4.0", grantedPermissions: [] }), 404);
    await refused(() => api.install(agentId, { capability: cap.slug, version: "9.9.9", grantedPermissions: [] }), 404);
    const deprecated = await created(await api.install(agentId, { capability: cap.slug, version: "1.3.0", grantedPermissions: [] }));
    expect(deprecated.installation).toMatchObject({ version: { version: "1.3.0" }, deprecated: true });
    // Already on the agent: 409.
    expect((await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 409)).detail).toMatch(/already installed/);
  });

  test("another member's private capability is 404; its owner and admins can install it", async () => {
    const other = await makeUser(t);
    const cap = await publishVersion(t, { owner: other, manifest: codeManifest(), visibility: "private" });
    const agentId = await makeAgent(api);
    expect((await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 404)).detail).toBe(`capability ${cap.slug} not found`);
    const theirs = agentsClient(routes, await asUser(other));
    await created(await theirs.install(await makeAgent(theirs), { capability: cap.slug, grantedPermissions: [] }));
    const admin = agentsClient(routes, await asUser(await makeUser(t, "admin")));
    await created(await admin.install(await makeAgent(admin), { capability: cap.slug, grantedPermissions: [] }));
  });
});

describe("dependencies", () => {
  async function rates(range = "1.2.0", permissions: string[] = ["data.read"]) {
    const slug = uniq("currency-rates");
    for (const version of ["1.0.0", "1.2.0", "2.0.0"]) await publishVersion(t, { owner, manifest: codeManifest({ slug, version, permissions }) });
    return { slug, expected: range };
  }

  test("a low-risk dependency is installed along at the highest matching version, granted what it requests", async () => {
    const dep = await rates();
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: dep.slug, version: "^1.0.0" }] }) });
    const agentId = await makeAgent(api);
    const res = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: [] }));
    expect(res.installedDependencies).toHaveLength(1);
    const d = res.installedDependencies[0];
    expect(d).toMatchObject({ capability: { slug: dep.slug }, version: { version: "1.2.0" }, grantedPermissions: ["data.read"], requiredBy: { installationId: res.installation.id, slug: cap.slug } });
    expect(res.installation.requiredBy).toBeNull();
    const agent = await (await api.getAgent(agentId)).json();
    expect(agent.installations.find((i: Json) => i.id === d.id).dependents).toEqual([{ installationId: res.installation.id, slug: cap.slug, name: expect.any(String), range: "^1.0.0", optional: false }]);
    expect((await eventsOf(t, d.id))[0]).toMatchObject({ type: "installation.created", data: { slug: dep.slug, requiredBy: cap.slug, granted: ["data.read"] } });
    // The same request id correlates both installs.
    expect((await eventsOf(t, d.id))[0]!.correlation_id).toBe((await eventsOf(t, res.installation.id))[0]!.correlation_id);

    // Uninstall is refused while it is required, naming who requires it.
    const blocked = await refused(() => api.uninstall(agentId, d.id), 409);
    expect(blocked.detail).toBe(`${dep.slug} is required by ${cap.slug} (installation ${res.installation.id}, needs ^1.0.0): uninstall it first`);
    const gone = await api.uninstall(agentId, res.installation.id);
    expect(await gone.json()).toEqual({ id: res.installation.id, uninstalled: true, capability: { slug: cap.slug }, version: "1.0.0" });
    expect((await eventsOf(t, res.installation.id)).at(-1)).toMatchObject({ type: "installation.uninstalled", data: { slug: cap.slug, version: "1.0.0" } });
    expect((await api.uninstall(agentId, d.id)).status).toBe(200);
  });

  test("a riskier dependency needs consent in dependencyGrants, or the install explains what is missing", async () => {
    const dep = await rates("1.2.0", ["network.http.get"]);
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: dep.slug, version: "^1.0.0" }] }) });
    const agentId = await makeAgent(api);
    const explained = await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 422);
    expect(explained.errors).toEqual([
      {
        path: `dependencyGrants.${dep.slug}`,
        message: `${dep.slug} 1.2.0 is installed as a dependency of ${cap.slug} and requests network.http.get (medium) (medium risk): list the permissions you grant it in dependencyGrants.${dep.slug}`,
      },
    ]);
    const dry = await api.install(agentId, { capability: cap.slug, grantedPermissions: [], dryRun: true });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({
      dryRun: true,
      valid: false,
      plan: [
        { slug: cap.slug, action: "install", version: "1.0.0", requiredBy: null },
        { slug: dep.slug, action: "install", version: "1.2.0", requiredBy: cap.slug, range: "^1.0.0", needsConsent: true, requestedPermissions: [expect.objectContaining({ name: "network.http.get", risk: "medium" })] },
      ],
    });
    const wrong = await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [], dependencyGrants: { [dep.slug]: ["file.write"] } }), 422);
    expect(wrong.errors).toEqual([{ path: `dependencyGrants.${dep.slug}[0]`, message: `file.write is not requested by ${dep.slug} 1.2.0` }]);
    const ok = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: [], dependencyGrants: { [dep.slug]: [] } }));
    expect(ok.installedDependencies[0]).toMatchObject({ grantedPermissions: [], withheldPermissions: ["network.http.get"] });
  });

  test("a dependency nobody published is explained at its path; an installed one is reused or must be upgraded first", async () => {
    const missing = uniq("currency-rates");
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: missing, version: "^1.0.0" }] }) });
    const agentId = await makeAgent(api);
    expect((await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 422)).errors).toEqual([
      { path: "dependencies[0]", message: `needs ${missing} ^1.0.0: no published version matches` },
    ]);

    const dep = await rates();
    const user = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: dep.slug, version: "^1.1.0" }] }) });
    const old = await created(await api.install(agentId, { capability: dep.slug, version: "1.0.0", grantedPermissions: [] }));
    expect((await refused(() => api.install(agentId, { capability: user.slug, grantedPermissions: [] }), 422)).errors).toEqual([
      { path: "dependencies[0]", message: `needs ${dep.slug} ^1.1.0, but 1.0.0 is installed on this agent: upgrade it first` },
    ]);
    await api.patchInstallation(agentId, old.installation.id, { upgradeTo: "1.2.0" });
    const reused = await created(await api.install(agentId, { capability: user.slug, grantedPermissions: [] }));
    expect(reused.installedDependencies).toEqual([]);
    // Now the dependency cannot be upgraded past what its dependent accepts.
    const blocked = await refused(() => api.patchInstallation(agentId, old.installation.id, { upgradeTo: "2.0.0" }), 409);
    expect(blocked.detail).toBe(`${user.slug} (installation ${reused.installation.id}) needs ${dep.slug} ^1.1.0: 2.0.0 does not satisfy it`);
  });

  test("dependencies resolve transitively, and their configuration comes from dependencyConfig", async () => {
    const c = await publishVersion(t, { owner, manifest: codeManifest({ configuration: [{ key: "TOKEN", type: "secret", required: true }] }) });
    const b = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: c.slug, version: "^1" }] }) });
    const a = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: b.slug, version: "1.x" }, { slug: uniq("nice-to-have"), version: "*", optional: true }] }) });
    const agentId = await makeAgent(api);
    expect((await refused(() => api.install(agentId, { capability: a.slug, grantedPermissions: [] }), 422)).errors).toEqual([
      { path: `dependencyConfig.${c.slug}.secrets.TOKEN`, message: "required: TOKEN" },
    ]);
    const res = await created(await api.install(agentId, { capability: a.slug, grantedPermissions: [], dependencyConfig: { [c.slug]: { secrets: { TOKEN: "dep-secret-value-1" } } } }));
    expect(res.installedDependencies.map((d: Json) => [d.capability.slug, d.requiredBy.slug])).toEqual([
      [b.slug, a.slug],
      [c.slug, b.slug],
    ]);
    expect(res.installedDependencies[1].secrets).toEqual([{ key: "TOKEN", set: true }]);
  });
});

describe("every change is written with its event in the same transaction", () => {
  test("when appending the event fails, the state change is rolled back (install with a dependency, enable)", async () => {
    const dep = await publishVersion(t, { owner, manifest: codeManifest() });
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ dependencies: [{ slug: dep.slug, version: "^1.0.0" }] }) });
    const agentId = await makeAgent(api);
    const sql = await t.ownerClient();
    try {
      await sql.query(`CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event refused by test'; END $$`);
      // Refuse the second event of the install (the dependency's), after both rows were written.
      await sql.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON event_pending FOR EACH ROW WHEN (NEW.data->>'slug' = '${dep.slug}' OR NEW.type = 'installation.enabled_changed') EXECUTE FUNCTION test_refuse_event()`);
      await refused(() => api.install(agentId, { capability: cap.slug, grantedPermissions: [] }), 500);
      await sql.query(`DROP TRIGGER test_refuse ON event_pending`);
      const { installation } = await created(await api.install(agentId, { capability: cap.slug, grantedPermissions: [] }));
      await sql.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON event_pending FOR EACH ROW WHEN (NEW.type = 'installation.enabled_changed') EXECUTE FUNCTION test_refuse_event()`);
      await refused(() => api.patchInstallation(agentId, installation.id, { enabled: false }), 500);
      expect((await t.db.installation.findUniqueOrThrow({ where: { id: installation.id } })).enabled).toBe(true);
    } finally {
      await sql.query(`DROP TRIGGER IF EXISTS test_refuse ON event_pending`);
      await sql.query(`DROP FUNCTION IF EXISTS test_refuse_event()`);
      await sql.end();
    }
  });
});

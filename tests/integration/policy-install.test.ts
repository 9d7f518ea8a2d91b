// The policy gate on installs and upgrades, through the real routes and the real decision:
// a member's install of an external-write grant waits for an approval (202, nothing
// installed), an admin's approval installs it exactly once (even when two approve at the
// same moment), a denial installs nothing, the kill switch denies with the decision
// evented, low-risk installs run as before with an allow evented, an upgrade asking a new
// high-risk permission waits with its permission diff, secrets wait encrypted, and the
// deferred install refuses (without failing the decision) what can no longer be done.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decideApproval } from "../../lib/policy/approvals/decide-approval";
import { inSavepoint } from "../../lib/policy/approvals/deferred-install";
import { setKillSwitch } from "../../lib/policy/kill-switch";
import { decryptInstallationSecrets } from "../../lib/secrets/decrypt-installation-secrets";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, eventsOf, loadAgentRoutes, makeAgent, publishVersion, setVersionStatus, type AgentRoutes, type AgentsClient } from "./helpers/registry-factory";

type Json = Record<string, any>;
type User = Awaited<ReturnType<typeof makeUser>>;

let t: TestDatabase;
let routes: AgentRoutes;
let member: User;
let admin: User;
let otherAdmin: User;
let api: AgentsClient;
let adminApi: AgentsClient;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadAgentRoutes();
  member = await makeUser(t);
  admin = await makeUser(t, "admin");
  otherAdmin = await makeUser(t, "admin");
  api = agentsClient(routes, await asUser(member));
  adminApi = agentsClient(routes, await asUser(admin));
});
afterAll(() => t.drop());

async function body(res: Response, status: number): Promise<Json> {
  const b = await res.json();
  expect(res.status, JSON.stringify(b)).toBe(status);
  return b;
}

const decide = (id: string, decision: "approve" | "deny" | "hold", by: User = admin, comment?: string) =>
  decideApproval(t.db, { id, decider: { userId: by.id, role: by.role as "admin" | "member", actor: { type: "user", id: by.id } }, input: { decision, comment } });

const approval = (id: string) => t.db.approval.findUniqueOrThrow({ where: { id } });

async function policyEvents(where: string, ...params: unknown[]) {
  return t.db.$queryRawUnsafe<{ data: Json; correlation_id: string; subject_id: string | null }[]>(
    `SELECT data, correlation_id, subject_id FROM events WHERE type = 'policy.evaluated' AND ${where} ORDER BY seq`,
    ...params,
  );
}

/** A capability that sends data out (network.http.post: high risk, an external write). */
const writer = (over: Record<string, unknown> = {}) =>
  codeManifest({ permissions: ["network.http.post", "compute.light"], allowed_domains: ["api.example.com"], ...over });

describe("install: require_approval", () => {
  test("a member's install granting network.http.post answers 202 with the approval and installs nothing; an admin's approval installs it with the grants", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post", "compute.light"] });
    const pending = await body(res, 202);
    expect(pending).toMatchObject({ approvalId: expect.stringMatching(/^apr_/), status: "pending", securityLevel: "RESTRICTED", correlationId: expect.any(String), expiresAt: expect.any(String) });
    expect(pending.links.self).toBe(`/api/approvals/${pending.approvalId}`);
    expect(res.headers.get("location")).toBe(pending.links.self);
    expect(pending.reasons.join(" ")).toMatch(/high risk/);
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);

    const a = await approval(pending.approvalId);
    expect(a).toMatchObject({ kind: "install", status: "pending", agentId, capabilitySlug: cap.slug, version: "1.0.0", requesterUserId: member.id, securityLevel: "RESTRICTED" });
    const display = (a.request as Json).display;
    expect(display.permissions.sort()).toEqual(["compute.light", "network.http.post"]);
    expect(display.domains).toEqual(["api.example.com"]);
    expect(display.details).toMatchObject({ version: "1.0.0", configKeys: [], secretKeys: [] });
    const evaluated = await policyEvents(`data->>'approvalId' = $1`, pending.approvalId);
    expect(evaluated.map((e) => [e.data.what, e.data.decision, e.data.reasonCode, e.correlation_id])).toEqual([["install", "require_approval", "default_restricted", pending.correlationId]]);

    await decide(pending.approvalId, "approve", admin, "ok for this agent");
    const done = await approval(pending.approvalId);
    expect(done.status).toBe("approved");
    const outcome = done.outcome as Json;
    expect(outcome).toMatchObject({ ok: true, installationId: expect.stringMatching(/^ins_/) });
    const inst = await t.db.installation.findUniqueOrThrow({ where: { id: outcome.installationId } });
    expect(inst).toMatchObject({ agentId, installedById: member.id });
    expect(inst.grantedPermissions.sort()).toEqual(["compute.light", "network.http.post"]);
    // The install happened as the requester, in the request's timeline.
    const created = (await eventsOf(t, inst.id)).find((e) => e.type === "installation.created")!;
    expect(created).toMatchObject({ actor_id: member.id, correlation_id: pending.correlationId });
    const listed = await body(await api.listInstallations(agentId), 200);
    expect(listed.items.map((i: Json) => i.capability.slug)).toEqual([cap.slug]);
  });

  test("two admins approving at the same moment install it once: one decision wins, the other gets 409", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    const results = await Promise.allSettled([decide(pending.approvalId, "approve", admin), decide(pending.approvalId, "approve", otherAdmin)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: "conflict" });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(1);
    const decided = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'approval.decided' AND data->>'approvalId' = $1`, pending.approvalId);
    expect(decided[0]!.n).toBe(1);
  });

  test("a denial installs nothing and keeps the reason for the requester", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    await decide(pending.approvalId, "deny", admin, "this agent must not post anywhere");
    const a = await approval(pending.approvalId);
    expect(a).toMatchObject({ status: "denied", decisionComment: "this agent must not post anywhere", decidedById: admin.id, outcome: null });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
    // Asking again is a new request (the denial installed nothing, so nothing is "already installed").
    await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
  });

  test("dependencies installed along count: a low-risk capability whose dependency is granted network.http.post waits, and approval installs both", async () => {
    const dep = await publishVersion(t, { owner: member, manifest: writer() });
    const cap = await publishVersion(t, { owner: member, manifest: codeManifest({ dependencies: [{ slug: dep.slug, version: "^1.0.0" }] }) });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: [], dependencyGrants: { [dep.slug]: ["network.http.post"] } }), 202);
    const a = await approval(pending.approvalId);
    expect((a.request as Json).display.permissions).toEqual(["network.http.post"]);
    expect((a.request as Json).display.details.dependencies).toEqual([expect.objectContaining({ slug: dep.slug, version: "1.0.0", grantedPermissions: ["network.http.post"] })]);
    await decide(pending.approvalId, "approve");
    const outcome = (await approval(pending.approvalId)).outcome as Json;
    expect(outcome).toMatchObject({ ok: true, installedDependencies: [expect.any(String)] });
    const rows = await t.db.installation.findMany({ where: { agentId }, select: { capability: { select: { slug: true } }, grantedPermissions: true, requiredById: true } });
    expect(rows.map((r) => [r.capability.slug, r.grantedPermissions, r.requiredById !== null]).sort()).toEqual(
      [
        [cap.slug, [], false],
        [dep.slug, ["network.http.post"], true],
      ].sort(),
    );
  });
});

describe("install: allow and deny", () => {
  test("a low-risk install answers 201 as before, with a policy.evaluated allow in the same request's timeline", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: codeManifest({ permissions: ["data.read", "compute.light"] }) });
    const agentId = await makeAgent(api);
    const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] });
    const b = await body(res, 201);
    expect(b.installation.grantedPermissions).toEqual(["data.read"]);
    const created = (await eventsOf(t, b.installation.id)).find((e) => e.type === "installation.created")!;
    const allow = await policyEvents(`data->>'slug' = $1`, cap.slug);
    expect(allow.map((e) => [e.data.what, e.data.decision, e.data.reasonCode, e.data.approvalId, e.subject_id])).toEqual([["install", "allow", "default_safe", null, agentId]]);
    expect(allow[0]!.correlation_id).toBe(created.correlation_id);
    expect(await t.db.approval.count({ where: { capabilitySlug: cap.slug } })).toBe(0);
  });

  test("with the kill switch on, installing an external-write grant is 403 policy_denied, nothing installed, and the denial is evented", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    await setKillSwitch(t.db, { on: true, reason: "incident", actor: { type: "user", id: admin.id } });
    try {
      const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] });
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = await body(res, 403);
      expect(problem.code).toBe("policy_denied");
      expect(problem.detail).toMatch(/kill switch/);
      expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
      expect(await t.db.approval.count({ where: { capabilitySlug: cap.slug } })).toBe(0);
      const denied = await policyEvents(`data->>'slug' = $1`, cap.slug);
      expect(denied.map((e) => [e.data.what, e.data.decision, e.data.reasonCode])).toEqual([["install", "deny", "kill_switch"]]);
      // Withholding the external write is still allowed while the switch is on.
      await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["compute.light"] }), 201);
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
  });

  test("a dry run shows the gate's decision and writes nothing", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const before = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`);
    const dry = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"], dryRun: true }), 200);
    expect(dry).toMatchObject({ dryRun: true, valid: true, policy: { decision: "require_approval", reasonCode: "default_restricted", securityLevel: "RESTRICTED" } });
    const safe = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["compute.light"], dryRun: true }), 200);
    expect(safe.policy).toMatchObject({ decision: "allow", reasonCode: "default_safe", securityLevel: "SAFE" });
    expect(await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`)).toEqual(before);
    expect(await t.db.approval.count({ where: { capabilitySlug: cap.slug } })).toBe(0);
  });

  test("an invalid request is a 422 before the gate: no approval, no decision evented", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer({ configuration: [{ key: "TOKEN", type: "secret", required: true }] }) });
    const agentId = await makeAgent(api);
    const problem = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 422);
    expect(problem.errors).toEqual([{ path: "secrets.TOKEN", message: "required: TOKEN" }]);
    expect(await t.db.approval.count({ where: { capabilitySlug: cap.slug } })).toBe(0);
    expect(await policyEvents(`data->>'slug' = $1`, cap.slug)).toEqual([]);
  });
});

describe("secrets wait encrypted", () => {
  test("the approval row and the events hold no plaintext secret; approval stores the secret for the installation", async () => {
    const secret = `s3cret-${Math.random().toString(36).slice(2)}-value`;
    const depSecret = `dep-s3cret-${Math.random().toString(36).slice(2)}`;
    const dep = await publishVersion(t, { owner: member, manifest: codeManifest({ configuration: [{ key: "DEP_KEY", type: "secret", required: true }] }) });
    const cap = await publishVersion(t, {
      owner: member,
      manifest: writer({ configuration: [{ key: "API_KEY", type: "secret", required: true }, { key: "REGION", type: "string" }], dependencies: [{ slug: dep.slug, version: "^1" }] }),
    });
    const agentId = await makeAgent(api);
    const pending = await body(
      await api.install(agentId, {
        capability: cap.slug,
        grantedPermissions: ["network.http.post"],
        config: { REGION: "eu" },
        secrets: { API_KEY: secret },
        dependencyConfig: { [dep.slug]: { secrets: { DEP_KEY: depSecret } } },
      }),
      202,
    );
    const raw = await t.db.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(a)::text AS row FROM approvals a WHERE id = $1`, pending.approvalId);
    expect(raw[0]!.row).not.toContain(secret);
    expect(raw[0]!.row).not.toContain(depSecret);
    expect(raw[0]!.row).toContain("API_KEY");
    const a = await approval(pending.approvalId);
    expect((a.request as Json).display.details).toMatchObject({ configKeys: ["REGION"], secretKeys: ["API_KEY"] });
    expect((a.payload as Json).secrets.API_KEY).toMatchObject({ ciphertext: expect.stringMatching(/^v1\./), keyId: expect.any(String) });

    await decide(pending.approvalId, "approve");
    const events = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1 OR data::text LIKE $2`, `%${secret}%`, `%${depSecret}%`);
    expect(events[0]!.n).toBe(0);
    const outcome = (await approval(pending.approvalId)).outcome as Json;
    expect(outcome.ok).toBe(true);
    expect(await decryptInstallationSecrets(t.db, outcome.installationId)).toEqual({ API_KEY: secret });
    expect(await decryptInstallationSecrets(t.db, outcome.installedDependencies[0])).toEqual({ DEP_KEY: depSecret });
    const inst = await t.db.installation.findUniqueOrThrow({ where: { id: outcome.installationId } });
    expect(inst.config).toEqual({ REGION: "eu" });
  });
});

describe("deferred install refuses what can no longer be done, and the decision still commits", () => {
  test("already installed meanwhile: the second approval records already_installed and changes nothing", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const first = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    const second = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post", "compute.light"] }), 202);
    await decide(first.approvalId, "approve");
    const installed = await t.db.installation.findFirstOrThrow({ where: { agentId } });
    await decide(second.approvalId, "approve");
    const a = await approval(second.approvalId);
    expect(a.status).toBe("approved");
    expect(a.outcome).toMatchObject({ ok: false, code: "already_installed" });
    const after = await t.db.installation.findMany({ where: { agentId } });
    expect(after).toHaveLength(1);
    expect(after[0]!.grantedPermissions).toEqual(installed.grantedPermissions);
  });

  test("a version yanked meanwhile is not installed", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    await setVersionStatus(t, cap.slug, "1.0.0", "yanked");
    await decide(pending.approvalId, "approve");
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: false, code: "version_yanked" });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
  });

  test("an agent deleted meanwhile: agent_deleted, nothing installed", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    await t.db.agent.delete({ where: { id: agentId } });
    await decide(pending.approvalId, "approve");
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: false, code: "agent_deleted" });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
  });

  test("a configuration that no longer fits: invalid_request with the paths, nothing installed", async () => {
    const m = writer();
    const cap = await publishVersion(t, { owner: member, manifest: m });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"], config: {} }), 202);
    // The stored manifest now requires a value the request did not give (as after a data fix).
    const v = await t.db.capabilityVersion.findFirstOrThrow({ where: { capability: { slug: cap.slug } }, select: { id: true, manifest: true } });
    const owner = await t.ownerClient();
    try {
      await owner.query(`ALTER TABLE capability_versions DISABLE TRIGGER USER`);
      await owner.query(`UPDATE capability_versions SET manifest = $2::jsonb WHERE id = $1`, [v.id, JSON.stringify({ ...(v.manifest as Json), configuration: [{ key: "REGION", type: "string", required: true }] })]);
      await owner.query(`ALTER TABLE capability_versions ENABLE TRIGGER USER`);
    } finally {
      await owner.end();
    }
    await decide(pending.approvalId, "approve");
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: false, code: "invalid_request", errors: [{ path: "config.REGION", message: "required: REGION" }] });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
  });

  test("the kill switch turned on before the approval: the approval records policy_denied and installs nothing", async () => {
    const cap = await publishVersion(t, { owner: member, manifest: writer() });
    const agentId = await makeAgent(api);
    const pending = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    await setKillSwitch(t.db, { on: true, actor: { type: "user", id: admin.id } });
    try {
      await decide(pending.approvalId, "approve");
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: false, code: "policy_denied" });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(0);
  });
});

describe("the savepoint around a deferred action", () => {
  test("a refusal after partial writes rolls back only the attempt: the transaction goes on and commits the rest", async () => {
    const [kept, dropped] = [newId("agt"), newId("agt")];
    const outcome = await t.db.$transaction(async (tx) => {
      const o = await inSavepoint(tx, "test_attempt", async () => {
        await tx.agent.create({ data: { id: dropped, ownerId: member.id, name: "dropped" } });
        throw new AppError("conflict", "changed meanwhile");
      });
      await tx.agent.create({ data: { id: kept, ownerId: member.id, name: "kept" } });
      return o;
    });
    expect(outcome).toEqual({ ok: false, code: "conflict", message: "not done: changed meanwhile" });
    expect(await t.db.agent.findUnique({ where: { id: dropped } })).toBeNull();
    expect(await t.db.agent.findUnique({ where: { id: kept } })).not.toBeNull();
  });

  test("an unexpected error is thrown (the decision then rolls back), after the savepoint was rolled back", async () => {
    const id = newId("agt");
    await expect(
      t.db.$transaction(async (tx) => {
        await inSavepoint(tx, "test_attempt", async () => {
          await tx.agent.create({ data: { id, ownerId: member.id, name: "x" } });
          await tx.agent.create({ data: { id, ownerId: member.id, name: "duplicate" } });
          return { ok: true, message: "unreachable" };
        });
      }),
    ).rejects.toThrow();
    expect(await t.db.agent.findUnique({ where: { id } })).toBeNull();
  });
});

describe("upgrade", () => {
  test("an upgrade asking a new high-risk permission answers 202 with the permission diff; approval completes it", async () => {
    const m = codeManifest({ permissions: ["data.read"] });
    const cap = await publishVersion(t, { owner: member, manifest: m });
    const agentId = await makeAgent(api);
    const { installation } = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }), 201);
    await publishVersion(t, { owner: member, manifest: { ...m, version: "2.0.0", permissions: ["data.read", "network.http.post"], allowed_domains: ["hooks.example.com"] } });

    // Without consent: needs_consent as before (grants nothing, so the gate is not asked).
    const consent = await body(await api.patchInstallation(agentId, installation.id, { upgradeTo: "latest" }), 200);
    expect(consent.status).toBe("needs_consent");

    const res = await api.patchInstallation(agentId, installation.id, { upgradeTo: "latest", grantedPermissions: ["data.read", "network.http.post"] });
    const pending = await body(res, 202);
    expect(res.headers.get("location")).toBe(`/api/approvals/${pending.approvalId}`);
    expect(pending).toMatchObject({ status: "pending", fromVersion: "1.0.0", toVersion: "2.0.0", permissionDiff: { added: ["network.http.post"], removed: [], kept: ["data.read"] } });
    const a = await approval(pending.approvalId);
    expect(a).toMatchObject({ kind: "upgrade", version: "2.0.0", agentId });
    expect((a.request as Json).display).toMatchObject({
      fromVersion: "1.0.0",
      permissionDiff: { added: ["network.http.post"], removed: [], kept: ["data.read"] },
      domains: ["hooks.example.com"],
    });
    const still = await t.db.installation.findUniqueOrThrow({ where: { id: installation.id }, include: { version: true } });
    expect(still.version.version).toBe("1.0.0");

    await decide(pending.approvalId, "approve");
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: true, installationId: installation.id });
    const after = await t.db.installation.findUniqueOrThrow({ where: { id: installation.id }, include: { version: true } });
    expect(after.version.version).toBe("2.0.0");
    expect(after.grantedPermissions.sort()).toEqual(["data.read", "network.http.post"]);
    const upgraded = (await eventsOf(t, installation.id)).filter((e) => e.type === "installation.upgraded");
    expect(upgraded).toHaveLength(1);
    expect(upgraded[0]!.correlation_id).toBe(pending.correlationId);
  });

  test("a low-risk upgrade completes at once with an allow evented", async () => {
    const m = codeManifest({ permissions: ["data.read"] });
    const cap = await publishVersion(t, { owner: member, manifest: m });
    const agentId = await makeAgent(api);
    const { installation } = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }), 201);
    await publishVersion(t, { owner: member, manifest: { ...m, version: "1.1.0" } });
    const up = await body(await api.patchInstallation(agentId, installation.id, { upgradeTo: "latest" }), 200);
    expect(up).toMatchObject({ status: "upgraded", installation: { version: { version: "1.1.0" } } });
    const evaluated = await policyEvents(`data->>'slug' = $1 AND data->>'what' = 'upgrade'`, cap.slug);
    expect(evaluated.map((e) => [e.data.decision, e.data.version])).toEqual([["allow", "1.1.0"]]);
  });

  test("an installation that moved to another version before the approval is not upgraded", async () => {
    const m = codeManifest({ permissions: ["data.read"] });
    const cap = await publishVersion(t, { owner: member, manifest: m });
    const agentId = await makeAgent(api);
    const { installation } = await body(await api.install(agentId, { capability: cap.slug, grantedPermissions: ["data.read"] }), 201);
    await publishVersion(t, { owner: member, manifest: { ...m, version: "1.1.0" } });
    await publishVersion(t, { owner: member, manifest: { ...m, version: "2.0.0", permissions: ["data.read", "network.http.post"], allowed_domains: ["hooks.example.com"] } });
    const pending = await body(await api.patchInstallation(agentId, installation.id, { upgradeTo: "2.0.0", grantedPermissions: ["network.http.post"] }), 202);
    await body(await api.patchInstallation(agentId, installation.id, { upgradeTo: "1.1.0" }), 200);
    await decide(pending.approvalId, "approve");
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: false, code: "installation_changed" });
    const after = await t.db.installation.findUniqueOrThrow({ where: { id: installation.id }, include: { version: true } });
    expect([after.version.version, after.grantedPermissions]).toEqual(["1.1.0", ["data.read"]]);
  });

  test("an admin's own high-risk install also waits; they may approve their own RESTRICTED request", async () => {
    const cap = await publishVersion(t, { owner: admin, manifest: writer() });
    const agentId = await makeAgent(adminApi);
    const pending = await body(await adminApi.install(agentId, { capability: cap.slug, grantedPermissions: ["network.http.post"] }), 202);
    await decide(pending.approvalId, "approve", admin);
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: true });
  });

  test("nobody approves their own DANGEROUS install (integration.crm): another admin must", async () => {
    const cap = await publishVersion(t, { owner: admin, manifest: codeManifest({ permissions: ["integration.crm"], allowed_domains: ["crm.example.com"] }) });
    const agentId = await makeAgent(adminApi);
    const pending = await body(await adminApi.install(agentId, { capability: cap.slug, grantedPermissions: ["integration.crm"] }), 202);
    expect(pending.securityLevel).toBe("DANGEROUS");
    await expect(decide(pending.approvalId, "approve", admin)).rejects.toMatchObject({ code: "forbidden" });
    await decide(pending.approvalId, "approve", otherAdmin);
    expect((await approval(pending.approvalId)).outcome).toMatchObject({ ok: true });
    expect(await t.db.installation.count({ where: { agentId } })).toBe(1);
  });
});

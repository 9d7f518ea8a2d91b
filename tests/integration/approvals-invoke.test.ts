// Approvals of invocations, end to end through the real routes, a real executor and real
// isolates: a RESTRICTED action waits for a person (202 + approval), the approval runs it
// exactly once (two admins approving at the same moment; no executor alive at approval
// time and one started later), the requester gets the REAL output, a denial's reason, a
// 409 after expiry; who may decide (a member never a DANGEROUS request, nobody their own
// DANGEROUS request); the kill switch beats an approval; every decision is evented; and
// progressive trust turns repeated approvals into a standing rule.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, makeToken, makeUser, bearer } from "./helpers/app";
import { agentsClient, asUser, makeAgent, publishVersion } from "./helpers/registry-factory";
import { codeCapability, invoke, setUpInvokeWorld, uniqueSlug, type InvokeWorld, type User } from "./invoke-setup";
import { resetPolicyCache } from "../../lib/policy/load-policy";
import { saveRuleSet } from "../../lib/policy/rule-store";

let w: InvokeWorld;
let admin: User;
let admin2: User;
let member: User;
let adminHeaders: Record<string, string>;
let admin2Headers: Record<string, string>;
let memberHeaders: Record<string, string>;
let routes: {
  list: typeof import("../../app/api/approvals/route");
  count: typeof import("../../app/api/approvals/count/route");
  one: typeof import("../../app/api/approvals/[id]/route");
  decide: typeof import("../../app/api/approvals/[id]/decide/route");
  trust: typeof import("../../app/api/approvals/[id]/trust/route");
  killSwitch: typeof import("../../app/api/policy/kill-switch/route");
  settings: typeof import("../../app/api/settings/route");
};

beforeAll(async () => {
  w = await setUpInvokeWorld({ env: { APPROVAL_TTL_HOURS: "24" } });
  admin = await makeUser(w.t, "admin");
  admin2 = await makeUser(w.t, "admin");
  member = await makeUser(w.t, "member");
  adminHeaders = await asUser(admin);
  admin2Headers = await asUser(admin2);
  memberHeaders = await asUser(member);
  routes = {
    list: await import("../../app/api/approvals/route"),
    count: await import("../../app/api/approvals/count/route"),
    one: await import("../../app/api/approvals/[id]/route"),
    decide: await import("../../app/api/approvals/[id]/decide/route"),
    trust: await import("../../app/api/approvals/[id]/trust/route"),
    killSwitch: await import("../../app/api/policy/kill-switch/route"),
    settings: await import("../../app/api/settings/route"),
  };
  // These tests are about invocations: an org rule lets installs through (install approvals
  // have their own tests), as an admin would write it.
  await saveRuleSet(w.t.db, { rules: [{ id: "installs-ok", match: { what: ["install"] }, effect: "allow" }], via: "form", actor: { type: "user", id: admin.id } });
}, 120_000);

afterAll(async () => {
  await w?.close();
});

async function decide(id: string, headers: Record<string, string>, json: unknown) {
  const res = await call(routes.decide.POST, { method: "POST", path: `/api/approvals/${id}/decide`, headers, json, params: { id } });
  return { status: res.status, body: await res.json() };
}

async function getApproval(id: string, headers: Record<string, string>, query = "") {
  const res = await call(routes.one.GET, { path: `/api/approvals/${id}${query}`, headers, params: { id } });
  return { status: res.status, body: await res.json() };
}

/** Publishes and installs for `user`; an install the policy holds for approval is approved by the first admin. */
async function installFor(user: User, manifest: Record<string, unknown>, grants: string[] = []) {
  const headers = await asUser(user);
  const api = agentsClient(w.routes, headers);
  const cap = await publishVersion(w.t, { owner: user, manifest });
  const agentId = await makeAgent(api);
  const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: grants, config: {}, secrets: {} });
  const body = await res.json();
  if (res.status === 202) {
    const d = await decide(body.approvalId, user.id === admin.id ? admin2Headers : adminHeaders, { decision: "approve" });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
  } else {
    expect(res.status, JSON.stringify(body)).toBe(201);
  }
  return { agentId, slug: cap.slug };
}

const greeter = (slug: string, risk: "high" | "critical") =>
  codeCapability(slug, [{ id: "greet", body: "      return { greeting: 'hi ' + input.name };", inputs: [{ name: "name", type: "string", required: true }], outputs: [{ name: "greeting", type: "string" }] }], { risk });

async function restrictedInvoke(user: User, risk: "high" | "critical" = "high", name = "Ada") {
  const { agentId, slug } = await installFor(user, greeter(uniqueSlug(`greet-${risk}`), risk));
  const token = await makeToken(w.t, user, ["agents:invoke"]);
  const r = await invoke(w, agentId, bearer(token.token), { action: `${slug}.greet`, input: { name } });
  return { ...r, agentId, slug, token };
}

describe("an invoke that needs approval", () => {
  test("waits as 202 with the approval; approving runs it once and the requester's poll returns the real output", async () => {
    const r = await restrictedInvoke(member);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.headers.get("location")).toBe(`/api/approvals/${r.body.approvalId}`);
    expect(r.body).toMatchObject({ approvalId: expect.stringMatching(/^apr_/), status: "pending", securityLevel: "RESTRICTED", links: { self: `/api/approvals/${r.body.approvalId}` } });
    expect(await w.t.db.execution.count({ where: { correlationId: r.body.correlationId } })).toBe(0);

    // The agent polls with its own token (agents:invoke is enough to read its approvals).
    const pending = await getApproval(r.body.approvalId, bearer(r.token.token));
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ status: "pending", kind: "invoke", capability: { slug: r.slug, action: "greet" }, request: { input: { name: "Ada" } }, result: null });
    expect(pending.body.viewer.canDecide).toBe(false);

    const approved = await decide(r.body.approvalId, adminHeaders, { decision: "approve", comment: "fine" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe("approved");

    const done = await getApproval(r.body.approvalId, bearer(r.token.token), "?wait=20");
    expect(done.body).toMatchObject({ status: "approved", decision: { decision: "approve", comment: "fine", by: { id: admin.id } }, result: { status: "succeeded", output: { greeting: "hi Ada" } } });

    // One chain, one correlation id: evaluated (require_approval) → requested → evaluated (approved) → decided → started → succeeded.
    const events = await w.t.db.$queryRawUnsafe<{ type: string; data: Record<string, unknown> }[]>(`SELECT type, data FROM events WHERE correlation_id = $1 ORDER BY seq`, r.body.correlationId);
    expect(events.map((e) => e.type)).toEqual(["policy.evaluated", "approval.requested", "policy.evaluated", "approval.decided", "execution.started", "execution.succeeded"]);
    expect(events[0]!.data).toMatchObject({ decision: "require_approval", reasonCode: "default_restricted", approvalId: r.body.approvalId });
    expect(events[2]!.data).toMatchObject({ decision: "allow", reasonCode: "approved" });
  });

  test("two admins approving at the same moment → one execution; the other gets 409", async () => {
    const r = await restrictedInvoke(member);
    const both = await Promise.all([decide(r.body.approvalId, adminHeaders, { decision: "approve" }), decide(r.body.approvalId, admin2Headers, { decision: "approve" })]);
    expect(both.map((b) => b.status).sort()).toEqual([200, 409]);
    const done = await getApproval(r.body.approvalId, adminHeaders, "?wait=20");
    expect(done.body.result.status).toBe("succeeded");
    expect(await w.t.db.execution.count({ where: { correlationId: r.body.correlationId } })).toBe(1);
    const decided = await w.t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'approval.decided' AND correlation_id = $1`, r.body.correlationId);
    expect(decided[0]!.n).toBe(1);
  });

  test("approved while no executor runs: the execution waits in Postgres and runs once when an executor comes up", async () => {
    const r = await restrictedInvoke(member);
    for (const e of w.executors.splice(0)) await e.stop();
    const approved = await decide(r.body.approvalId, adminHeaders, { decision: "approve" });
    expect(approved.status).toBe(200);
    const queued = await w.t.db.execution.findMany({ where: { correlationId: r.body.correlationId } });
    expect(queued.map((q) => q.status)).toEqual(["queued"]);
    await w.startExecutor();
    const done = await getApproval(r.body.approvalId, adminHeaders, "?wait=20");
    expect(done.body.result).toMatchObject({ status: "succeeded", output: { greeting: "hi Ada" } });
    const rows = await w.t.db.execution.findMany({ where: { correlationId: r.body.correlationId } });
    expect(rows.map((x) => [x.status, x.attempts])).toEqual([["succeeded", 1]]);
  });

  test("deny returns the reason to the agent; nothing runs", async () => {
    const r = await restrictedInvoke(member);
    const denied = await decide(r.body.approvalId, adminHeaders, { decision: "deny", comment: "not on production data" });
    expect(denied.status).toBe(200);
    const seen = await getApproval(r.body.approvalId, bearer(r.token.token));
    expect(seen.body).toMatchObject({ status: "denied", reason: "not on production data", result: null });
    expect(await w.t.db.execution.count({ where: { correlationId: r.body.correlationId } })).toBe(0);
    expect((await decide(r.body.approvalId, adminHeaders, { decision: "approve" })).status).toBe(409);
  });

  test("hold keeps it pending with the note; a later approve still works", async () => {
    const r = await restrictedInvoke(member);
    const held = await decide(r.body.approvalId, adminHeaders, { decision: "hold", comment: "asking the data owner" });
    expect(held.body).toMatchObject({ status: "pending", held: true, note: "asking the data owner" });
    expect((await decide(r.body.approvalId, adminHeaders, { decision: "approve" })).status).toBe(200);
  });

  test("a decision after expiry gets 409 and the approval is expired (with its event)", async () => {
    const r = await restrictedInvoke(member);
    await w.t.db.approval.update({ where: { id: r.body.approvalId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await decide(r.body.approvalId, adminHeaders, { decision: "approve" });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/expired/);
    const seen = await getApproval(r.body.approvalId, bearer(r.token.token));
    expect(seen.body).toMatchObject({ status: "expired", reason: expect.stringContaining("nobody decided") });
    const types = await w.t.db.$queryRawUnsafe<{ type: string }[]>(`SELECT type FROM events WHERE stream_type = 'approval' AND stream_id = $1 ORDER BY seq`, r.body.approvalId);
    expect(types.map((t) => t.type)).toEqual(["approval.requested", "approval.expired"]);
    expect(await w.t.db.execution.count({ where: { correlationId: r.body.correlationId } })).toBe(0);
  });
});

describe("who may decide", () => {
  test("a member cannot approve a DANGEROUS request, even with the member setting on; nobody approves their own DANGEROUS request", async () => {
    const set = await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: adminHeaders, json: { membersMayApproveRestricted: true } });
    expect(set.status).toBe(200);
    try {
      const other = await makeUser(w.t, "member");
      const r = await restrictedInvoke(other, "critical");
      expect(r.status).toBe(202);
      expect(r.body.securityLevel).toBe("DANGEROUS");
      const byMember = await decide(r.body.approvalId, memberHeaders, { decision: "approve" });
      expect(byMember.status).toBe(403);

      const own = await restrictedInvoke(admin, "critical");
      const byOwner = await decide(own.body.approvalId, adminHeaders, { decision: "approve" });
      expect(byOwner.status).toBe(403);
      expect(byOwner.body.detail).toMatch(/own DANGEROUS/);
      expect((await decide(own.body.approvalId, admin2Headers, { decision: "approve" })).status).toBe(200);
      // The full request is recorded for DANGEROUS ones.
      const ev = await w.t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'approval.requested' AND stream_id = $1`, own.body.approvalId);
      expect(ev[0]!.data.request).toBeTruthy();
    } finally {
      await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: adminHeaders, json: { membersMayApproveRestricted: false } });
    }
  });

  test("members approve RESTRICTED requests of others only while the organisation allows it, never their own", async () => {
    const other = await makeUser(w.t, "member");
    const r = await restrictedInvoke(other);
    const refused = await decide(r.body.approvalId, memberHeaders, { decision: "approve" });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/admin/);
    expect((await getApproval(r.body.approvalId, memberHeaders)).status).toBe(404); // not even visible to a member while the setting is off

    await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: adminHeaders, json: { membersMayApproveRestricted: true } });
    try {
      // Approvals created while the setting was off stay for admins.
      const later = await restrictedInvoke(other);
      const own = await restrictedInvoke(member);
      expect((await decide(own.body.approvalId, memberHeaders, { decision: "approve" })).status).toBe(403);
      const ok = await decide(later.body.approvalId, memberHeaders, { decision: "approve" });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    } finally {
      await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: adminHeaders, json: { membersMayApproveRestricted: false } });
    }
  });

  test("a token without approvals:decide cannot decide; the badge counts what the viewer may decide", async () => {
    const r = await restrictedInvoke(member);
    const weak = await makeToken(w.t, admin, ["approvals:read"]);
    expect((await decide(r.body.approvalId, bearer(weak.token), { decision: "approve" })).status).toBe(403);
    const count = await call(routes.count.GET, { path: "/api/approvals/count", headers: adminHeaders });
    expect((await count.json()).pending).toBeGreaterThanOrEqual(1);
    const memberCount = await call(routes.count.GET, { path: "/api/approvals/count", headers: memberHeaders });
    expect(await memberCount.json()).toEqual({ pending: 0 });
    const list = await call(routes.list.GET, { path: "/api/approvals?status=pending", headers: memberHeaders });
    const body = await list.json();
    expect(body.items.every((i: { requester: { userId: string } }) => i.requester.userId === member.id)).toBe(true);
    expect(body.items.some((i: { id: string }) => i.id === r.body.approvalId)).toBe(true);
  });
});

describe("the kill switch beats an approval", () => {
  test("approved while the kill switch is on: not executed, recorded as denied with the reason", async () => {
    const { agentId, slug } = await installFor(
      member,
      codeCapability(uniqueSlug("poster"), [{ id: "send", body: "      return { ok: true };", outputs: [{ name: "ok", type: "boolean" }] }], { permissions: ["compute.light", "network.http.post"], allowed_domains: ["api.example.com"] }),
      ["compute.light", "network.http.post"],
    );
    const token = await makeToken(w.t, member, ["agents:invoke"]);
    const r = await invoke(w, agentId, bearer(token.token), { action: `${slug}.send`, input: {} });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    await call(routes.killSwitch.PUT, { method: "PUT", path: "/api/policy/kill-switch", headers: adminHeaders, json: { on: true, reason: "incident" } });
    try {
      const approved = await decide(r.body.approvalId, adminHeaders, { decision: "approve" });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: "approved", outcome: { ok: false, code: "policy_denied" }, result: { status: "denied", error: { code: "kill_switch" } } });
      // A fresh invoke is denied outright, with its policy.evaluated event.
      const again = await invoke(w, agentId, bearer(token.token), { action: `${slug}.send`, input: {} });
      expect(again.status).toBe(403);
      const ev = await w.t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'policy.evaluated' AND correlation_id = $1`, again.headers.get("x-correlation-id"));
      expect(ev.map((e) => e.data)).toEqual([expect.objectContaining({ decision: "deny", reasonCode: "kill_switch" })]);
    } finally {
      await call(routes.killSwitch.PUT, { method: "PUT", path: "/api/policy/kill-switch", headers: adminHeaders, json: { on: false } });
    }
  });
});

describe("allowed invocations are evented too", () => {
  test("a SAFE invoke runs at once, with a policy.evaluated allow event on its correlation id", async () => {
    const owner = member;
    const { agentId, slug } = await installFor(owner, codeCapability(uniqueSlug("safe"), [{ id: "ping", body: "      return { pong: true };", outputs: [{ name: "pong", type: "boolean" }] }]));
    const token = await makeToken(w.t, owner, ["agents:invoke"]);
    const r = await invoke(w, agentId, bearer(token.token), { action: `${slug}.ping`, input: {} });
    expect(r.status).toBe(200);
    const ev = await w.t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'policy.evaluated' AND correlation_id = $1`, r.body.correlationId);
    expect(ev.map((e) => e.data)).toEqual([expect.objectContaining({ decision: "allow", reasonCode: "default_safe", slug, action: "ping" })]);
  });
});

describe("progressive trust", () => {
  test("after 5 approvals with no denial the inbox recommends a standing rule; accepting it lets the next call run at once", async () => {
    const { agentId, slug } = await installFor(member, greeter(uniqueSlug("trusted"), "high"));
    const token = await makeToken(w.t, member, ["agents:invoke"]);
    const ask = () => invoke(w, agentId, bearer(token.token), { action: `${slug}.greet`, input: { name: "Bo" } });
    for (let i = 0; i < 5; i++) {
      const r = await ask();
      expect(r.status).toBe(202);
      const before = await getApproval(r.body.approvalId, adminHeaders);
      expect(before.body.recommendation).toBeNull();
      expect((await decide(r.body.approvalId, adminHeaders, { decision: "approve" })).status).toBe(200);
    }
    const sixth = await ask();
    expect(sixth.status).toBe(202);
    const view = await getApproval(sixth.body.approvalId, adminHeaders);
    expect(view.body.recommendation).toMatchObject({ approvals: 5, rule: { effect: "allow", match: { agent: [agentId], capability: [slug], action: ["greet"] } } });
    expect(view.body.viewer.canTrust).toBe(true);
    expect((await call(routes.trust.POST, { method: "POST", path: `/api/approvals/${sixth.body.approvalId}/trust`, headers: memberHeaders, params: { id: sixth.body.approvalId } })).status).toBe(403);
    const accepted = await call(routes.trust.POST, { method: "POST", path: `/api/approvals/${sixth.body.approvalId}/trust`, headers: adminHeaders, params: { id: sixth.body.approvalId } });
    expect(accepted.status).toBe(200);
    const acceptedBody = await accepted.json();
    expect(acceptedBody.version).toBeGreaterThanOrEqual(1);
    const changed = await w.t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE type = 'policy.rule_changed' ORDER BY seq DESC LIMIT 1`);
    expect(changed[0]!.data).toMatchObject({ via: "trust", added: [acceptedBody.rule.id] });
    resetPolicyCache();
    const seventh = await ask();
    expect(seventh.status, JSON.stringify(seventh.body)).toBe(200);
    expect(seventh.body.output).toEqual({ greeting: "hi Bo" });
  });
});

// The kill switch for external writes, end to end: admins flip it (members cannot), each
// change is evented, and while it is on an invocation of an action that needs an
// external-write permission is denied before anything runs (a `denied` row + event, 403)
// while actions without one still run; the env forces it; the evaluate dry run agrees.
import { afterAll, beforeAll, expect, test } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { call, makeUser, ORIGIN } from "./helpers/app";
import { asUser } from "./helpers/registry-factory";
import { codeCapability, installCapability, invoke, setUpInvokeWorld, uniqueSlug, type InvokeWorld } from "./invoke-setup";

let w: InvokeWorld;
let killRoute: typeof import("../../app/api/policy/kill-switch/route");
let evaluateRoute: typeof import("../../app/api/policy/evaluate/route");
let adminHeaders: Record<string, string>;
let writer: Awaited<ReturnType<typeof installCapability>>;
let reader: Awaited<ReturnType<typeof installCapability>>;

beforeAll(async () => {
  w = await setUpInvokeWorld();
  killRoute = await import("../../app/api/policy/kill-switch/route");
  evaluateRoute = await import("../../app/api/policy/evaluate/route");
  adminHeaders = await asUser(await makeUser(w.t, "admin"));
  // Needs data.write (an external write): stopped by the switch.
  writer = await installCapability(
    w,
    codeCapability(uniqueSlug("writer"), [{ id: "save", body: "      await ctx.kv.set('k', input.v ?? 1);\n      return { saved: true };" }], { permissions: ["compute.light", "data.write"] }),
    { grants: ["compute.light", "data.write"] },
  );
  reader = await installCapability(w, codeCapability(uniqueSlug("reader"), [{ id: "echo", body: "      return { v: input.v ?? 0 };" }]));
});

afterAll(async () => {
  delete process.env.POLICY_KILL_SWITCH_EXTERNAL_WRITE;
  resetEnvCache();
  await w?.close();
});

const put = (headers: Record<string, string>, json: unknown) =>
  call(killRoute.PUT, { method: "PUT", path: "/api/policy/kill-switch", headers: { ...headers, origin: ORIGIN }, json });

async function killEvents() {
  return w.t.db.$queryRawUnsafe<{ data: { on: boolean; reason: string | null } }[]>(`SELECT data FROM events WHERE type = 'policy.kill_switch_changed' ORDER BY seq`);
}

test("only admins flip the switch; each change is one event; setting the same state again writes nothing", async () => {
  expect((await put(w.ownerHeaders, { on: true })).status).toBe(403);
  expect((await put(adminHeaders, { on: "yes" })).status).toBe(422);
  const on = await put(adminHeaders, { on: true, reason: "incident 42" });
  expect(on.status).toBe(200);
  expect(await on.json()).toMatchObject({ on: true, stored: true, forcedByEnv: false });
  expect((await put(adminHeaders, { on: true })).status).toBe(200);
  expect((await killEvents()).map((e) => e.data)).toEqual([{ on: true, reason: "incident 42" }]);
  const seen = await call(killRoute.GET, { path: "/api/policy/kill-switch", headers: w.ownerHeaders });
  expect(await seen.json()).toMatchObject({ on: true });
});

test("while on, an external-write action is denied before it runs; other actions still run", async () => {
  const denied = await invoke(w, writer.agentId, w.ownerHeaders, { action: `${writer.slug}.save`, input: { v: 7 } });
  expect(denied.status, JSON.stringify(denied.body)).toBe(403);
  const rows = await w.t.db.execution.findMany({ where: { agentId: writer.agentId } });
  expect(rows.map((r) => [r.status, r.errorCode])).toEqual([["denied", "kill_switch"]]);
  expect(await w.t.db.kvEntry.count({ where: { installationId: writer.installationId } })).toBe(0);
  const [ev] = await w.t.db.$queryRawUnsafe<{ data: { reasonCode: string } }[]>(`SELECT data FROM events WHERE type = 'execution.denied' AND data->>'executionId' = $1`, rows[0]!.id);
  expect(ev?.data.reasonCode).toBe("kill_switch");

  const ok = await invoke(w, reader.agentId, w.ownerHeaders, { action: `${reader.slug}.echo`, input: { v: 3 } });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ status: "succeeded", output: { v: 3 } });
});

test("while on, a capability that asks for an external write cannot be tried either", async () => {
  const tryRoute = await import("../../app/api/capabilities/[slug]/try/route");
  const tried = await call(tryRoute.POST, { method: "POST", path: `/api/capabilities/${writer.slug}/try`, headers: { ...w.ownerHeaders, origin: ORIGIN }, json: { action: "save", input: { v: 1 } }, params: { slug: writer.slug } });
  expect(tried.status).toBe(403);
  expect((await tried.json()).code).toBe("policy_denied");
  expect(await w.t.db.kvEntry.count({ where: { installationId: writer.installationId } })).toBe(0);
});

test("the evaluate dry run gives the gate's decision and records nothing", async () => {
  const before = await w.t.db.execution.count();
  const request = {
    who: { userId: w.owner.id, role: "member", agentId: writer.agentId, tokenId: null },
    what: "invoke",
    capability: { slug: writer.slug, action: "save", permissions: ["data.write"], domains: [] },
  };
  const res = await call(evaluateRoute.POST, { method: "POST", path: "/api/policy/evaluate", headers: { ...w.ownerHeaders, origin: ORIGIN }, json: request });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ decision: "deny", reasonCode: "kill_switch" });
  const bad = await call(evaluateRoute.POST, { method: "POST", path: "/api/policy/evaluate", headers: { ...w.ownerHeaders, origin: ORIGIN }, json: { ...request, what: "launch" } });
  expect(bad.status).toBe(422);
  expect((await bad.json()).errors[0].path).toBe("what");
  expect(await w.t.db.execution.count()).toBe(before);
});

test("switched off, the write runs; the environment forces the switch on regardless of the stored state", async () => {
  expect(await (await put(adminHeaders, { on: false })).json()).toMatchObject({ on: false, stored: false });
  const ran = await invoke(w, writer.agentId, w.ownerHeaders, { action: `${writer.slug}.save`, input: { v: 9 } });
  expect(ran.body).toMatchObject({ status: "succeeded", output: { saved: true } });
  expect(await w.t.db.kvEntry.count({ where: { installationId: writer.installationId } })).toBe(1);

  process.env.POLICY_KILL_SWITCH_EXTERNAL_WRITE = "1";
  resetEnvCache();
  const state = await (await call(killRoute.GET, { path: "/api/policy/kill-switch", headers: w.ownerHeaders })).json();
  expect(state).toMatchObject({ on: true, stored: false, forcedByEnv: true });
  const forced = await invoke(w, writer.agentId, w.ownerHeaders, { action: `${writer.slug}.save`, input: { v: 10 } });
  expect(forced.status).toBe(403);
  const statuses = (await w.t.db.execution.findMany({ where: { agentId: writer.agentId }, orderBy: { createdAt: "asc" } })).map((r) => r.status);
  expect(statuses).toEqual(["denied", "succeeded", "denied"]);
});

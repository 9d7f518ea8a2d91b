// Agents are visible to their owner and to administrators only: anyone else gets the
// same 404 as for an agent that does not exist, on every route, and changes nothing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, eventsOf, loadAgentRoutes, makeAgent, publishVersion, type AgentRoutes } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: AgentRoutes;

async function eventCount(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return Number(r!.n);
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadAgentRoutes();
});
afterAll(() => t.drop());

describe("agents", () => {
  test("a member creates, lists, reads and renames their agent; each change is evented", async () => {
    const user = await makeUser(t);
    const api = agentsClient(routes, await asUser(user));
    const created = await api.createAgent({ name: "  Helper  ", description: "does things" });
    expect(created.status).toBe(201);
    const agent = await created.json();
    expect(agent).toMatchObject({ id: expect.stringMatching(/^agt_/), name: "Helper", description: "does things", owner: { id: user.id }, installationCount: 0 });

    const list = await (await api.listAgents()).json();
    expect(list).toEqual({ items: [expect.objectContaining({ id: agent.id })], nextCursor: null });
    expect(await (await api.getAgent(agent.id)).json()).toMatchObject({ id: agent.id, installations: [] });

    const patched = await api.patchAgent(agent.id, { name: "Helper 2" });
    expect(patched.status).toBe(200);
    expect((await patched.json()).name).toBe("Helper 2");
    // Same values again: no change, no event.
    await api.patchAgent(agent.id, { name: "Helper 2", description: "does things" });
    expect((await eventsOf(t, agent.id)).map((e) => [e.type, e.data])).toEqual([
      ["agent.created", { name: "Helper" }],
      ["agent.updated", { fields: ["name"] }],
    ]);
  });

  test("invalid input gets 422 with every field's path", async () => {
    const api = agentsClient(routes, await asUser(await makeUser(t)));
    const res = await api.createAgent({ name: "", description: 5, extra: true });
    expect(res.status).toBe(422);
    expect((await res.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["(root)", "description", "name"]);
  });

  test("lists are cursor-paginated", async () => {
    const api = agentsClient(routes, await asUser(await makeUser(t)));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await makeAgent(api, `a${i}`));
    const first = await (await api.listAgents("?limit=2")).json();
    expect(first.items.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    const second = await (await api.listAgents(`?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  test("a member cannot see or touch another member's agent (404, nothing changes); an admin can", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const admin = await makeUser(t, "admin");
    const mine = agentsClient(routes, await asUser(owner));
    const theirs = agentsClient(routes, await asUser(other));
    const admins = agentsClient(routes, await asUser(admin));
    const cap = await publishVersion(t, { owner, manifest: codeManifest() });
    const agentId = await makeAgent(mine);
    const inst = await (await mine.install(agentId, { capability: cap.slug, grantedPermissions: [] })).json();
    const installationId = inst.installation.id;

    const before = await eventCount();
    const refusals = [
      await theirs.getAgent(agentId),
      await theirs.patchAgent(agentId, { name: "mine now" }),
      await theirs.listInstallations(agentId),
      await theirs.install(agentId, { capability: cap.slug, grantedPermissions: [] }),
      await theirs.patchInstallation(agentId, installationId, { enabled: false }),
      await theirs.uninstall(agentId, installationId),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe("agent not found");
    }
    expect(await eventCount()).toBe(before);
    expect((await (await theirs.listAgents()).json()).items).toEqual([]);
    // Not even admins' "everyone" list for a member.
    expect((await theirs.listAgents("?all=true")).status).toBe(403);

    // An installation id from another agent is 404 too.
    const otherAgent = await makeAgent(theirs);
    expect((await theirs.patchInstallation(otherAgent, installationId, { enabled: false })).status).toBe(404);

    expect((await admins.getAgent(agentId)).status).toBe(200);
    expect((await (await admins.listAgents("?all=true")).json()).items.map((a: { id: string }) => a.id)).toContain(agentId);
    const disabled = await admins.patchInstallation(agentId, installationId, { enabled: false });
    expect(disabled.status).toBe(200);
    expect((await disabled.json()).installation.enabled).toBe(false);
    const [ev] = (await eventsOf(t, installationId)).filter((e) => e.type === "installation.enabled_changed");
    expect(ev).toMatchObject({ data: { slug: cap.slug, enabled: false }, actor_id: admin.id });
  });

  test("scopes: a token with agents:read cannot write", async () => {
    const user = await makeUser(t);
    const { token } = await makeToken(t, user, ["agents:read"]);
    expect((await call(routes.agents.GET, { path: "/api/agents", headers: bearer(token) })).status).toBe(200);
    expect((await call(routes.agents.POST, { method: "POST", path: "/api/agents", headers: bearer(token), json: { name: "x" } })).status).toBe(403);
  });
});

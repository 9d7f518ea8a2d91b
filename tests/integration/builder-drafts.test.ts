// The builder drafts API against a real Postgres, through the real route handlers: create
// (evented, no state in the event), read, save with the revision (409 when stale, nothing
// changes), list (summaries, newest first), delete (evented; 404 after), owner-only access
// (another user — even an admin — gets 404 and changes nothing), 422 with paths, 413, scopes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer, call, makeToken, makeUser, ORIGIN, sessionCookie, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { codeManifest, publishVersion } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: Awaited<ReturnType<typeof loadRoutes>>;

async function loadRoutes() {
  return {
    list: await import("../../app/api/builder/drafts/route"),
    one: await import("../../app/api/builder/drafts/[id]/route"),
    slug: await import("../../app/api/builder/slugs/[slug]/route"),
  };
}

function client(headers: Record<string, string>) {
  return {
    create: (json: unknown) => call(routes.list.POST, { method: "POST", path: "/api/builder/drafts", headers, json }),
    list: () => call(routes.list.GET, { path: "/api/builder/drafts", headers }),
    get: (id: string) => call(routes.one.GET, { path: `/api/builder/drafts/${id}`, headers, params: { id } }),
    put: (id: string, json: unknown) => call(routes.one.PUT, { method: "PUT", path: `/api/builder/drafts/${id}`, headers, json, params: { id } }),
    del: (id: string) => call(routes.one.DELETE, { method: "DELETE", path: `/api/builder/drafts/${id}`, headers, params: { id } }),
  };
}

async function asUser(user: { id: string; email: string; role: string }) {
  return client({ cookie: await sessionCookie(user), origin: ORIGIN });
}

const state = (name: string, slug: string, extra: Record<string, unknown> = {}) => ({ version: 1, method: "code", step: "actions", basics: { name, slug, version: "0.1.0" }, code: { source: "export default {}" }, ...extra });

async function streamEvents(id: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  return t.db.$queryRawUnsafe(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY seq`, id);
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadRoutes();
});
afterAll(() => t.drop());

describe("builder drafts", () => {
  test("create, read, save with revisions (409 when stale), list, delete; creation and deletion evented", async () => {
    const user = await makeUser(t);
    const api = await asUser(user);
    const res = await api.create({ state: state("Unit converter", "unit-converter") });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ id: expect.stringMatching(/^drf_[0-9a-z]{26}$/), revision: 1, slug: "unit-converter", method: "code", name: "Unit converter" });
    expect(created.state.basics.name).toBe("Unit converter");

    const got = await (await api.get(created.id)).json();
    expect(got).toMatchObject({ id: created.id, revision: 1, state: { step: "actions", code: { source: "export default {}" } } });

    const saved = await api.put(created.id, { state: state("Unit converter 2", "unit-converter-2", { method: "visual" }), expectedRevision: 1 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ revision: 2, slug: "unit-converter-2", method: "visual", name: "Unit converter 2" });

    const stale = await api.put(created.id, { state: state("Overwritten", "x"), expectedRevision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect((await (await api.get(created.id)).json()).state.basics.name).toBe("Unit converter 2");

    const second = await (await api.create({ state: { basics: { name: "Bad slug!", slug: "Not A Slug" } } })).json();
    expect(second).toMatchObject({ slug: null, method: "visual" });
    const list = await (await api.list()).json();
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([second.id, created.id]);
    expect(list.items[1]).toEqual({ id: created.id, slug: "unit-converter-2", name: "Unit converter 2", method: "visual", revision: 2, updatedAt: expect.any(String) });
    expect(list.items[1].state).toBeUndefined();

    expect((await api.del(created.id)).status).toBe(204);
    expect((await api.get(created.id)).status).toBe(404);
    expect((await api.del(created.id)).status).toBe(404);

    const events = await streamEvents(created.id);
    // Autosaves (PUT) are not evented: only creation and deletion.
    expect(events.map((e) => e.type)).toEqual(["draft.created", "draft.deleted"]);
    expect(events[0]!.data).toMatchObject({ draftId: created.id, slug: "unit-converter", method: "code", size: expect.any(Number) });
    expect(JSON.stringify(events[0]!.data)).not.toContain("export default");
    expect(events[1]!.data).toMatchObject({ draftId: created.id, slug: "unit-converter-2", revision: 2 });
  });

  test("only the owner sees or changes a draft: others, admins included, get 404 and change nothing", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const admin = await makeUser(t, "admin");
    const mine = await (await (await asUser(owner)).create({ state: state("Mine", "mine") })).json();
    for (const u of [other, admin]) {
      const api = await asUser(u);
      expect((await api.get(mine.id)).status).toBe(404);
      expect((await api.put(mine.id, { state: state("Theirs", "theirs"), expectedRevision: 1 })).status).toBe(404);
      expect((await api.del(mine.id)).status).toBe(404);
      expect((await (await api.list()).json()).items.some((d: { id: string }) => d.id === mine.id)).toBe(false);
    }
    const after = await (await (await asUser(owner)).get(mine.id)).json();
    expect(after).toMatchObject({ revision: 1, state: { basics: { name: "Mine" } } });
    expect((await streamEvents(mine.id)).map((e) => e.type)).toEqual(["draft.created"]);
  });

  test("422 with paths for bad bodies, 413 over 1 MB, nothing stored", async () => {
    const user = await makeUser(t);
    const api = await asUser(user);
    const bad = await api.create({ state: "nope" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: "state" })]);
    const draft = await (await api.create({ state: state("Sized", "sized") })).json();
    const badPut = await api.put(draft.id, { state: {}, expectedRevision: 0 });
    expect(badPut.status).toBe(422);
    expect((await badPut.json()).errors.map((e: { path: string }) => e.path)).toEqual(["expectedRevision"]);
    expect((await api.get("drf_nope")).status).toBe(404);

    const huge = { ...state("Huge", "huge"), upload: { text: "x".repeat(1024 * 1024 + 10) } };
    expect((await api.create({ state: huge })).status).toBe(413);
    expect((await api.put(draft.id, { state: huge, expectedRevision: 1 })).status).toBe(413);
    const items = (await (await api.list()).json()).items;
    expect(items.map((d: { name: string }) => d.name)).toEqual(["Sized"]);
    expect((await (await api.get(draft.id)).json()).revision).toBe(1);
  });

  test("tokens need capabilities:read to list and capabilities:write to save", async () => {
    const user = await makeUser(t);
    const read = await makeToken(t, user, ["capabilities:read"]);
    const write = await makeToken(t, user, ["capabilities:read", "capabilities:write"]);
    expect((await client(bearer(read.token)).list()).status).toBe(200);
    expect((await client(bearer(read.token)).create({ state: state("T", "t") })).status).toBe(403);
    const created = await client(bearer(write.token)).create({ state: state("T", "t") });
    expect(created.status).toBe(201);
    expect((await client({}).list()).status).toBe(401);
  });
});

describe("slug availability (GET /api/builder/slugs/:slug)", () => {
  const check = async (headers: Record<string, string>, slug: string) => {
    const res = await call(routes.slug.GET, { path: `/api/builder/slugs/${encodeURIComponent(slug)}`, headers, params: { slug } });
    return { status: res.status, body: await res.json() };
  };

  test("free, yours (with the highest version), taken — a private capability too —, reserved and invalid, always 200", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const mine = codeManifest({ version: "1.2.0" });
    await publishVersion(t, { owner, manifest: mine, visibility: "private" });
    await publishVersion(t, { owner, manifest: { ...mine, version: "1.10.0" }, visibility: "private" });
    const ownerH = { cookie: await sessionCookie(owner), origin: ORIGIN };
    const otherH = { cookie: await sessionCookie(other), origin: ORIGIN };

    expect(await check(ownerH, "nobody-has-this-one")).toEqual({ status: 200, body: { slug: "nobody-has-this-one", status: "available", available: true, message: "Available." } });
    const yours = await check(ownerH, mine.slug as string);
    expect(yours).toMatchObject({ status: 200, body: { status: "yours", available: false, latestVersion: "1.10.0" } });
    expect(yours.body.message).toContain("1.10.0");
    // Someone else's private capability is invisible to them (404 on its page), yet its slug is not free.
    const taken = await check(otherH, mine.slug as string);
    expect(taken).toEqual({ status: 200, body: { slug: mine.slug, status: "taken", available: false, message: "Taken by another publisher: choose another slug." } });
    expect(await check(otherH, "test")).toMatchObject({ status: 200, body: { status: "reserved", available: false } });
    expect(await check(otherH, "Not_A-Slug-")).toMatchObject({ status: 200, body: { status: "invalid", available: false } });
  });

  test("needs capabilities:read", async () => {
    const user = await makeUser(t);
    const none = await makeToken(t, user, ["agents:read"]);
    expect((await check(bearer(none.token), "x")).status).toBe(403);
    expect((await check({}, "x")).status).toBe(401);
  });
});

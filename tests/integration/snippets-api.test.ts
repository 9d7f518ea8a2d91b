// The snippets API against a real Postgres, driving the real route handlers: create,
// update (version bump, no-op, stale version), soft delete (evented, 404 after), full-text
// search through the migration's index, the audit trail with the seed's event names,
// owner/admin access (404 for others, nothing changes), 422 with paths and 413.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appendEvent } from "../../lib/events/append-event";
import { newId } from "../../lib/ids";
import { MAX_SNIPPET_CODE_BYTES } from "../../lib/snippets/snippet-schemas";
import { bearer, call, makeToken, makeUser, ORIGIN, sessionCookie, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let routes: Awaited<ReturnType<typeof loadRoutes>>;

async function loadRoutes() {
  return {
    list: await import("../../app/api/snippets/route"),
    one: await import("../../app/api/snippets/[id]/route"),
    audit: await import("../../app/api/snippets/[id]/audit/route"),
  };
}

function client(headers: Record<string, string>) {
  return {
    create: (json: unknown) => call(routes.list.POST, { method: "POST", path: "/api/snippets", headers, json }),
    list: (query = "") => call(routes.list.GET, { path: `/api/snippets${query}`, headers }),
    get: (id: string) => call(routes.one.GET, { path: `/api/snippets/${id}`, headers, params: { id } }),
    patch: (id: string, json: unknown) => call(routes.one.PATCH, { method: "PATCH", path: `/api/snippets/${id}`, headers, json, params: { id } }),
    del: (id: string) => call(routes.one.DELETE, { method: "DELETE", path: `/api/snippets/${id}`, headers, params: { id } }),
    audit: (id: string, query = "") => call(routes.audit.GET, { path: `/api/snippets/${id}/audit${query}`, headers, params: { id } }),
  };
}
type Client = ReturnType<typeof client>;

async function asUser(user: { id: string; email: string; role: string }) {
  return client({ cookie: await sessionCookie(user), origin: ORIGIN });
}

async function make(api: Client, over: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const res = await api.create({ title: "Bar chart", language: "javascript", code: "new Chart(ctx, { type: 'bar' })", tags: ["chart"], ...over });
  expect(res.status).toBe(201);
  return res.json();
}

async function eventCount(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return Number(r!.n);
}

async function streamEvents(id: string): Promise<{ type: string; data: Record<string, unknown>; stream_type: string }[]> {
  return t.db.$queryRawUnsafe(`SELECT type, data, stream_type FROM events WHERE stream_id = $1 ORDER BY seq`, id);
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = await loadRoutes();
});
afterAll(() => t.drop());

describe("snippets", () => {
  test("create, read, update (version bump), no-op update, soft delete; each change evented on the snippet stream", async () => {
    const user = await makeUser(t);
    const api = await asUser(user);
    const res = await api.create({ title: "  Spinning cube ", language: "javascript", code: "const s = new THREE.Scene();", tags: ["Three", "demo", "three"] });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ id: expect.stringMatching(/^snp_/), title: "Spinning cube", language: "javascript", tags: ["three", "demo"], version: 1, ownerId: user.id, size: 28 });

    expect(await (await api.get(created.id)).json()).toMatchObject({ id: created.id, code: "const s = new THREE.Scene();", version: 1 });

    const patched = await api.patch(created.id, { code: "const scene = new THREE.Scene();", title: "Spinning cube", version: 1 });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ version: 2, code: "const scene = new THREE.Scene();" });
    // The same values again: no version bump, no event.
    expect(await (await api.patch(created.id, { code: "const scene = new THREE.Scene();", tags: ["three", "demo"] })).json()).toMatchObject({ version: 2 });
    // A stale version from another tab: 409, nothing changes.
    const stale = await api.patch(created.id, { title: "Overwritten", version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect(await (await api.get(created.id)).json()).toMatchObject({ title: "Spinning cube", version: 2 });

    const del = await api.del(created.id);
    expect(del.status).toBe(204);
    expect((await api.get(created.id)).status).toBe(404);
    expect((await api.patch(created.id, { title: "back" })).status).toBe(404);
    expect((await api.del(created.id)).status).toBe(404);
    expect((await (await api.list()).json()).items.map((s: { id: string }) => s.id)).not.toContain(created.id);

    // The row is kept (soft delete) for previews and tasks that point at it.
    const [row] = await t.db.$queryRawUnsafe<{ deleted_at: Date | null }[]>(`SELECT deleted_at FROM snippets WHERE id = $1`, created.id);
    expect(row!.deleted_at).toBeInstanceOf(Date);

    expect((await streamEvents(created.id)).map((e) => [e.stream_type, e.type, e.data])).toEqual([
      ["snippet", "SNIPPET_CREATED", { snippetId: created.id, title: "Spinning cube", language: "javascript", size: 28, tags: ["three", "demo"], source: "ui" }],
      ["snippet", "SNIPPET_UPDATED", { snippetId: created.id, version: 2, fields: ["code"], size: 32 }],
      ["snippet", "SNIPPET_DELETED", { snippetId: created.id, version: 2 }],
    ]);
  });

  test("invalid input gets 422 with every field's path; too much code gets 413; nothing is stored", async () => {
    const api = await asUser(await makeUser(t));
    const before = await eventCount();
    const bad = await api.create({ title: "", language: "python", code: 5, tags: ["ok", "not ok!"], extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["(root)", "code", "language", "tags[1]", "title"]);

    const emptyPatch = await api.patch(newId("snp"), {});
    expect(emptyPatch.status).toBe(422);

    const tooBig = await api.create({ title: "Big", language: "html", code: "é".repeat(MAX_SNIPPET_CODE_BYTES / 2 + 1) });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).errors).toEqual([{ path: "code", message: expect.stringContaining("bytes") }]);

    const { id } = await make(api);
    const tooBigPatch = await api.patch(id, { code: "x".repeat(MAX_SNIPPET_CODE_BYTES + 1) });
    expect(tooBigPatch.status).toBe(413);
    expect(await (await api.get(id)).json()).toMatchObject({ version: 1 });
    expect(await eventCount()).toBe(before + 1);

    const badQuery = await api.list("?language=cobol&limit=0");
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["query.language", "query.limit"]);
  });

  test("full-text search over title, tags and code, ranked; filters by language and tag; cursor pages", async () => {
    const api = await asUser(await makeUser(t));
    const chart = await make(api, { title: "Quarterly revenue", code: "new Chart(el, { type: 'bar', data })", tags: ["chartjs", "finance"] });
    const cube = await make(api, { title: "Rotating cube", code: "const controls = new THREE.OrbitControls(camera, renderer.domElement);", tags: ["three"] });
    const page = await make(api, { title: "Landing page", language: "html", code: "<h1>Welcome</h1><p>revenue grows</p>", tags: ["marketing"] });
    const style = await make(api, { title: "Dark theme", language: "css", code: "body { background: #111; }", tags: [] });

    const ids = async (query: string) => (await (await api.list(query)).json()).items.map((s: { id: string }) => s.id);
    // Title matches rank above code-only matches.
    expect(await ids("?q=revenue")).toEqual([chart.id, page.id]);
    expect(await ids("?q=camera")).toEqual([cube.id]); // a word of the code
    // (Dotted names like THREE.OrbitControls are one "host" token to the 'simple' parser, so
    // "OrbitControls" alone needs the document change proposed in the report.)
    expect(await ids("?q=finance")).toEqual([chart.id]); // a tag
    expect(await ids("?q=rotat")).toEqual([cube.id]); // a word prefix, as typed
    expect(await ids(`?q=${encodeURIComponent('"dark theme"')}`)).toEqual([style.id]); // websearch syntax
    expect(await ids("?q=nothing-like-this")).toEqual([]);
    expect(await ids("?q=revenue&language=html")).toEqual([page.id]);
    expect(await ids("?tag=three")).toEqual([cube.id]);
    expect(await ids("?language=css")).toEqual([style.id]);

    // Without q: the latest change first, and a cursor walks every item once.
    await api.patch(chart.id, { title: "Quarterly revenue (2026)" });
    const first = await (await api.list("?limit=3")).json();
    expect(first.items.map((s: { id: string }) => s.id)).toEqual([chart.id, style.id, page.id]);
    expect(first.items[0]).not.toHaveProperty("code");
    const second = await (await api.list(`?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: cube.id })], nextCursor: null });
    // A cursor from another list is refused rather than skipping rows.
    expect((await api.list(`?q=revenue&cursor=${first.nextCursor}`)).status).toBe(400);

    // The search really goes through the GIN expression index (seq scans off, in one
    // transaction, so the tiny table does not make a scan the cheaper plan).
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`);
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM snippets s WHERE capreg_snippet_document(s.title, s.tags, s.code) @@ websearch_to_tsquery('simple', 'revenue')`,
      );
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("snippets_search_document");
  });

  test("the audit trail lists the snippet's events oldest first with the seed's names, including events on other streams that name it", async () => {
    const user = await makeUser(t);
    const api = await asUser(user);
    const { id } = await make(api);
    await api.patch(id, { title: "Bar chart v2" });
    const previewId = newId("prv");
    const taskId = newId("tsk");
    // What helpers F and G append (shapes from lib/events/event-types.ts), written here directly.
    await t.db.$transaction(async (tx) => {
      await appendEvent(tx, {
        type: "PREVIEW_SESSION_CREATED",
        data: { previewId, snippetId: id, preset: "chartjs-umd", deps: ["chart.js"], size: 10, shareExpiresAt: new Date().toISOString() },
        stream: { type: "snippet", id },
        actor: { type: "user", id: user.id },
      });
      await appendEvent(tx, {
        type: "PREVIEW_DEP_INJECTED",
        data: { previewId, snippetId: id, depId: "chart.js", version: "4.5.0", integrity: "sha384-x", autoInjected: false },
        stream: { type: "snippet", id },
        actor: { type: "user", id: user.id },
      });
    });
    await appendEvent(t.db, {
      type: "TASK_MATERIALIZED_FROM_SNIPPET",
      data: { taskId, snippetId: id, snippetVersion: 2, autoRun: false, approvalId: null },
      stream: { type: "task", id: taskId },
      actor: { type: "user", id: user.id },
    });
    // Another snippet's events never show up.
    await make(api, { title: "Other" });

    const res = await api.audit(id);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items.map((e: { type: string }) => e.type)).toEqual([
      "SNIPPET_CREATED",
      "SNIPPET_UPDATED",
      "PREVIEW_SESSION_CREATED",
      "PREVIEW_DEP_INJECTED",
      "TASK_MATERIALIZED_FROM_SNIPPET",
    ]);
    expect(body.items[2]).toMatchObject({ level: "info", previewId, taskId: null, payload: { preset: "chartjs-umd" }, actor: { type: "user", id: user.id } });
    expect(body.items[4]).toMatchObject({ level: "security", taskId, previewId: null });
    const seqs = body.items.map((e: { seq: string }) => BigInt(e.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);

    const first = await (await api.audit(id, "?limit=2")).json();
    expect(first.items).toHaveLength(2);
    const rest = await (await api.audit(id, `?limit=10&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...rest.items].map((e: { id: string }) => e.id)).toEqual(body.items.map((e: { id: string }) => e.id));
    expect(rest.nextCursor).toBeNull();
  });

  test("only the owner and administrators see or change a snippet; others get 404 and change nothing; no identity is 401", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const admin = await makeUser(t, "admin");
    const mine = await asUser(owner);
    const theirs = await asUser(other);
    const admins = await asUser(admin);
    const { id } = await make(mine, { title: "Private thing" });

    const before = await eventCount();
    for (const res of [await theirs.get(id), await theirs.patch(id, { title: "mine now" }), await theirs.del(id), await theirs.audit(id)]) {
      expect(res.status).toBe(404);
    }
    expect((await (await theirs.list("?q=private")).json()).items).toEqual([]);
    expect((await theirs.list("?all=true")).status).toBe(403);
    expect(await eventCount()).toBe(before);

    expect((await admins.get(id)).status).toBe(200);
    expect((await (await admins.list("?all=true&q=private")).json()).items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await admins.audit(id)).status).toBe(200);
    expect(await (await admins.patch(id, { tags: ["reviewed"] })).json()).toMatchObject({ version: 2, ownerId: owner.id });

    const anonymous = client({});
    expect((await anonymous.list()).status).toBe(401);
    expect((await anonymous.get(id)).status).toBe(401);

    // A cookie-authenticated change without a same-origin Origin is refused (CSRF).
    const noOrigin = client({ cookie: await sessionCookie(owner) });
    expect((await noOrigin.patch(id, { title: "csrf" })).status).toBe(403);

    // A token needs the snippets scopes: without them 403.
    const weak = await makeToken(t, owner, ["events:read"]);
    expect((await client(bearer(weak.token)).list()).status).toBe(403);
    // The authoring scopes that predate snippets cover them too.
    const older = await makeToken(t, owner, ["capabilities:read"]);
    expect((await client(bearer(older.token)).list()).status).toBe(200);

    // A bearer token with them works like its user, without Origin; events say "api".
    const { token } = await makeToken(t, owner, ["snippets:read", "snippets:write"]);
    const api = client(bearer(token));
    const viaToken = await make(api, { title: "From a script" });
    const [created] = await streamEvents(viaToken.id);
    expect(created!.data.source).toBe("api");
  });
});

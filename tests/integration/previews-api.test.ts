// Preview sessions through the real route handlers on a real database: create (row,
// PREVIEW_SESSION_CREATED and one PREVIEW_DEP_INJECTED per dependency in one transaction,
// smart injection, manifest integrity), 422 paths, 413, who may read and revoke, the
// snippet link (pinned version, snippet stream, data.snippetId) and the orphan stream.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { newId } from "../../lib/ids";
import { getRuntimeManifest } from "../../lib/previews/runtime-manifest";
import { verifyPreviewToken } from "../../lib/previews/tokens";
import { bearer, call, makeToken, makeUser, ORIGIN, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { asUser } from "./helpers/registry-factory";

let t: TestDatabase;
let create: typeof import("../../app/api/previews/route");
let one: typeof import("../../app/api/previews/[id]/route");
let revoke: typeof import("../../app/api/previews/[id]/revoke/route");
let owner: Awaited<ReturnType<typeof makeUser>>;
let ownerHeaders: Record<string, string>;
let otherHeaders: Record<string, string>;
let adminHeaders: Record<string, string>;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  create = await import("../../app/api/previews/route");
  one = await import("../../app/api/previews/[id]/route");
  revoke = await import("../../app/api/previews/[id]/revoke/route");
  owner = await makeUser(t, "member");
  ownerHeaders = await asUser(owner);
  otherHeaders = await asUser(await makeUser(t, "member"));
  adminHeaders = await asUser(await makeUser(t, "admin"));
});

afterAll(async () => {
  await t?.drop();
});

const post = (headers: Record<string, string>, json: unknown) => call(create.POST, { method: "POST", path: "/api/previews", headers, json });
const get = (headers: Record<string, string>, id: string) => call(one.GET, { path: `/api/previews/${id}`, headers, params: { id } });
const revokeIt = (headers: Record<string, string>, id: string) => call(revoke.POST, { method: "POST", path: `/api/previews/${id}/revoke`, headers, params: { id } });

async function eventsOfPreview(id: string) {
  return t.db.$queryRawUnsafe<{ type: string; data: Record<string, unknown>; stream_type: string; stream_id: string; correlation_id: string; actor_id: string | null }[]>(
    `SELECT type, data, stream_type, stream_id, correlation_id, actor_id FROM events WHERE subject_id = $1 ORDER BY seq`,
    id,
  );
}

const THREE_CODE = `const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(60, 1, 0.1, 100);
const controls = new THREE.OrbitControls(camera, document.body);`;

describe("POST /api/previews", () => {
  test("creates the session with core + detected deps, their integrity from the manifest, and the events in one transaction", async () => {
    const res = await post(ownerHeaders, { code: THREE_CODE, preset: "three-webgl-umd", title: "Orbit" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.previewId).toMatch(/^prv_[0-9a-z]{26}$/);
    const manifest = getRuntimeManifest();
    expect(body.injectedDeps.map((d: { id: string }) => d.id)).toEqual(["three-core", "three-orbit-controls"]);
    for (const d of body.injectedDeps) {
      expect(d.integrity).toBe(manifest.deps[d.id]!.integrity);
      expect(d.url).toBe(`${ORIGIN}/runtime/${manifest.deps[d.id]!.file}`);
    }
    expect(body.injectedDeps.map((d: { autoInjected: boolean }) => d.autoInjected)).toEqual([false, true]);
    expect(body.frameUrl).toMatch(new RegExp(`^/preview/${body.previewId}/frame\\?t=`));
    expect(body.shareUrl).toMatch(/^\/p\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const share = verifyPreviewToken(body.shareUrl.slice(3));
    expect(share).toMatchObject({ ok: true, payload: { previewId: body.previewId, purpose: "share" } });
    const frame = verifyPreviewToken(decodeURIComponent(body.frameUrl.split("?t=")[1]));
    expect(frame).toMatchObject({ ok: true, payload: { previewId: body.previewId, purpose: "frame" } });
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const row = await t.db.previewSession.findUniqueOrThrow({ where: { id: body.previewId } });
    expect(row).toMatchObject({ ownerId: owner.id, preset: "three-webgl-umd", sourceKind: "code", source: THREE_CODE, title: "Orbit", snippetId: null });

    const events = await eventsOfPreview(body.previewId);
    expect(events.map((e) => e.type)).toEqual(["PREVIEW_SESSION_CREATED", "PREVIEW_DEP_INJECTED", "PREVIEW_DEP_INJECTED"]);
    expect(events[0]!.data).toMatchObject({ previewId: body.previewId, snippetId: null, preset: "three-webgl-umd", deps: ["three-core", "three-orbit-controls"], size: THREE_CODE.length });
    expect(events[1]!.data).toMatchObject({ depId: "three-core", autoInjected: false, integrity: manifest.deps["three-core"]!.integrity });
    expect(events[2]!.data).toMatchObject({ depId: "three-orbit-controls", autoInjected: true });
    // No snippet: the system stream (the seed's ORPHAN task), one correlation, the owner as actor.
    for (const e of events) {
      expect([e.stream_type, e.stream_id]).toEqual(["system", "orphan"]);
      expect(e.correlation_id).toBe(events[0]!.correlation_id);
      expect(e.actor_id).toBe(owner.id);
    }
  });

  test("html-basic injects nothing; html source is stored as html", async () => {
    const res = await post(ownerHeaders, { html: "<h1>Hi</h1>", preset: "html-basic" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.injectedDeps).toEqual([]);
    const events = await eventsOfPreview(body.previewId);
    expect(events.map((e) => e.type)).toEqual(["PREVIEW_SESSION_CREATED"]);
    expect((await t.db.previewSession.findUniqueOrThrow({ where: { id: body.previewId } })).sourceKind).toBe("html");
  });

  test("a snippet's preview pins its version and lands on the snippet's stream with data.snippetId", async () => {
    const snippetId = newId("snp");
    await t.db.snippet.create({ data: { id: snippetId, title: "Bars", language: "javascript", code: "new Chart(el, {})", ownerId: owner.id, version: 3 } });
    const res = await post(ownerHeaders, { code: "new Chart(document.getElementById('c'), {type:'bar'})", preset: "chartjs-umd", snippetId });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.injectedDeps.map((d: { id: string }) => d.id)).toEqual(["chartjs"]);
    const row = await t.db.previewSession.findUniqueOrThrow({ where: { id: body.previewId } });
    expect(row).toMatchObject({ snippetId, snippetVersion: 3, title: "Bars" });
    const events = await eventsOfPreview(body.previewId);
    expect(events.length).toBe(2);
    for (const e of events) {
      expect([e.stream_type, e.stream_id]).toEqual(["snippet", snippetId]);
      expect(e.data.snippetId).toBe(snippetId);
    }
    // Someone else's snippet (or a deleted one) is not found, and nothing is written.
    const before = await t.db.previewSession.count();
    expect((await post(otherHeaders, { code: "x", preset: "chartjs-umd", snippetId })).status).toBe(404);
    await t.db.snippet.update({ where: { id: snippetId }, data: { deletedAt: new Date() } });
    expect((await post(ownerHeaders, { code: "x", preset: "chartjs-umd", snippetId })).status).toBe(404);
    expect(await t.db.previewSession.count()).toBe(before);
  });

  test("422 names the paths", async () => {
    const paths = async (json: unknown) => {
      const res = await post(ownerHeaders, json);
      expect(res.status).toBe(422);
      return ((await res.json()).errors as { path: string }[]).map((e) => e.path).sort();
    };
    expect(await paths({ preset: "d3-umd" })).toEqual(["code"]);
    expect(await paths({ code: "1", html: "<p>", preset: "d3-umd" })).toEqual(["code", "html"]);
    expect(await paths({ code: "1" })).toEqual(["preset"]);
    expect(await paths({ code: "1", preset: "no-such-preset" })).toEqual(["preset"]);
    expect(await paths({ code: 5, preset: "d3-umd", snippetId: "nope" })).toEqual(["code", "snippetId"]);
    expect(await paths({ code: "1", preset: "d3-umd", extra: true })).toEqual(["(root)"]);
  });

  test("413 over 512 KB of code; exactly 512 KB is fine", async () => {
    const big = await post(ownerHeaders, { code: "x".repeat(512 * 1024 + 1), preset: "html-basic" });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toContain("application/problem+json");
    expect((await post(ownerHeaders, { code: "x".repeat(512 * 1024), preset: "html-basic" })).status).toBe(201);
  });

  test("needs a caller; a bearer token works; a cookie request from another origin is refused", async () => {
    expect((await post({}, { code: "1", preset: "d3-umd" })).status).toBe(401);
    const weak = await makeToken(t, owner, ["capabilities:read"]);
    expect((await post(bearer(weak.token), { code: "d3.select('body')", preset: "d3-umd" })).status).toBe(403);
    const { token } = await makeToken(t, owner, ["snippets:write"]);
    expect((await post(bearer(token), { code: "d3.select('body')", preset: "d3-umd" })).status).toBe(201);
    expect((await post({ ...ownerHeaders, origin: "https://evil.example" }, { code: "1", preset: "d3-umd" })).status).toBe(403);
  });
});

describe("GET /api/previews/:id and revoke", () => {
  test("owner and admin read it (fresh frame URL, deps with hashes); others get 404; revoke is evented once", async () => {
    const created = await (await post(ownerHeaders, { code: "d3.select('svg')", preset: "d3-umd", title: "Dots" })).json();
    const res = await get(ownerHeaders, created.previewId);
    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view).toMatchObject({ previewId: created.previewId, title: "Dots", preset: "d3-umd", kind: "code", revokedAt: null, openedCount: 0 });
    expect(view.injectedDeps).toEqual(created.injectedDeps);
    expect(view.shareUrl).toMatch(/^\/p\//);
    expect((await get(adminHeaders, created.previewId)).status).toBe(200);
    expect((await get(otherHeaders, created.previewId)).status).toBe(404);
    expect((await get(ownerHeaders, newId("prv"))).status).toBe(404);
    expect((await get(ownerHeaders, "not-an-id")).status).toBe(400);

    expect((await revokeIt(otherHeaders, created.previewId)).status).toBe(404);
    const r1 = await revokeIt(ownerHeaders, created.previewId);
    expect(r1.status).toBe(200);
    const after = await r1.json();
    expect(after.revokedAt).not.toBeNull();
    expect(after.shareUrl).toBeNull();
    expect((await revokeIt(ownerHeaders, created.previewId)).status).toBe(200);
    const types = (await eventsOfPreview(created.previewId)).map((e) => e.type);
    expect(types.filter((x) => x === "PREVIEW_SHARE_REVOKED")).toHaveLength(1);
  });
});

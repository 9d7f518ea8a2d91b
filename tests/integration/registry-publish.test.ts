// The registry through its real route handlers: manifests in (object, text, uploaded
// file, dry run), versions out (immutable, strictly increasing semver, content hash),
// review before public listing, deprecate/yank, who may change what, the security report,
// built-ins, and that every change wrote its event in the very transaction that made it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuiltinCapabilities } from "../../lib/registry/builtin-capabilities";
import type { Manifest } from "../../lib/registry/manifest-schema";
import { manifestContentHash } from "../../lib/registry/parse-manifest";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, ORIGIN, sessionCookie, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let routes: {
  caps: typeof import("../../app/api/capabilities/route");
  importCap: typeof import("../../app/api/capabilities/import/route");
  cap: typeof import("../../app/api/capabilities/[slug]/route");
  versions: typeof import("../../app/api/capabilities/[slug]/versions/route");
  version: typeof import("../../app/api/capabilities/[slug]/versions/[version]/route");
  review: typeof import("../../app/api/capabilities/[slug]/versions/[version]/review/route");
  verification: typeof import("../../app/api/publishers/[userId]/verification/route");
  permissions: typeof import("../../app/api/permissions/route");
};
type User = Awaited<ReturnType<typeof makeUser>>;
let owner: User, other: User, admin: User;
let ownerToken: string, otherToken: string, adminToken: string;

const fixture = (name: string) => readFileSync(`tests/fixtures/manifests/${name}`, "utf8");
type Handler = Parameters<typeof call>[0];

async function send(handler: unknown, token: string, o: { method?: string; path: string; params?: Record<string, string>; json?: unknown }) {
  return call(handler as Handler, { ...o, headers: bearer(token) });
}

const codeManifest = (slug: string, extra: Partial<Record<string, unknown>> = {}) => ({
  type: "code",
  slug,
  name: `Capability ${slug}`,
  version: "1.0.0",
  description: "Counts the words of a text. Used by the registry tests.",
  category: "text",
  tags: ["text", "words"],
  permissions: ["compute.light"],
  actions: [{ id: "count", inputs: [{ name: "text", type: "string", required: true }], outputs: [{ name: "words", type: "number" }] }],
  source: "export default { actions: { async count(input) { return { words: input.text.split(/\\s+/).filter(Boolean).length }; } } };",
  ...extra,
});

async function create(token: string, manifest: object) {
  const res = await send(routes.caps.POST, token, { method: "POST", path: "/api/capabilities", json: { manifest } });
  expect(res.status).toBe(201);
  return res.json();
}

async function publish(token: string, slug: string, body: Record<string, unknown>) {
  return send(routes.versions.POST, token, { method: "POST", path: `/api/capabilities/${slug}/versions`, params: { slug }, json: body });
}

async function countRows() {
  const [r] = await t.db.$queryRawUnsafe<{ events: bigint; caps: bigint; versions: bigint; reviews: bigint }[]>(
    `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM capabilities) AS caps, (SELECT count(*) FROM capability_versions) AS versions, (SELECT count(*) FROM reviews) AS reviews`,
  );
  return { events: Number(r!.events), caps: Number(r!.caps), versions: Number(r!.versions), reviews: Number(r!.reviews) };
}

/** Runs `act`, expects `status` as problem+json, and that no row and no event changed. */
async function expectRefused(act: () => Promise<Response>, status: number) {
  const before = await countRows();
  const res = await act();
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(await countRows()).toEqual(before);
  return res.json();
}

/**
 * The event of `type` about `subjectId` was written by the same transaction that last
 * wrote the row: the commit-time trigger inserts the event row inside that transaction,
 * so both rows carry the same transaction id (xmin).
 */
async function expectEventInSameTransaction(table: string, rowId: string, type: string, subjectId = rowId) {
  const [row] = await t.db.$queryRawUnsafe<{ x: string }[]>(`SELECT xmin::text AS x FROM ${table} WHERE id = $1`, rowId);
  const evs = await t.db.$queryRawUnsafe<{ x: string; correlation_id: string }[]>(
    `SELECT xmin::text AS x, correlation_id FROM events WHERE type = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 1`,
    type,
    subjectId,
  );
  expect(row, `${table} row ${rowId}`).toBeDefined();
  expect(evs[0], `${type} event for ${subjectId}`).toBeDefined();
  expect(evs[0]!.x).toBe(row!.x);
  return evs[0]!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = {
    caps: await import("../../app/api/capabilities/route"),
    importCap: await import("../../app/api/capabilities/import/route"),
    cap: await import("../../app/api/capabilities/[slug]/route"),
    versions: await import("../../app/api/capabilities/[slug]/versions/route"),
    version: await import("../../app/api/capabilities/[slug]/versions/[version]/route"),
    review: await import("../../app/api/capabilities/[slug]/versions/[version]/review/route"),
    verification: await import("../../app/api/publishers/[userId]/verification/route"),
    permissions: await import("../../app/api/permissions/route"),
  };
  owner = await makeUser(t, "member");
  other = await makeUser(t, "member");
  admin = await makeUser(t, "admin");
  const scopes = ["capabilities:read", "capabilities:write"] as const;
  ownerToken = (await makeToken(t, owner, [...scopes])).token;
  otherToken = (await makeToken(t, other, [...scopes])).token;
  adminToken = (await makeToken(t, admin, [...scopes, "admin"])).token;
});
afterAll(() => t.drop());

describe("manifests in", () => {
  test.each(["weather-lookup.yaml", "slack-integration.json", "invoice-processor.yaml", "currency-converter.yaml", "data-analyzer.yaml"])(
    "fixture %s passes the dry run, saves nothing, then imports as a draft",
    async (file) => {
      const before = await countRows();
      const dry = await send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import?dryRun=1", json: { filename: file, text: fixture(file) } });
      expect(dry.status).toBe(200);
      const report = await dry.json();
      expect(report).toMatchObject({ valid: true, errors: [], slugAvailable: true, contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(report.securityReport.verdict).toMatch(/^(clean|warnings)$/);
      expect(await countRows()).toEqual(before);

      const res = await send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import", json: { filename: file, text: fixture(file) } });
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created).toMatchObject({ slug: report.manifest.slug, visibility: "private", ownerId: owner.id, draft: { contentHash: report.contentHash } });
      const ev = await expectEventInSameTransaction("capabilities", created.id, "capability.created");
      expect(ev.correlation_id).toBe(res.headers.get("x-request-id"));
      expect((await t.db.event.findFirst({ where: { type: "capability.created", subjectId: created.id } }))?.data).toMatchObject({ slug: created.slug, via: "import" });

      // The draft publishes as it is, with the hash the dry run announced.
      const published = await publish(ownerToken, created.slug, { changelog: "Imported." });
      expect(published.status).toBe(201);
      expect((await published.json()).contentHash).toBe(report.contentHash);

      // The dry run now says the slug is taken; a second import is a conflict.
      const again = await send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import?dryRun=1", json: { filename: file, text: fixture(file) } });
      expect((await again.json()).slugAvailable).toBe(false);
      await expectRefused(() => send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import", json: { filename: file, text: fixture(file) } }), 409);
    },
  );

  test("the dry run of a broken YAML lists every error with its path; the import is a 422 with the same list", async () => {
    const text = fixture("broken/bad-types.yaml");
    const dry = await send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import?dryRun=1", json: { filename: "bad-types.yaml", text } });
    expect(dry.status).toBe(200);
    const report = await dry.json();
    expect(report.valid).toBe(false);
    expect(report.manifest).toBeNull();
    const paths = report.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["slug", "name", "version", "permissions[1]", "actions[0].inputs[1].type"]));
    expect(report.errors).toContainEqual({ path: "actions[0].inputs[1].type", message: "expected one of string, number, integer, boolean, object, array, file, any" });

    const problem = await expectRefused(() => send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import", json: { filename: "bad-types.yaml", text } }), 422);
    expect(problem.errors).toEqual(report.errors);
  });

  test("a YAML syntax error comes back with line and column; other file types are refused", async () => {
    const dry = await send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import?dryRun=1", json: { filename: "syntax.yml", text: fixture("broken/syntax.yaml") } });
    const report = await dry.json();
    expect(report.valid).toBe(false);
    expect(report.errors[0].path).toMatch(/^\(line \d+, column \d+\)$/);
    const bad = await expectRefused(() => send(routes.importCap.POST, ownerToken, { method: "POST", path: "/api/capabilities/import", json: { filename: "evil.exe", text: "{}" } }), 415);
    expect(bad.errors).toEqual([{ path: "filename", message: "unsupported extension: .exe" }]);
  });

  test("create from text or object; a taken slug is 409; reserved words and the builtin type are refused", async () => {
    const res = await send(routes.caps.POST, ownerToken, { method: "POST", path: "/api/capabilities", json: { text: fixture("weather-lookup.yaml").replace(/weather-lookup/g, "weather-text"), format: "yaml" } });
    expect(res.status).toBe(201);
    expect((await res.json()).check.needsConfig).toEqual([expect.objectContaining({ key: "API_KEY", type: "secret", required: true })]);
    await expectRefused(() => send(routes.caps.POST, otherToken, { method: "POST", path: "/api/capabilities", json: { manifest: codeManifest("weather-text") } }), 409);
    const reserved = await expectRefused(() => send(routes.caps.POST, ownerToken, { method: "POST", path: "/api/capabilities", json: { manifest: codeManifest("import") } }), 422);
    expect(reserved.errors[0].path).toBe("slug");
    const builtin = await expectRefused(() => send(routes.caps.POST, ownerToken, { method: "POST", path: "/api/capabilities", json: { manifest: { type: "builtin", slug: "fake-builtin", name: "Fake", version: "1.0.0" } } }), 422);
    expect(builtin.errors).toEqual([{ path: "type", message: expect.stringContaining("reserved") }]);
    // Neither or both of manifest and text: 422 naming the field.
    const neither = await expectRefused(() => send(routes.caps.POST, ownerToken, { method: "POST", path: "/api/capabilities", json: {} }), 422);
    expect(neither.errors[0].path).toBe("manifest");
  });

  test("a cookie session needs a same-origin Origin to create", async () => {
    const cookie = await sessionCookie(owner);
    await expectRefused(() => call(routes.caps.POST, { method: "POST", path: "/api/capabilities", headers: { cookie }, json: { manifest: codeManifest("csrf-check") } }), 403);
    const ok = await call(routes.caps.POST, { method: "POST", path: "/api/capabilities", headers: { cookie, origin: ORIGIN }, json: { manifest: codeManifest("csrf-check") } });
    expect(ok.status).toBe(201);
  });

  test("the draft is editable by its owner (validated, evented) but its slug cannot change", async () => {
    const cap = await create(ownerToken, codeManifest("draft-edit"));
    const res = await send(routes.cap.PATCH, ownerToken, {
      method: "PATCH",
      path: "/api/capabilities/draft-edit",
      params: { slug: "draft-edit" },
      json: { manifest: codeManifest("draft-edit", { name: "Word Counter", version: "1.0.0" }) },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.name).toBe("Word Counter"); // no versions yet: the listing follows the draft
    await expectEventInSameTransaction("capabilities", cap.id, "capability.draft_saved");
    const bad = await expectRefused(
      () => send(routes.cap.PATCH, ownerToken, { method: "PATCH", path: "/api/capabilities/draft-edit", params: { slug: "draft-edit" }, json: { manifest: codeManifest("draft-edit", { actions: [{ id: "count", inputs: [{ name: "x", type: "strnig" }] }] }) } }),
      422,
    );
    expect(bad.errors).toContainEqual({ path: "actions[0].inputs[0].type", message: expect.stringContaining("expected one of") });
    const renamed = await expectRefused(
      () => send(routes.cap.PATCH, ownerToken, { method: "PATCH", path: "/api/capabilities/draft-edit", params: { slug: "draft-edit" }, json: { manifest: codeManifest("draft-renamed") } }),
      422,
    );
    expect(renamed.errors[0].path).toBe("slug");
  });
});

describe("versions", () => {
  test("publishing freezes a version with its hash and changelog; no overwrite, no downgrade", async () => {
    const cap = await create(ownerToken, codeManifest("versioned"));
    const res = await publish(ownerToken, "versioned", { changelog: "First release." });
    expect(res.status).toBe(201);
    const v1 = await res.json();
    expect(v1).toMatchObject({ version: "1.0.0", status: "published", visibility: "private", reviewState: "not_required", changelog: "First release.", risk: "low", permissions: ["compute.light"] });
    expect(v1.contentHash).toBe(cap.draft.contentHash);
    await expectEventInSameTransaction("capability_versions", v1.id, "capability.version_published");

    // Same version again: 409; lower: 409 naming the current highest.
    const same = await expectRefused(() => publish(ownerToken, "versioned", { changelog: "again" }), 409);
    expect(same.detail).toMatch(/1\.0\.0 already exists/);
    const lower = await expectRefused(() => publish(ownerToken, "versioned", { changelog: "older", version: "0.9.0" }), 409);
    expect(lower.detail).toBe("version 0.9.0 is not higher than the current highest version 1.0.0");

    const v2res = await publish(ownerToken, "versioned", { changelog: "Counts hyphenated words once.", manifest: codeManifest("versioned", { version: "1.1.0", description: "Counts words, hyphenated ones once." }) });
    expect(v2res.status).toBe(201);
    const v2 = await v2res.json();
    expect(v2.version).toBe("1.1.0");
    expect(v2.contentHash).not.toBe(v1.contentHash);
    // No pending draft after a publish: publishing again takes the highest version's content.
    const afterPublish = await (await send(routes.cap.GET, ownerToken, { path: "/x", params: { slug: "versioned" } })).json();
    expect(afterPublish.draft).toBeNull();
    const v3res = await publish(ownerToken, "versioned", { changelog: "Patch.", version: "1.1.1" });
    expect((await v3res.json()).version).toBe("1.1.1");
    const v3 = await (await send(routes.version.GET, ownerToken, { path: "/x", params: { slug: "versioned", version: "1.1.1" } })).json();
    expect(v3.manifest.description).toBe("Counts words, hyphenated ones once.");
    await expectRefused(() => publish(ownerToken, "versioned", { changelog: "pre", version: "1.1.1-beta.1" }), 409);

    // The hash shown is the sha256 of the stored canonical manifest, and stays the same.
    const got = await (await send(routes.version.GET, ownerToken, { path: "/api/capabilities/versioned/versions/1.0.0", params: { slug: "versioned", version: "1.0.0" } })).json();
    expect(got.contentHash).toBe(v1.contentHash);
    expect(manifestContentHash(got.manifest as Manifest)).toBe(v1.contentHash);

    const list = await (await send(routes.versions.GET, ownerToken, { path: "/api/capabilities/versioned/versions?limit=2", params: { slug: "versioned" } })).json();
    expect(list.items.map((v: { version: string }) => v.version)).toEqual(["1.1.1", "1.1.0"]);
    const rest = await (await send(routes.versions.GET, ownerToken, { path: `/api/capabilities/versioned/versions?limit=2&cursor=${list.nextCursor}`, params: { slug: "versioned" } })).json();
    expect(rest).toEqual({ items: [expect.objectContaining({ version: "1.0.0" })], nextCursor: null });

    // The database itself refuses to change a published version's content.
    const ownerDb = await t.ownerClient();
    await expect(ownerDb.query(`UPDATE capability_versions SET changelog = 'rewritten' WHERE id = $1`, [v1.id])).rejects.toThrow(/immutable/);
    await ownerDb.end();
  });

  test("a public version waits in review, is not searchable, and is listed once an admin approves", async () => {
    await create(ownerToken, codeManifest("needs-review", { name: "Review Pending Tool" }));
    const res = await publish(ownerToken, "needs-review", { changelog: "Initial.", visibility: "public" });
    const v = await res.json();
    expect(v).toMatchObject({ visibility: "public", reviewState: "in_review" });
    await expectEventInSameTransaction("capability_versions", v.id, "capability.review_requested");

    const search = async (token: string) => (await (await send(routes.caps.GET, token, { path: "/api/capabilities?q=review+pending" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(await search(otherToken)).not.toContain("needs-review");
    expect(await search(ownerToken)).toContain("needs-review"); // the owner sees their own
    expect((await send(routes.cap.GET, otherToken, { path: "/api/capabilities/needs-review", params: { slug: "needs-review" } })).status).toBe(404);

    // Members (even the owner) cannot decide reviews.
    for (const token of [otherToken, ownerToken]) {
      await expectRefused(() => send(routes.review.POST, token, { method: "POST", path: "/api/capabilities/needs-review/versions/1.0.0/review", params: { slug: "needs-review", version: "1.0.0" }, json: { decision: "approve" } }), 403);
    }
    // Rejecting needs a reason.
    await expectRefused(() => send(routes.review.POST, adminToken, { method: "POST", path: "/api/capabilities/needs-review/versions/1.0.0/review", params: { slug: "needs-review", version: "1.0.0" }, json: { decision: "reject" } }), 422);

    const ok = await send(routes.review.POST, adminToken, { method: "POST", path: "/api/capabilities/needs-review/versions/1.0.0/review", params: { slug: "needs-review", version: "1.0.0" }, json: { decision: "approve", comment: "Looks fine." } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ reviewState: "approved", reviewComment: "Looks fine." });
    const ev = await expectEventInSameTransaction("capability_versions", v.id, "capability.review_decided");
    expect(ev.correlation_id).toBeTruthy();
    expect(await search(otherToken)).toContain("needs-review");
    const detail = await (await send(routes.cap.GET, otherToken, { path: "/api/capabilities/needs-review", params: { slug: "needs-review" } })).json();
    expect(detail).toMatchObject({ visibility: "public", latestVersion: "1.0.0", viewer: { canEdit: false, canReview: true } });
    expect(detail.draft).toBeNull();
    // A decided version cannot be decided again.
    await expectRefused(() => send(routes.review.POST, adminToken, { method: "POST", path: "/api/capabilities/needs-review/versions/1.0.0/review", params: { slug: "needs-review", version: "1.0.0" }, json: { decision: "reject", comment: "changed my mind" } }), 409);

    // Admins find what waits for review, private or not; members only their own.
    await create(otherToken, codeManifest("others-pending"));
    await publish(otherToken, "others-pending", { changelog: "1", visibility: "public" });
    const pending = async (token: string) => (await (await send(routes.caps.GET, token, { path: "/api/capabilities?review=in_review&limit=200" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(await pending(adminToken)).toContain("others-pending");
    expect(await pending(ownerToken)).not.toContain("others-pending");
    expect(await pending(otherToken)).toContain("others-pending");

    // A newer public version is not shown to the public until it is approved too.
    await publish(ownerToken, "needs-review", { changelog: "Renamed.", manifest: codeManifest("needs-review", { name: "Renamed Before Review", version: "2.0.0" }) });
    const pub = await (await send(routes.cap.GET, otherToken, { path: "/api/capabilities/needs-review", params: { slug: "needs-review" } })).json();
    expect(pub).toMatchObject({ name: "Review Pending Tool", latestVersion: "1.0.0" });
    expect(pub.versions.map((x: { version: string }) => x.version)).toEqual(["1.0.0"]);
    const own = await (await send(routes.cap.GET, ownerToken, { path: "/api/capabilities/needs-review", params: { slug: "needs-review" } })).json();
    expect(own.versions.map((x: { version: string; reviewState: string }) => [x.version, x.reviewState])).toEqual([["2.0.0", "in_review"], ["1.0.0", "approved"]]);
    expect((await send(routes.cap.GET, otherToken, { path: "/api/capabilities/needs-review?version=2.0.0", params: { slug: "needs-review" } })).status).toBe(404);
  });

  test("a member cannot edit or publish another's capability: 403 when they can see it, 404 when they cannot", async () => {
    await create(ownerToken, codeManifest("owned-listed"));
    await publish(ownerToken, "owned-listed", { changelog: "1", visibility: "public" });
    await send(routes.review.POST, adminToken, { method: "POST", path: "/x", params: { slug: "owned-listed", version: "1.0.0" }, json: { decision: "approve" } });
    await create(ownerToken, codeManifest("owned-private"));

    const patch = (slug: string) => () => send(routes.cap.PATCH, otherToken, { method: "PATCH", path: `/api/capabilities/${slug}`, params: { slug }, json: { manifest: codeManifest(slug, { name: "Hijacked" }) } });
    await expectRefused(patch("owned-listed"), 403);
    await expectRefused(patch("owned-private"), 404);
    await expectRefused(() => publish(otherToken, "owned-listed", { changelog: "mine now", version: "9.0.0" }), 403);
    await expectRefused(() => publish(otherToken, "owned-private", { changelog: "mine now" }), 404);
    await expectRefused(() => send(routes.version.PATCH, otherToken, { method: "PATCH", path: "/x", params: { slug: "owned-listed", version: "1.0.0" }, json: { status: "yanked" } }), 403);
    await expectRefused(() => send(routes.cap.PATCH, otherToken, { method: "PATCH", path: "/x", params: { slug: "owned-listed" }, json: { visibility: "private" } }), 403);
    // A read-only token cannot write even its owner's capability.
    const readOnly = (await makeToken(t, owner, ["capabilities:read"])).token;
    await expectRefused(() => publish(readOnly, "owned-listed", { changelog: "x", version: "1.0.1" }), 403);
    // An admin can.
    const byAdmin = await send(routes.cap.PATCH, adminToken, { method: "PATCH", path: "/x", params: { slug: "owned-private" }, json: { manifest: codeManifest("owned-private", { name: "Fixed By Admin" }) } });
    expect(byAdmin.status).toBe(200);
  });

  test("deprecate, yank and restore: evented; yanking the last listed version unlists the capability", async () => {
    await create(ownerToken, codeManifest("yankable", { name: "Yankable Thing" }));
    const v = await (await publish(ownerToken, "yankable", { changelog: "1", visibility: "public" })).json();
    await send(routes.review.POST, adminToken, { method: "POST", path: "/x", params: { slug: "yankable", version: "1.0.0" }, json: { decision: "approve" } });
    const setStatus = (status: string, reason?: string) => send(routes.version.PATCH, ownerToken, { method: "PATCH", path: "/x", params: { slug: "yankable", version: "1.0.0" }, json: { status, reason } });

    const dep = await setStatus("deprecated", "use 2.x");
    expect((await dep.json()).status).toBe("deprecated");
    await expectEventInSameTransaction("capability_versions", v.id, "capability.version_status_changed");
    expect((await t.db.event.findFirst({ where: { type: "capability.version_status_changed", subjectId: v.id }, orderBy: { seq: "desc" } }))?.data).toEqual({ slug: "yankable", version: "1.0.0", from: "published", to: "deprecated", reason: "use 2.x" });
    expect((await send(routes.cap.GET, otherToken, { path: "/x", params: { slug: "yankable" } })).status).toBe(200);

    await setStatus("yanked", "security issue");
    await expectEventInSameTransaction("capability_versions", v.id, "capability.version_status_changed");
    expect((await send(routes.cap.GET, otherToken, { path: "/x", params: { slug: "yankable" } })).status).toBe(404);
    expect((await t.db.capability.findUnique({ where: { slug: "yankable" } }))?.visibility).toBe("private");
    // Setting the same status again answers 200 and writes nothing.
    const before = await countRows();
    expect((await setStatus("yanked")).status).toBe(200);
    expect(await countRows()).toEqual(before);

    await setStatus("published");
    expect((await send(routes.cap.GET, otherToken, { path: "/x", params: { slug: "yankable" } })).status).toBe(200);
  });

  test("listing and unlisting by PATCH visibility; listing needs an approved public version", async () => {
    const cap = await create(ownerToken, codeManifest("list-toggle"));
    await publish(ownerToken, "list-toggle", { changelog: "1" });
    const early = await expectRefused(() => send(routes.cap.PATCH, ownerToken, { method: "PATCH", path: "/x", params: { slug: "list-toggle" }, json: { visibility: "public" } }), 409);
    expect(early.detail).toMatch(/approve/);
    await publish(ownerToken, "list-toggle", { changelog: "2", version: "1.1.0", visibility: "public" });
    await send(routes.review.POST, adminToken, { method: "POST", path: "/x", params: { slug: "list-toggle", version: "1.1.0" }, json: { decision: "approve" } });
    expect((await send(routes.cap.GET, otherToken, { path: "/x", params: { slug: "list-toggle" } })).status).toBe(200);
    const off = await send(routes.cap.PATCH, ownerToken, { method: "PATCH", path: "/x", params: { slug: "list-toggle" }, json: { visibility: "private" } });
    expect((await off.json()).visibility).toBe("private");
    await expectEventInSameTransaction("capabilities", cap.id, "capability.updated");
    expect((await send(routes.cap.GET, otherToken, { path: "/x", params: { slug: "list-toggle" } })).status).toBe(404);
    const on = await send(routes.cap.PATCH, ownerToken, { method: "PATCH", path: "/x", params: { slug: "list-toggle" }, json: { visibility: "public" } });
    expect((await on.json()).visibility).toBe("public");
  });
});

describe("security report", () => {
  const publishCode = async (slug: string, source: string, extra: Record<string, unknown> = {}) => {
    await create(ownerToken, codeManifest(slug, { source, actions: [{ id: "run" }], ...extra }));
    const res = await publish(ownerToken, slug, { changelog: "Initial." });
    expect(res.status).toBe(201);
    return (await res.json()).securityReport;
  };

  test("flags ctx.fetch without a network permission (and not a fetch that is only in a comment)", async () => {
    const report = await publishCode(
      "fetch-no-permission",
      `// ctx.kv.delete("everything") is only a comment
export default { actions: { async run(input, ctx) {
  const res = await ctx.fetch("https://api.example.com/v1/items?q=" + encodeURIComponent(input.q));
  return { status: res.status, note: "ctx.kv.set('x') in a string" };
} } };`,
      { permissions: ["data.read"] },
    );
    expect(report.verdict).toBe("warnings");
    expect(report.permissions).toMatchObject({ requested: ["data.read"], used: ["network.http.get"], unused: ["data.read"], usedWithoutPermission: ["network.http.get"] });
    expect(report.findings).toContainEqual(expect.objectContaining({ code: "use_without_permission", permission: "network.http.get", location: "source:3" }));
    expect(report.findings).toContainEqual(expect.objectContaining({ code: "undeclared_domain", location: "source:3" }));
    expect(report.abilities.map((a: { ability: string }) => a.ability)).toEqual(["ctx.fetch"]);
  });

  test("flags eval as dynamic code", async () => {
    const report = await publishCode("uses-eval", `export default { actions: { async run(input) { return { value: eval(input.expression) }; } } };`);
    expect(report.verdict).toBe("warnings");
    expect(report.dynamicCode).toEqual([{ kind: "eval", line: 1 }]);
    expect(report.findings).toContainEqual(expect.objectContaining({ severity: "warning", code: "dynamic_code", location: "source:1" }));
  });

  test("a capability that uses exactly what it asks for is clean, with size and domains", async () => {
    const report = await publishCode(
      "clean-fetcher",
      `export default { actions: { async run(input, ctx) {
  const cached = await ctx.kv.get(input.city);
  if (cached) return cached;
  const r = await (await ctx.fetch("https://api.open-meteo.com/v1/forecast?city=" + input.city)).json();
  await ctx.kv.set(input.city, r);
  ctx.log("fetched", input.city);
  return r;
} } };`,
      { permissions: ["network.http.get", "data.read", "data.write"], allowed_domains: ["api.open-meteo.com"] },
    );
    expect(report.findings.filter((f: { severity: string }) => f.severity === "warning")).toEqual([]);
    expect(report.verdict).toBe("clean");
    expect(report.domains).toEqual(["api.open-meteo.com"]);
    expect(report.sizeBytes).toBeGreaterThan(report.sourceBytes);
  });
});

describe("built-ins, permissions catalog, publisher badge", () => {
  test("ensureBuiltinCapabilities registers the three standard capabilities once, listed and approved", async () => {
    const first = await ensureBuiltinCapabilities(t.db, admin.id);
    expect(first.created.sort()).toEqual(["code-asset", "preview", "task-materialization"]);
    const second = await ensureBuiltinCapabilities(t.db, admin.id);
    expect(second).toEqual({ created: [], existing: ["code-asset", "preview", "task-materialization"] });
    const res = await send(routes.caps.GET, otherToken, { path: "/api/capabilities?type=builtin&sort=newest" });
    const items = (await res.json()).items;
    expect(Object.fromEntries(items.map((i: { slug: string; risk: string }) => [i.slug, i.risk]))).toEqual({ "code-asset": "medium", preview: "medium", "task-materialization": "high" });
    expect(items.every((i: { latestVersion: string; isBuiltin: boolean }) => i.latestVersion === "1.0.0" && i.isBuiltin)).toBe(true);
    const v = await t.db.capabilityVersion.findFirst({ where: { capability: { slug: "preview" } } });
    expect(v).toMatchObject({ visibility: "public", reviewState: "approved", status: "published" });
    await expectEventInSameTransaction("capability_versions", v!.id, "capability.version_published");
  });

  test("GET /api/permissions lists the catalog with explanations and risk levels", async () => {
    const body = await (await send(routes.permissions.GET, otherToken, { path: "/api/permissions" })).json();
    expect(body.items).toContainEqual(expect.objectContaining({ name: "network.http.post", risk: "high", group: "network", isExternalWrite: true, explanation: expect.any(String) }));
    expect(body.riskLevels.map((r: { level: string }) => r.level)).toEqual(["low", "medium", "high", "critical"]);
  });

  test("only admins grant the verified-publisher badge; it shows on cards and filters the search", async () => {
    await create(ownerToken, codeManifest("badge-check", { name: "Badge Check Utility" }));
    await publish(ownerToken, "badge-check", { changelog: "1", visibility: "public" });
    await send(routes.review.POST, adminToken, { method: "POST", path: "/x", params: { slug: "badge-check", version: "1.0.0" }, json: { decision: "approve" } });
    await expectRefused(() => send(routes.verification.POST, otherToken, { method: "POST", path: "/x", params: { userId: owner.id }, json: { verified: true } }), 403);
    await expectRefused(() => send(routes.verification.POST, adminToken, { method: "POST", path: "/x", params: { userId: "usr_nobody" }, json: { verified: true } }), 404);
    const verifiedBefore = (await (await send(routes.caps.GET, otherToken, { path: "/api/capabilities?publisher=verified&q=badge" })).json()).items;
    expect(verifiedBefore).toEqual([]);
    const res = await send(routes.verification.POST, adminToken, { method: "POST", path: "/x", params: { userId: owner.id }, json: { verified: true } });
    expect(await res.json()).toEqual({ id: owner.id, name: owner.name, verified: true });
    await expectEventInSameTransaction("users", owner.id, "publisher.verification_changed");
    const items = (await (await send(routes.caps.GET, otherToken, { path: "/api/capabilities?publisher=verified&q=badge" })).json()).items;
    expect(items.map((i: { slug: string; publisher: { verified: boolean } }) => [i.slug, i.publisher.verified])).toEqual([["badge-check", true]]);
  });
});

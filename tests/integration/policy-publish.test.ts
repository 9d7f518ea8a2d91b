// The policy gate on publishing, through the real routes and the real decision: a public
// publish lands in review with an admin approval in the Approval Inbox (same transaction);
// approving it lists the capability, denying it rejects the review with the comment, and
// deciding the review through its own endpoint closes the approval, so the two never
// disagree. A private publish is allowed and evented; the kill switch denies a publish of
// an external writer before any version is written; nobody approves their own DANGEROUS
// publish; the product's pre-approved built-ins still publish without an approval.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decideApproval } from "../../lib/policy/approvals/decide-approval";
import { setKillSwitch } from "../../lib/policy/kill-switch";
import { ensureBuiltinCapabilities } from "../../lib/registry/builtin-capabilities";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

type Json = Record<string, any>;
type User = Awaited<ReturnType<typeof makeUser>>;
type Handler = Parameters<typeof call>[0];

let t: TestDatabase;
let routes: {
  caps: typeof import("../../app/api/capabilities/route");
  cap: typeof import("../../app/api/capabilities/[slug]/route");
  versions: typeof import("../../app/api/capabilities/[slug]/versions/route");
  review: typeof import("../../app/api/capabilities/[slug]/versions/[version]/review/route");
};
let owner: User, other: User, admin: User, otherAdmin: User;
const tokens = new Map<string, string>();

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = {
    caps: await import("../../app/api/capabilities/route"),
    cap: await import("../../app/api/capabilities/[slug]/route"),
    versions: await import("../../app/api/capabilities/[slug]/versions/route"),
    review: await import("../../app/api/capabilities/[slug]/versions/[version]/review/route"),
  };
  owner = await makeUser(t, "member");
  other = await makeUser(t, "member");
  admin = await makeUser(t, "admin");
  otherAdmin = await makeUser(t, "admin");
  for (const u of [owner, other]) tokens.set(u.id, (await makeToken(t, u, ["capabilities:read", "capabilities:write"])).token);
  for (const u of [admin, otherAdmin]) tokens.set(u.id, (await makeToken(t, u, ["capabilities:read", "capabilities:write", "admin"])).token);
});
afterAll(() => t.drop());

const send = (handler: unknown, who: User, o: { method?: string; path: string; params?: Record<string, string>; json?: unknown }) =>
  call(handler as Handler, { ...o, headers: bearer(tokens.get(who.id)!) });

async function body(res: Response, status: number): Promise<Json> {
  const b = await res.json();
  expect(res.status, JSON.stringify(b)).toBe(status);
  return b;
}

let n = 0;
const manifest = (slug: string, extra: Record<string, unknown> = {}) => ({
  type: "code",
  slug,
  name: `Publish test ${slug}`,
  version: "1.0.0",
  description: "Counts words for the policy publish tests.",
  category: "text",
  permissions: ["compute.light"],
  actions: [{ id: "count", inputs: [{ name: "text", type: "string", required: true }] }],
  source: "export default { actions: { async count(input) { return { n: input.text.length }; } } };",
  ...extra,
});

async function createCapability(who: User, extra: Record<string, unknown> = {}): Promise<string> {
  const slug = `pub-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  await body(await send(routes.caps.POST, who, { method: "POST", path: "/api/capabilities", json: { manifest: manifest(slug, extra) } }), 201);
  return slug;
}

const publish = (who: User, slug: string, json: Record<string, unknown>) => send(routes.versions.POST, who, { method: "POST", path: `/api/capabilities/${slug}/versions`, params: { slug }, json });
const review = (who: User, slug: string, version: string, json: Record<string, unknown>) =>
  send(routes.review.POST, who, { method: "POST", path: `/api/capabilities/${slug}/versions/${version}/review`, params: { slug, version }, json });
const decide = (id: string, decision: "approve" | "deny", by: User, comment?: string) =>
  decideApproval(t.db, { id, decider: { userId: by.id, role: by.role as "admin" | "member", actor: { type: "user", id: by.id } }, input: { decision, comment } });
const approval = (id: string) => t.db.approval.findUniqueOrThrow({ where: { id } });
const versionRow = (slug: string, version = "1.0.0") => t.db.capabilityVersion.findFirstOrThrow({ where: { capability: { slug }, version } });
const isListed = async (slug: string) => (await send(routes.cap.GET, other, { path: `/api/capabilities/${slug}`, params: { slug } })).status === 200;
const policyEvents = (slug: string) =>
  t.db.$queryRawUnsafe<{ data: Json; correlation_id: string }[]>(`SELECT data, correlation_id FROM events WHERE type = 'policy.evaluated' AND data->>'slug' = $1 ORDER BY seq`, slug);
const eventsOfType = (type: string, approvalId: string) =>
  t.db.$queryRawUnsafe<{ data: Json; actor_id: string | null; correlation_id: string }[]>(`SELECT data, actor_id, correlation_id FROM events WHERE type = $1 AND data->>'approvalId' = $2 ORDER BY seq`, type, approvalId);

/** Publishes `slug` public as `who` and returns the answer with its pending approval. */
async function publishPublic(who: User, slug: string): Promise<Json> {
  const v = await body(await publish(who, slug, { changelog: "First.", visibility: "public" }), 201);
  expect(v).toMatchObject({ visibility: "public", reviewState: "in_review", approval: { approvalId: expect.stringMatching(/^apr_/), status: "pending" } });
  return v;
}

describe("public publish", () => {
  test("lands in review with an admin approval created in the same transaction; approving it lists the capability", async () => {
    const slug = await createCapability(owner);
    const v = await publishPublic(owner, slug);
    expect(v.approval).toMatchObject({ securityLevel: "SAFE", links: { self: `/api/approvals/${v.approval.approvalId}` } });
    const a = await approval(v.approval.approvalId);
    expect(a).toMatchObject({ kind: "publish", status: "pending", approver: "admin", reasonCode: "publish_public", capabilitySlug: slug, version: "1.0.0", requesterUserId: owner.id, agentId: null });
    expect((a.request as Json).display).toMatchObject({ visibility: "public", permissions: ["compute.light"], details: { version: "1.0.0", changelog: "First." } });
    const [row] = await t.db.$queryRawUnsafe<{ same: boolean }[]>(
      `SELECT (SELECT xmin FROM approvals WHERE id = $1)::text = (SELECT xmin FROM capability_versions WHERE id = $2)::text AS same`,
      a.id,
      v.id,
    );
    expect(row!.same).toBe(true);
    expect((await policyEvents(slug)).map((e) => [e.data.what, e.data.decision, e.data.reasonCode, e.data.approvalId])).toEqual([["publish", "require_approval", "publish_public", a.id]]);
    expect(await isListed(slug)).toBe(false);

    // Members cannot decide a publish, not even with the setting on.
    await expect(decide(a.id, "approve", other)).rejects.toMatchObject({ code: expect.stringMatching(/not_found|forbidden/) });
    await decide(a.id, "approve", admin, "good to go");
    const done = await approval(a.id);
    expect(done).toMatchObject({ status: "approved", outcome: { ok: true, versionId: v.id } });
    expect(await versionRow(slug)).toMatchObject({ reviewState: "approved", reviewedById: admin.id });
    expect(await isListed(slug)).toBe(true);
    const decided = await t.db.$queryRawUnsafe<{ data: Json; correlation_id: string; actor_id: string }[]>(
      `SELECT data, correlation_id, actor_id FROM events WHERE type = 'capability.review_decided' AND subject_id = $1`,
      v.id,
    );
    expect(decided.map((e) => [e.data.decision, e.correlation_id, e.actor_id])).toEqual([["approved", a.correlationId, admin.id]]);
  });

  test("denying the approval rejects the review with the comment; the version stays out of the marketplace", async () => {
    const slug = await createCapability(owner);
    const v = await publishPublic(owner, slug);
    await decide(v.approval.approvalId, "deny", admin, "the description promises too much");
    expect(await approval(v.approval.approvalId)).toMatchObject({ status: "denied", decisionComment: "the description promises too much" });
    expect(await versionRow(slug)).toMatchObject({ reviewState: "rejected", reviewComment: "the description promises too much", reviewedById: admin.id });
    expect(await isListed(slug)).toBe(false);
    // The review endpoint agrees: nothing left to decide.
    expect((await review(admin, slug, "1.0.0", { decision: "approve" })).status).toBe(409);
  });

  test("approving through the review endpoint closes the approval (approval.decided), and the inbox then answers 409", async () => {
    const slug = await createCapability(owner);
    const v = await publishPublic(owner, slug);
    const id = v.approval.approvalId;
    await body(await review(admin, slug, "1.0.0", { decision: "approve", comment: "Looks fine." }), 200);
    expect(await approval(id)).toMatchObject({ status: "approved", decidedById: admin.id, decisionComment: "Looks fine.", outcome: { ok: true } });
    const decided = await eventsOfType("approval.decided", id);
    expect(decided.map((e) => [e.data.decision, e.data.status, e.actor_id, e.correlation_id])).toEqual([["approve", "approved", admin.id, v.approval.correlationId]]);
    await expect(decide(id, "deny", otherAdmin, "too late")).rejects.toMatchObject({ code: "conflict" });
    expect(await versionRow(slug)).toMatchObject({ reviewState: "approved" });
  });

  test("rejecting through the review endpoint denies the approval with the comment", async () => {
    const slug = await createCapability(owner);
    const v = await publishPublic(owner, slug);
    await body(await review(admin, slug, "1.0.0", { decision: "reject", comment: "Missing a licence." }), 200);
    expect(await approval(v.approval.approvalId)).toMatchObject({ status: "denied", decisionComment: "Missing a licence." });
    expect((await eventsOfType("approval.decided", v.approval.approvalId)).map((e) => e.data.status)).toEqual(["denied"]);
  });

  test("an admin's own public publish needs an admin approval too; they may approve their own unless it is DANGEROUS", async () => {
    const slug = await createCapability(admin);
    const v = await publishPublic(admin, slug);
    await decide(v.approval.approvalId, "approve", admin);
    expect(await versionRow(slug)).toMatchObject({ reviewState: "approved" });

    const crm = await createCapability(admin, { permissions: ["integration.crm"], allowed_domains: ["crm.example.com"] });
    const d = await publishPublic(admin, crm);
    expect(d.approval.securityLevel).toBe("DANGEROUS");
    await expect(decide(d.approval.approvalId, "approve", admin)).rejects.toMatchObject({ code: "forbidden" });
    // Not through the review endpoint either.
    const own = await review(admin, crm, "1.0.0", { decision: "approve" });
    expect(own.status).toBe(403);
    expect(await versionRow(crm)).toMatchObject({ reviewState: "in_review" });
    await decide(d.approval.approvalId, "approve", otherAdmin);
    expect(await versionRow(crm)).toMatchObject({ reviewState: "approved", reviewedById: otherAdmin.id });
  });
});

describe("private publish, kill switch, built-ins", () => {
  test("a private publish is allowed (publish_private) and evented, with no approval", async () => {
    const slug = await createCapability(owner);
    const v = await body(await publish(owner, slug, { changelog: "First.", visibility: "private" }), 201);
    expect(v).toMatchObject({ visibility: "private", reviewState: "not_required" });
    expect(v.approval).toBeUndefined();
    expect((await policyEvents(slug)).map((e) => [e.data.decision, e.data.reasonCode])).toEqual([["allow", "publish_private"]]);
    expect(await t.db.approval.count({ where: { capabilitySlug: slug } })).toBe(0);
  });

  test("with the kill switch on, publishing a capability that writes outside is 403 policy_denied: no version, the denial evented", async () => {
    const slug = await createCapability(owner, { permissions: ["network.http.post"], allowed_domains: ["hooks.example.com"] });
    await setKillSwitch(t.db, { on: true, actor: { type: "user", id: admin.id } });
    try {
      const problem = await body(await publish(owner, slug, { changelog: "First.", visibility: "public" }), 403);
      expect(problem.code).toBe("policy_denied");
      expect(problem.detail).toMatch(/kill switch/);
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
    expect(await t.db.capabilityVersion.count({ where: { capability: { slug } } })).toBe(0);
    expect(await t.db.approval.count({ where: { capabilitySlug: slug } })).toBe(0);
    expect((await policyEvents(slug)).map((e) => [e.data.decision, e.data.reasonCode])).toEqual([["deny", "kill_switch"]]);
  });

  test("the product's built-ins still publish public and approved, with no approval", async () => {
    await ensureBuiltinCapabilities(t.db, owner.id);
    const v = await t.db.capabilityVersion.findFirstOrThrow({ where: { capability: { slug: "preview" } } });
    expect(v).toMatchObject({ visibility: "public", reviewState: "approved" });
    expect(await t.db.approval.count({ where: { kind: "publish", capabilitySlug: "preview" } })).toBe(0);
  });
});

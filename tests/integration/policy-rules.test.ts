// The organisation's rules store and its routes on a real database: versions, 422 with
// every error's path (from YAML and from JSON), 409 on a stale expectedVersion, concurrent
// saves that neither collide nor get lost, policy.rule_changed with added / removed /
// changed ids in the same transaction, pg_notify, who may read and who may write, the
// version history, and insertRule (how an accepted trust recommendation lands).
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getRuleSet, getRulesVersion, insertRule, POLICY_CHANGED_CHANNEL, saveRuleSet } from "../../lib/policy/rule-store";
import { parseRulesYaml } from "../../lib/policy/rules";
import { bearer, call, makeToken, makeUser, ORIGIN, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { asUser } from "./helpers/registry-factory";

let t: TestDatabase;
let rulesRoute: typeof import("../../app/api/policy/rules/route");
let versionsRoute: typeof import("../../app/api/policy/rules/versions/route");
let versionRoute: typeof import("../../app/api/policy/rules/versions/[version]/route");
let admin: Awaited<ReturnType<typeof makeUser>>;
let adminHeaders: Record<string, string>;
let memberHeaders: Record<string, string>;
let listener: pg.Client;
const notified: string[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  rulesRoute = await import("../../app/api/policy/rules/route");
  versionsRoute = await import("../../app/api/policy/rules/versions/route");
  versionRoute = await import("../../app/api/policy/rules/versions/[version]/route");
  admin = await makeUser(t, "admin");
  adminHeaders = await asUser(admin);
  memberHeaders = await asUser(await makeUser(t, "member"));
  listener = await t.ownerClient();
  listener.on("notification", (n) => {
    if (n.channel !== POLICY_CHANGED_CHANNEL) return;
    notified.push(n.payload ?? "");
    waiters.splice(0).forEach((w) => w());
  });
  await listener.query(`LISTEN ${POLICY_CHANGED_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
  await t?.drop();
});

/** Resolves once `count` notifications have arrived in total. */
async function notifications(count: number): Promise<string[]> {
  while (notified.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  return notified.slice(0, count);
}

const put = (headers: Record<string, string>, json: unknown) => call(rulesRoute.PUT, { method: "PUT", path: "/api/policy/rules", headers: { ...headers, origin: ORIGIN }, json });
const get = (headers: Record<string, string>) => call(rulesRoute.GET, { path: "/api/policy/rules", headers });
const versions = (headers: Record<string, string>, qs = "") => call(versionsRoute.GET, { path: `/api/policy/rules/versions${qs}`, headers });
const version = (headers: Record<string, string>, v: string) => call(versionRoute.GET, { path: `/api/policy/rules/versions/${v}`, headers, params: { version: v } });

interface ChangedEvent {
  version: number;
  previousVersion: number | null;
  ruleCount: number;
  added: string[];
  removed: string[];
  changed: string[];
  via: string;
  comment: string | null;
}
async function changedEvents(): Promise<{ data: ChangedEvent; actor_id: string | null; stream_type: string; stream_id: string }[]> {
  return t.db.$queryRawUnsafe(`SELECT data, actor_id, stream_type, stream_id FROM events WHERE type = 'policy.rule_changed' ORDER BY seq`);
}
const rowCount = () => t.db.policyRuleSet.count();

const FIRST_YAML = `# Our rules
rules:
  - id: crm-admin
    description: CRM writes need an admin
    match: { permission: integration.crm }
    effect: require_approval
    approver: admin
  # Chat bots may post.
  - id: slack-ok
    match:
      capability: slack-*
      risk: [medium, high]
      domainsWithin: ["*.slack.com"]
    effect: allow
`;

describe("in order, on one database", () => {
  test("before any save: version 0, no rules, YAML of an empty set; getRulesVersion says 0", async () => {
    const res = await get(memberHeaders);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: 0, rules: [], source: null, yaml: "rules: []\n", comment: null, createdAt: null, createdBy: null, author: null });
    expect(await getRulesVersion(t.db)).toBe(0);
    expect((await (await versions(memberHeaders)).json()).items).toEqual([]);
  });

  test("an admin saves YAML: version 1 keeps the text, one event, one notification", async () => {
    const res = await put(adminHeaders, { yaml: FIRST_YAML, comment: "  first rules  ", expectedVersion: 0 });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ version: 1, source: FIRST_YAML, yaml: FIRST_YAML, comment: "first rules", createdBy: admin.id, author: { id: admin.id, email: admin.email, name: admin.name } });
    expect(body.rules.map((r: { id: string }) => r.id)).toEqual(["crm-admin", "slack-ok"]);
    // Stored normalised: single values as lists.
    expect(body.rules[1].match).toEqual({ capability: ["slack-*"], risk: ["medium", "high"], domainsWithin: ["*.slack.com"] });
    expect(await getRulesVersion(t.db)).toBe(1);
    const events = await changedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: admin.id, stream_type: "policy", stream_id: "org" });
    expect(events[0]!.data).toEqual({ version: 1, previousVersion: null, ruleCount: 2, added: ["crm-admin", "slack-ok"], removed: [], changed: [], via: "yaml", comment: "first rules" });
    expect(await notifications(1)).toEqual(["1"]);
  });

  test("invalid YAML content is a 422 naming every error's path, and nothing is written", async () => {
    const bad = `rules:
  - id: one
    match: { risk: [high, extreme], permission: integration.nope }
    effect: maybe
  - id: one
    match: {}
    effect: allow
    approver: admin
`;
    const res = await put(adminHeaders, { yaml: bad });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(["rules[0].effect", "rules[0].match.permission[0]", "rules[0].match.risk[1]", "rules[1].approver", "rules[1].id"]);
    const syntax = await put(adminHeaders, { yaml: "rules:\n  - id: a\n    match: {\n" });
    expect(syntax.status).toBe(422);
    expect((await syntax.json()).errors[0].path).toMatch(/^\(line \d+, column \d+\)$/);
    expect(await rowCount()).toBe(1);
    expect(await changedEvents()).toHaveLength(1);
  });

  test("invalid rules sent as JSON are a 422 with the same paths; yaml and rules together or neither are 422 too", async () => {
    const res = await put(adminHeaders, {
      rules: [
        { id: "ok", match: {}, effect: "deny" },
        { id: "bad id!", match: { what: "launch", capability: "Not A Slug" }, effect: "allow" },
        { id: "ok", match: { extra: 1 }, effect: "deny" },
      ],
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(["rules[1].id", "rules[1].match.capability[0]", "rules[1].match.what[0]", "rules[2].id", "rules[2].match"]);
    const both = await put(adminHeaders, { yaml: "rules: []", rules: [] });
    expect(both.status).toBe(422);
    expect((await both.json()).errors).toEqual([{ path: "rules", message: expect.stringContaining("not both") }]);
    const neither = await put(adminHeaders, { comment: "nothing" });
    expect(neither.status).toBe(422);
    expect((await neither.json()).errors[0].path).toBe("yaml");
    const notAList = await put(adminHeaders, { rules: { id: "x" } });
    expect(notAList.status).toBe(422);
    expect((await notAList.json()).errors[0].path).toBe("rules");
    expect(await rowCount()).toBe(1);
  });

  test("a stale expectedVersion is a 409 and writes nothing; the current one saves", async () => {
    const stale = await put(adminHeaders, { rules: [], expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect((await stale.json()).detail).toContain("version 1 is in force");
    expect(await rowCount()).toBe(1);
    const ahead = await put(adminHeaders, { rules: [], expectedVersion: 7 });
    expect(ahead.status).toBe(409);
  });

  test("a save from the form stores YAML that keeps the comments of untouched rules; the event names added, removed and changed", async () => {
    const current = await (await get(adminHeaders)).json();
    const slack = current.rules[1];
    const res = await put(adminHeaders, {
      rules: [{ id: "publish-review", match: { what: "publish" }, effect: "require_approval" }, { ...slack, effect: "deny" }, { id: "catch-all", match: {}, effect: "deny" }],
      comment: "form edit",
      expectedVersion: 1,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.version).toBe(2);
    expect(body.source).toBe(body.yaml);
    expect(body.source).toContain("# Our rules");
    expect(parseRulesYaml(body.source)).toEqual({ rules: body.rules, errors: [] });
    const events = await changedEvents();
    expect(events.at(-1)!.data).toEqual({ version: 2, previousVersion: 1, ruleCount: 3, added: ["publish-review", "catch-all"], removed: ["crm-admin"], changed: ["slack-ok"], via: "form", comment: "form edit" });
    expect(await notifications(2)).toEqual(["1", "2"]);
  });

  test("saving what is already in force writes nothing", async () => {
    const current = await (await get(adminHeaders)).json();
    const res = await put(adminHeaders, { rules: current.rules, expectedVersion: 2 });
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe(2);
    const sameText = await put(adminHeaders, { yaml: current.yaml });
    expect((await sameText.json()).version).toBe(2);
    expect(await rowCount()).toBe(2);
    expect(await changedEvents()).toHaveLength(2);
  });

  test("two concurrent saves become two consecutive versions, none lost; two that edited the same version: one wins, one 409", async () => {
    const [a, b] = await Promise.all([
      put(adminHeaders, { rules: [{ id: "a", match: {}, effect: "deny" }], comment: "A" }),
      put(adminHeaders, { rules: [{ id: "b", match: {}, effect: "allow" }], comment: "B" }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const got = [(await a.json()).version, (await b.json()).version].sort();
    expect(got).toEqual([3, 4]);
    const rows = await t.db.policyRuleSet.findMany({ where: { version: { in: [3, 4] } }, orderBy: { version: "asc" } });
    expect(rows.map((r) => r.comment).sort()).toEqual(["A", "B"]);
    // Each event's previousVersion is the version saved just before it: nothing skipped.
    const evs = (await changedEvents()).slice(-2).map((e) => [e.data.previousVersion, e.data.version]);
    expect(evs).toEqual([
      [2, 3],
      [3, 4],
    ]);

    const race = await Promise.all([
      put(adminHeaders, { rules: [{ id: "x", match: {}, effect: "deny" }], expectedVersion: 4 }),
      put(adminHeaders, { rules: [{ id: "y", match: {}, effect: "deny" }], expectedVersion: 4 }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await getRulesVersion(t.db)).toBe(5);
    expect(await rowCount()).toBe(5);
    expect(await notifications(5)).toEqual(["1", "2", expect.any(String), expect.any(String), "5"]);
  });

  test("members and tokens with approvals:read read the rules; only admins write (members 403, tokens without the scope 403)", async () => {
    expect((await put(memberHeaders, { rules: [] })).status).toBe(403);
    expect((await get(memberHeaders)).status).toBe(200);
    const member = await makeUser(t, "member");
    const reader = await makeToken(t, member, ["approvals:read"]);
    const res = await get(bearer(reader.token));
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe(5);
    const noScope = await makeToken(t, member, ["events:read"]);
    expect((await get(bearer(noScope.token))).status).toBe(403);
    expect((await get({})).status).toBe(401);
    const adminToken = await makeToken(t, admin, ["approvals:read"]);
    expect((await put(bearer(adminToken.token), { rules: [] })).status).toBe(403);
    expect(await rowCount()).toBe(5);
  });

  test("the history lists versions newest first, pages by cursor, and serves each version; unknown 404, not a number 422", async () => {
    const all = await (await versions(memberHeaders)).json();
    expect(all.items.map((i: { version: number }) => i.version)).toEqual([5, 4, 3, 2, 1]);
    expect(all.items.at(-1)).toMatchObject({ version: 1, ruleCount: 2, comment: "first rules", createdBy: admin.id, author: { email: admin.email } });
    expect(all.nextCursor).toBeNull();
    const first = await (await versions(memberHeaders, "?limit=2")).json();
    expect(first.items.map((i: { version: number }) => i.version)).toEqual([5, 4]);
    const second = await (await versions(memberHeaders, `?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { version: number }) => i.version)).toEqual([3, 2]);
    expect((await versions(memberHeaders, "?cursor=garbage")).status).toBe(400);

    const v1 = await version(memberHeaders, "1");
    expect(v1.status).toBe(200);
    expect(await v1.json()).toMatchObject({ version: 1, yaml: FIRST_YAML, comment: "first rules" });
    expect((await version(memberHeaders, "99")).status).toBe(404);
    const nan = await version(memberHeaders, "abc");
    expect(nan.status).toBe(422);
    expect((await nan.json()).errors[0].path).toBe("version");
    expect((await version(memberHeaders, "1.5")).status).toBe(422);
  });

  test("restoring an old version saves its YAML as a new version", async () => {
    const v1 = await (await version(adminHeaders, "1")).json();
    const res = await put(adminHeaders, { yaml: v1.yaml, comment: "Restore version 1", expectedVersion: 5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 6, rules: v1.rules, source: FIRST_YAML });
  });
});

describe("insertRule", () => {
  const actor = () => ({ type: "user" as const, id: admin.id });
  const trusted = { id: "trust-1", match: { what: ["invoke" as const], agent: ["agt_1"], capability: ["slack-post"] }, effect: "allow" as const };

  test("inserts before the named rule, at the top when it is absent or unknown, and replaces a rule with the same id", async () => {
    // In force: crm-admin, slack-ok (version 6).
    const a = await insertRule(t.db, { rule: trusted, before: "slack-ok", via: "trust", comment: "accepted", actor: actor() });
    expect(a.version).toBe(7);
    expect(a.rules.map((r) => r.id)).toEqual(["crm-admin", "trust-1", "slack-ok"]);
    expect(a.yaml).toContain("# Chat bots may post.");
    expect(parseRulesYaml(a.yaml).rules).toEqual(a.rules);
    const ev = (await changedEvents()).at(-1)!.data;
    expect(ev).toMatchObject({ version: 7, previousVersion: 6, added: ["trust-1"], removed: [], changed: [], via: "trust", comment: "accepted" });

    const b = await insertRule(t.db, { rule: { ...trusted, match: { ...trusted.match, agent: ["agt_2"] } }, before: "no-such-rule", via: "trust", comment: null, actor: actor() });
    expect(b.rules.map((r) => r.id)).toEqual(["trust-1", "crm-admin", "slack-ok"]);
    expect(b.rules[0]!.match.agent).toEqual(["agt_2"]);
    expect((await changedEvents()).at(-1)!.data).toMatchObject({ added: [], removed: [], changed: ["trust-1"] });

    const c = await insertRule(t.db, { rule: { id: "top", match: {}, effect: "deny" }, via: "form", comment: null, actor: actor() });
    expect(c.rules.map((r) => r.id)).toEqual(["top", "trust-1", "crm-admin", "slack-ok"]);
    expect((await getRuleSet(t.db)).version).toBe(c.version);
  });

  test("an invalid rule is a 422 and writes nothing", async () => {
    const before = await getRulesVersion(t.db);
    await expect(insertRule(t.db, { rule: { id: "bad", match: { risk: ["extreme"] }, effect: "allow" } as never, via: "trust", comment: null, actor: actor() })).rejects.toMatchObject({
      code: "validation_failed",
      errors: [{ path: "rules[0].match.risk[0]" }],
    });
    expect(await getRulesVersion(t.db)).toBe(before);
  });

  test("saveRuleSet called directly: via and expectedVersion", async () => {
    const current = await getRulesVersion(t.db);
    await expect(saveRuleSet(t.db, { rules: [], expectedVersion: current - 1, actor: actor() })).rejects.toMatchObject({ code: "conflict" });
    const saved = await saveRuleSet(t.db, { rules: [], via: "form", expectedVersion: current, actor: actor() });
    expect(saved).toMatchObject({ version: current + 1, rules: [] });
    // The document's own comment stays; the list is empty.
    expect(saved.yaml).toBe("# Our rules\nrules: []\n");
    expect((await changedEvents()).at(-1)!.data).toMatchObject({ version: current + 1, via: "form", ruleCount: 0, removed: ["top", "trust-1", "crm-admin", "slack-ok"] });
  });
});

// Authentication and authorization from the outside: each refusal has the right status
// and changes nothing (no row, no event).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashToken } from "../../lib/auth/api-tokens";
import { LOGIN_LIMITS, signIn } from "../../lib/auth/sign-in";
import { getSettings } from "../../lib/settings/settings";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, ORIGIN, sessionCookie, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let routes: {
  tokens: typeof import("../../app/api/tokens/route");
  token: typeof import("../../app/api/tokens/[id]/route");
  settings: typeof import("../../app/api/settings/route");
  users: typeof import("../../app/api/users/route");
  events: typeof import("../../app/api/events/route");
  auth: typeof import("../../app/api/auth/[...nextauth]/route");
  signup: typeof import("../../app/api/signup/route");
};

async function eventCount(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return Number(r!.n);
}

async function tokenCount(): Promise<number> {
  return t.db.apiToken.count();
}

/** Runs `act` and asserts that neither events nor tokens nor settings changed. */
async function expectNoChange(act: () => Promise<Response>, status: number): Promise<Response> {
  const before = { events: await eventCount(), tokens: await tokenCount(), settings: await getSettings(t.db) };
  const res = await act();
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect({ events: await eventCount(), tokens: await tokenCount(), settings: await getSettings(t.db) }).toEqual(before);
  return res;
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = {
    tokens: await import("../../app/api/tokens/route"),
    token: await import("../../app/api/tokens/[id]/route"),
    settings: await import("../../app/api/settings/route"),
    users: await import("../../app/api/users/route"),
    events: await import("../../app/api/events/route"),
    auth: await import("../../app/api/auth/[...nextauth]/route"),
    signup: await import("../../app/api/signup/route"),
  };
});
afterAll(() => t.drop());

describe("passwords and sign-in limits", () => {
  test("a wrong password signs nobody in and records a security event", async () => {
    const user = await makeUser(t);
    expect(await signIn(t.db, { email: user.email, password: "not-the-password", ip: "10.0.0.1" })).toBeNull();
    const [e] = await t.db.$queryRawUnsafe<{ type: string; severity: string; data: { reason: string } }[]>(
      `SELECT type, severity, data FROM events ORDER BY seq DESC LIMIT 1`,
    );
    expect(e).toMatchObject({ type: "user.sign_in_failed", severity: "security", data: { reason: "bad_credentials" } });
    expect(await signIn(t.db, { email: user.email, password: user.password, ip: "10.0.0.1" })).toMatchObject({ id: user.id });
  });

  test("an unknown email fails the same way as a wrong password", async () => {
    expect(await signIn(t.db, { email: "nobody@example.com", password: "whatever-123", ip: "10.0.0.2" })).toBeNull();
  });

  test(`after ${LOGIN_LIMITS.account.limit} failures the account gets 429 with Retry-After, even with the right password`, async () => {
    const user = await makeUser(t);
    for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
      expect(await signIn(t.db, { email: user.email, password: `wrong-${i}`, ip: `10.1.0.${i}` })).toBeNull();
    }
    await expect(signIn(t.db, { email: user.email, password: user.password, ip: "10.1.1.1" })).rejects.toMatchObject({ code: "rate_limited" });
    // The sign-in route answers 429 before next-auth runs.
    const res = await call(routes.auth.POST as never, {
      method: "POST",
      path: "/api/auth/callback/credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-capreg-client-ip": "10.1.1.2" },
      body: new URLSearchParams({ email: user.email, password: user.password, csrfToken: "x" }).toString(),
      params: { nextauth: ["callback", "credentials"] },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // The limit is stored in Postgres, so every instance sees it.
    const bucket = await t.db.rateLimitBucket.findUnique({ where: { key: `login:account:${user.email}` } });
    expect(bucket?.count).toBe(LOGIN_LIMITS.account.limit);
  });

  test(`one IP failing across many accounts is limited after ${LOGIN_LIMITS.ip.limit} failures`, async () => {
    for (let i = 0; i < LOGIN_LIMITS.ip.limit; i++) await signIn(t.db, { email: `spray${i}@example.com`, password: "guess-guess", ip: "10.9.9.9" });
    await expect(signIn(t.db, { email: "fresh@example.com", password: "guess-guess", ip: "10.9.9.9" })).rejects.toMatchObject({ code: "rate_limited" });
    expect(await signIn(t.db, { email: "fresh@example.com", password: "guess-guess", ip: "10.9.9.10" })).toBeNull();
  });
});

describe("API tokens", () => {
  test("are stored only as a hash and shown once", async () => {
    const user = await makeUser(t);
    const res = await call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie: await sessionCookie(user), origin: ORIGIN }, json: { name: "ci", scopes: ["events:read"] } });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.token).toMatch(/^crk_/);
    const row = await t.db.apiToken.findUnique({ where: { id: created.id }, select: { tokenHash: true } });
    expect(row?.tokenHash).toBe(hashToken(created.token));
    // That token lacks tokens:read, so it may not even list tokens.
    expect((await call(routes.tokens.GET, { path: "/api/tokens", headers: bearer(created.token) })).status).toBe(403);
    const listed = await (await call(routes.tokens.GET, { path: "/api/tokens", headers: { cookie: await sessionCookie(user) } })).json();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.items[0]).toMatchObject({ id: created.id, prefix: created.token.slice(0, 10), revokedAt: null });
    const [ev] = await t.db.$queryRawUnsafe<{ data: unknown }[]>(`SELECT data FROM events WHERE type = 'token.created' AND subject_id = $1`, created.id);
    expect(JSON.stringify(ev!.data)).not.toContain(created.token);
  });

  test("work as bearer and record their last use", async () => {
    const user = await makeUser(t);
    const { token, id } = await makeToken(t, user, ["tokens:read"]);
    const res = await call(routes.tokens.GET, { path: "/api/tokens", headers: bearer(token) });
    expect(res.status).toBe(200);
    const row = await t.db.apiToken.findUnique({ where: { id } });
    expect(row?.lastUsedAt).not.toBeNull();
  });

  test("a revoked token gets 401", async () => {
    const user = await makeUser(t);
    const { token, id } = await makeToken(t, user, ["tokens:read", "tokens:write", "events:write"]);
    const del = await call(routes.token.DELETE, { method: "DELETE", path: `/api/tokens/${id}`, headers: bearer(token), params: { id } });
    expect(del.status).toBe(200);
    expect((await del.json()).revokedAt).not.toBeNull();
    await expectNoChange(() => call(routes.events.POST, { method: "POST", path: "/api/events", headers: bearer(token), json: { data: { message: "hi" } } }), 401);
  });

  test("an expired token gets 401", async () => {
    const user = await makeUser(t);
    const { token, id } = await makeToken(t, user, ["events:write"], 1);
    const owner = await t.ownerClient();
    await owner.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await owner.end();
    await expectNoChange(() => call(routes.events.POST, { method: "POST", path: "/api/events", headers: bearer(token), json: { data: { message: "hi" } } }), 401);
  });

  test("an unknown or malformed bearer gets 401", async () => {
    await expectNoChange(() => call(routes.events.POST, { method: "POST", path: "/api/events", headers: bearer("crk_not-a-real-token"), json: { data: { message: "x" } } }), 401);
    await expectNoChange(() => call(routes.events.POST, { method: "POST", path: "/api/events", headers: { authorization: "Basic abc" }, json: { data: { message: "x" } } }), 401);
  });

  test("a token without the needed scope gets 403", async () => {
    const user = await makeUser(t);
    const { token } = await makeToken(t, user, ["events:read"]);
    const res = await expectNoChange(() => call(routes.events.POST, { method: "POST", path: "/api/events", headers: bearer(token), json: { data: { message: "x" } } }), 403);
    expect((await res.json()).detail).toMatch(/events:write/);
  });

  test("a token cannot mint a token with scopes it does not hold", async () => {
    const user = await makeUser(t);
    const { token } = await makeToken(t, user, ["tokens:write"]);
    const res = await expectNoChange(
      () => call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: bearer(token), json: { name: "escalate", scopes: ["tokens:write", "events:write"] } }),
      403,
    );
    expect((await res.json()).errors).toEqual([{ path: "scopes[1]", message: "not allowed for you: events:write" }]);
  });

  test("a member cannot create a token with the admin scope", async () => {
    const member = await makeUser(t, "member");
    await expectNoChange(
      async () => call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie: await sessionCookie(member), origin: ORIGIN }, json: { name: "x", scopes: ["admin"] } }),
      403,
    );
  });

  test("admin routes refuse a member's token", async () => {
    const member = await makeUser(t, "member");
    const { token } = await makeToken(t, member, ["events:read"]);
    await expectNoChange(() => call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: bearer(token), json: { signupEnabled: false } }), 403);
  });
});

describe("roles", () => {
  test("a member calling an admin route gets 403 and changes nothing", async () => {
    const member = await makeUser(t, "member");
    const cookie = await sessionCookie(member);
    await expectNoChange(() => call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: { cookie, origin: ORIGIN }, json: { signupEnabled: false } }), 403);
    await expectNoChange(() => call(routes.users.GET, { path: "/api/users", headers: { cookie } }), 403);
  });

  test("the role comes from the database, not the cookie: a forged admin claim is still a member", async () => {
    const member = await makeUser(t, "member");
    const cookie = await sessionCookie({ ...member, role: "admin" });
    await expectNoChange(() => call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: { cookie, origin: ORIGIN }, json: { signupEnabled: false } }), 403);
  });

  test("an admin can turn sign-up off, which is evented, and sign-up then gets 403", async () => {
    const admin = await makeUser(t, "admin");
    const res = await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: { cookie: await sessionCookie(admin), origin: ORIGIN }, json: { signupEnabled: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signupEnabled: false, membersMayApproveRestricted: false });
    const [ev] = await t.db.$queryRawUnsafe<{ type: string; data: unknown; actor_id: string }[]>(`SELECT type, data, actor_id FROM events ORDER BY seq DESC LIMIT 1`);
    expect(ev).toEqual({ type: "setting.changed", data: { key: "signupEnabled", from: true, to: false }, actor_id: admin.id });
    await expectNoChange(() => call(routes.signup.POST, { method: "POST", path: "/api/signup", json: { email: "new@example.com", name: "New", password: "long-enough-pw" } }), 403);
    await call(routes.settings.PATCH, { method: "PATCH", path: "/api/settings", headers: { cookie: await sessionCookie(admin), origin: ORIGIN }, json: { signupEnabled: true } });
    const ok = await call(routes.signup.POST, { method: "POST", path: "/api/signup", json: { email: "new@example.com", name: "New", password: "long-enough-pw" } });
    expect(ok.status).toBe(201);
    expect((await ok.json()).role).toBe("member");
  });
});

describe("CSRF", () => {
  test("a cookie-authenticated POST from another origin gets 403 and changes nothing", async () => {
    const user = await makeUser(t);
    const cookie = await sessionCookie(user);
    await expectNoChange(() => call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie, origin: "https://evil.example" }, json: { name: "x", scopes: ["events:read"] } }), 403);
    await expectNoChange(() => call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie }, json: { name: "x", scopes: ["events:read"] } }), 403);
    await expectNoChange(() => call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie, origin: "null" }, json: { name: "x", scopes: ["events:read"] } }), 403);
    const same = await call(routes.tokens.POST, { method: "POST", path: "/api/tokens", headers: { cookie, origin: ORIGIN }, json: { name: "x", scopes: ["events:read"] } });
    expect(same.status).toBe(201);
  });

  test("bearer requests need no Origin", async () => {
    const user = await makeUser(t);
    const { token } = await makeToken(t, user, ["events:write"]);
    const res = await call(routes.events.POST, { method: "POST", path: "/api/events", headers: { ...bearer(token), origin: "https://elsewhere.example" }, json: { data: { message: "from a script" } } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ type: "note.recorded", actor: { type: "user", id: user.id }, data: { message: "from a script" } });
  });
});

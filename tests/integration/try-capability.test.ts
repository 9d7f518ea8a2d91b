// "Try before install" through the real route handler: real Postgres, a real sandbox child
// process per try, and a real local HTTP server for declarative capabilities.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCapability } from "../../lib/registry/create-capability";
import { publishVersion } from "../../lib/registry/publish-version";
import { publishSeedCatalog } from "../../lib/registry/publish-seed-catalog";
import { runTry } from "../../lib/execution/try/run-try";
import { TEST_HOSTS_ENV, TEST_TRUSTED_ADDRESSES_ENV } from "../../lib/execution/try/types";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let route: typeof import("../../app/api/capabilities/[slug]/try/route");
type User = Awaited<ReturnType<typeof makeUser>>;
let owner: User, other: User;
let ownerToken: string, otherToken: string;
let server: http.Server;
let port = 0;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];

async function tryIt(token: string, slug: string, json: unknown) {
  return call(route.POST as Parameters<typeof call>[0], { method: "POST", path: `/api/capabilities/${slug}/try`, params: { slug }, headers: bearer(token), json });
}

async function eventCount(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return Number(r!.n);
}

async function publishAs(user: User, manifest: Record<string, unknown>) {
  await createCapability(t.db, { ownerId: user.id, actor: { type: "user", id: user.id }, source: { manifest }, via: "api" });
  await publishVersion(t.db, { slug: manifest.slug as string, viewer: { userId: user.id, role: user.role }, actor: { type: "user", id: user.id }, input: { changelog: "First." } as never }).catch((e: { errors?: unknown }) => {
    throw new Error(JSON.stringify(e.errors));
  });
}

const codeManifest = (slug: string, source: string, extra: Record<string, unknown> = {}) => ({
  type: "code",
  slug,
  name: `Try ${slug}`,
  version: "1.0.0",
  description: "A capability used by the try tests.",
  category: "utilities",
  permissions: ["compute.light"],
  actions: [{ id: "run", inputs: [{ name: "text", type: "string" }] }],
  source,
  ...extra,
});

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  await publishSeedCatalog(t.db);
  route = await import("../../app/api/capabilities/[slug]/try/route");
  owner = await makeUser(t);
  other = await makeUser(t);
  ownerToken = (await makeToken(t, owner, ["capabilities:read", "capabilities:write"])).token;
  otherToken = (await makeToken(t, other, ["capabilities:read"])).token;

  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ data: { weather: [{ main: "Rain", temp: 11.5 }], city: new URL(req.url ?? "/", "http://x").searchParams.get("q") } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  // The test server is loopback: trusted for this test only. internal.try.test stands for a
  // name that resolves to a private address, and stays untrusted.
  process.env[TEST_HOSTS_ENV] = "api.try.test=127.0.0.1,internal.try.test=10.20.30.40";
  process.env[TEST_TRUSTED_ADDRESSES_ENV] = "127.0.0.1";

  await publishAs(owner, codeManifest("try-loop", "export default { actions: { async run() { while (true) {} } } };"));
  await publishAs(owner, codeManifest("try-throws", "export default { actions: {\n  async run(input) {\n    const x = 1;\n      throw new Error('boom');\n  } } };"));
  await publishAs(owner, codeManifest("try-leaky", "export default { actions: { async run(input, ctx) { console.log('token is ' + ctx.secrets.API_TOKEN); return { echoed: ctx.secrets.API_TOKEN, text: input.text }; } } };", { configuration: [{ key: "API_TOKEN", type: "secret" }] }));
  await publishAs(other, codeManifest("try-private-of-other", "export default { actions: { async run() { return {}; } } };"));
  await publishAs(owner, {
    type: "declarative",
    slug: "try-weather",
    name: "Try weather",
    version: "1.0.0",
    description: "Weather from the test server.",
    category: "utilities",
    permissions: ["network.http.get"],
    allowed_domains: ["api.try.test", "internal.try.test"],
    configuration: [{ key: "API_KEY", type: "secret", required: true }],
    actions: [
      {
        id: "current",
        inputs: [{ name: "city", type: "string", required: true }],
        integration: {
          endpoint: `http://api.try.test:${port}/weather`,
          method: "GET",
          params: { q: "${input.city}" },
          headers: { "X-API-Key": "${secrets.API_KEY}" },
          response_mapping: { condition: "data.weather[0].main", temperature: "data.weather[0].temp", city: "data.city" },
        },
      },
      { id: "metadata", inputs: [], integration: { endpoint: "http://internal.try.test/latest/meta-data", method: "GET" } },
    ],
  });
}, 120_000);

afterAll(async () => {
  delete process.env[TEST_HOSTS_ENV];
  delete process.env[TEST_TRUSTED_ADDRESSES_ENV];
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await t?.drop();
});

describe("try before install", () => {
  test("a seed catalog example runs in the sandbox and matches its expected output; no event", async () => {
    const before = await eventCount();
    const res = await tryIt(ownerToken, "text-utils", { action: "stats", example: 0 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, output: { characters: 36, words: 6, sentences: 2 }, expected: { characters: 36, words: 6, sentences: 2 }, matchesExpected: true });
    expect(body.resources).toMatchObject({ networkCalls: 0 });
    expect(body.resources.wallMs).toBeGreaterThanOrEqual(0);
    expect(await eventCount()).toBe(before);
  });

  test("your own input works, and input is validated against the declared inputs", async () => {
    const res = await tryIt(otherToken, "text-utils", { action: "convertCase", input: { text: "hello big world", to: "kebab" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, output: { text: "hello-big-world" } });
    expect(res.headers.get("x-request-id")).toBeTruthy();

    const bad = await tryIt(otherToken, "text-utils", { action: "convertCase", input: { text: 5, to: "shouty" } });
    expect(bad.status).toBe(422);
    const problem = await bad.json();
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "input.text" }), expect.objectContaining({ path: "input.to" })]));
    const missing = await tryIt(otherToken, "text-utils", { action: "stats", input: {} });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toContainEqual({ path: "input.text", message: "is required" });
  });

  test("a plugin that loops forever comes back timed_out and this process is fine", async () => {
    const started = Date.now();
    const res = await tryIt(ownerToken, "try-loop", { action: "run", input: {} });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe("timed_out");
    expect(Date.now() - started).toBeLessThan(10_000);
    // The web (test) process still works.
    const again = await tryIt(ownerToken, "text-utils", { action: "slugify", example: 1 });
    expect((await again.json()).matchesExpected).toBe(true);
  });

  test("a plugin that throws reports line and column", async () => {
    const res = await tryIt(ownerToken, "try-throws", { action: "run", input: {} });
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, error: { code: "plugin_error", line: 4 } });
    expect(body.error.message).toContain("boom");
    expect(typeof body.error.column).toBe("number");
  });

  test("throwaway secrets are redacted from logs and output", async () => {
    const secret = "sk-throwaway-9f8e7d6c5b4a";
    const res = await tryIt(ownerToken, "try-leaky", { action: "run", input: { text: "hi" }, secrets: { API_TOKEN: secret } });
    const text = await res.text();
    expect(text).not.toContain(secret);
    const body = JSON.parse(text);
    expect(body.ok).toBe(true);
    expect(body.output).toEqual({ echoed: "[REDACTED]", text: "hi" });
    expect(body.logs.join("\n")).toContain("[REDACTED]");
  });

  test("unknown action → 422 on action; another user's private capability → 404", async () => {
    const res = await tryIt(ownerToken, "text-utils", { action: "nope" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toContainEqual({ path: "action", message: expect.stringContaining("unknown action") });
    const hidden = await tryIt(ownerToken, "try-private-of-other", { action: "run" });
    expect(hidden.status).toBe(404);
    const hiddenVersion = await tryIt(ownerToken, "try-private-of-other", { action: "run", version: "1.0.0" });
    expect(hiddenVersion.status).toBe(404);
    const own = await tryIt(otherToken, "try-private-of-other", { action: "run" });
    expect(own.status).toBe(200);
  });

  test("a declarative capability calls the local server with the api key header and maps the JSON", async () => {
    seen.length = 0;
    const key = "key-abcdef-123456";
    const res = await tryIt(ownerToken, "try-weather", { action: "current", input: { city: "Oslo" }, secrets: { API_KEY: key } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toMatchObject({ ok: true, output: { condition: "Rain", temperature: 11.5, city: "Oslo" }, resources: { networkCalls: 1 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["x-api-key"]).toBe(key);
    expect(seen[0]!.url).toBe("/weather?q=Oslo");
  });

  test("a declarative capability pointed at a private address is refused with blocked_address", async () => {
    const res = await tryIt(ownerToken, "try-weather", { action: "metadata" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "blocked_address" } });
  });

  test("30 tries per minute per user, then 429 with Retry-After", async () => {
    const user = await makeUser(t);
    const token = (await makeToken(t, user, ["capabilities:read"])).token;
    for (let i = 0; i < 30; i++) {
      const res = await tryIt(token, "text-utils", { action: "nope" });
      expect(res.status).toBe(422);
    }
    const limited = await tryIt(token, "text-utils", { action: "stats", example: 0 });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test("the parent kills a child that overruns its wall limit, and maps a crash to sandbox_crashed", async () => {
    const job = { manifest: { type: "code", source: "export default { actions: { async run() { while (true) {} } } };", permissions: [] } as never, action: "run", input: {}, config: {}, secrets: {}, timeoutMs: 10_000 };
    const started = Date.now();
    const killed = await runTry(job, { killAfterMs: 1_500 });
    expect(killed).toMatchObject({ ok: false, error: { code: "timed_out" } });
    expect(Date.now() - started).toBeLessThan(5_000);
    const crashed = await runTry(job, { cwd: "/" });
    expect(crashed).toMatchObject({ ok: false, error: { code: "sandbox_crashed" } });
  });

  test("workflows are not tried here; they run once installed", async () => {
    const res = await tryIt(ownerToken, "text-digest", { action: "run", input: { markdown: "# Hi" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "not_supported", message: "workflows run once installed; try their steps' capabilities" } });
  });
});

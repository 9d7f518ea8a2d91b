// POST /api/capabilities/test through the real route handler: real Postgres (auth, scopes,
// rate limit), a real sandbox child process per code/declarative test, a real local HTTP
// server for the declarative draft, and the real workflow engine for compiled visual flows.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileFlow } from "../../lib/builder/flow/compile-flow";
import type { FlowGraphInput } from "../../lib/builder/flow/flow-types";
import { TEST_HOSTS_ENV, TEST_TRUSTED_ADDRESSES_ENV } from "../../lib/execution/try/types";
import { setKillSwitch } from "../../lib/policy/kill-switch";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let route: typeof import("../../app/api/capabilities/test/route");
let token: string, readOnlyToken: string;
let server: http.Server;
let port = 0;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];

async function testIt(json: unknown, tok = token) {
  return call(route.POST as Parameters<typeof call>[0], { method: "POST", path: "/api/capabilities/test", headers: bearer(tok), json });
}

async function eventCount(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM events`);
  return Number(r!.n);
}

const codeDraft = (source: string, extra: Record<string, unknown> = {}) => ({
  type: "code",
  slug: "draft-code",
  name: "Draft code",
  version: "0.1.0",
  permissions: ["compute.light"],
  actions: [{ id: "run", inputs: [{ name: "text", type: "string" }] }],
  source,
  ...extra,
});

const pos = { x: 0, y: 0 };
function converter(expression = "round(input.km * 0.621371 * 100) / 100", field: { name: string; type: string } = { name: "km", type: "number" }): FlowGraphInput {
  return {
    nodes: [
      { id: "in", type: "input", position: pos, data: { fields: [{ ...field, required: true }] } },
      { id: "calc", type: "transform", position: pos, data: { mappings: [{ target: "miles", expression }] } },
      { id: "out", type: "output", position: pos, data: { fields: [{ name: "miles", type: "number" }] } },
    ],
    edges: [
      { id: "e1", source: "in", target: "calc" },
      { id: "e2", source: "calc", target: "out" },
    ],
  } as FlowGraphInput;
}
const meta = { slug: "km-to-miles", name: "Km to miles", version: "0.1.0", actionId: "convert" };

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  route = await import("../../app/api/capabilities/test/route");
  const user = await makeUser(t);
  token = (await makeToken(t, user, ["capabilities:read", "capabilities:write"])).token;
  readOnlyToken = (await makeToken(t, user, ["capabilities:read"])).token;

  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ data: { temp: 11.5, city: new URL(req.url ?? "/", "http://x").searchParams.get("q") } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  // Loopback is trusted for this test only, under a name the draft may reach.
  process.env[TEST_HOSTS_ENV] = "api.draft.test=127.0.0.1";
  process.env[TEST_TRUSTED_ADDRESSES_ENV] = "127.0.0.1";
}, 120_000);

afterAll(async () => {
  delete process.env[TEST_HOSTS_ENV];
  delete process.env[TEST_TRUSTED_ADDRESSES_ENV];
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await t?.drop();
});

describe("POST /api/capabilities/test: code drafts", () => {
  test("a code draft runs in the sandbox and returns its output, logs and resources; nothing is stored", async () => {
    const before = await eventCount();
    const res = await testIt({
      manifest: codeDraft("export default { actions: { async run(input, ctx) { ctx.log('upper', input.text); return { upper: input.text.toUpperCase() }; } } };"),
      action: "run",
      input: { text: "hello" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, output: { upper: "HELLO" }, logs: ["upper hello"], resources: { networkCalls: 0 } });
    expect(body.resources.wallMs).toBeGreaterThan(0);
    expect(body.resources.heapBytes).toBeGreaterThan(0);
    expect(await eventCount()).toBe(before);
    expect(await t.db.capability.count()).toBe(0);
  });

  test("the draft can come as YAML text like an import", async () => {
    const yaml = [
      "type: code",
      "slug: draft-yaml",
      "name: Draft yaml",
      "version: 0.1.0",
      "actions:",
      "  - id: run",
      "    inputs: { n: number }",
      "source: |",
      "  export default { actions: { async run(input) { return { twice: input.n * 2 }; } } };",
    ].join("\n");
    const res = await testIt({ source: { filename: "draft.yaml", content: yaml }, action: "run", input: { n: 21 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, output: { twice: 42 } });
    const broken = await testIt({ source: { filename: "draft.yaml", content: "type: code\nslug: [" }, action: "run" });
    expect(broken.status).toBe(422);
    expect((await broken.json()).errors[0]).toMatchObject({ path: "source.content", message: expect.stringContaining("line") });
    const wrongKind = await testIt({ source: { filename: "draft.txt", content: yaml }, action: "run" });
    expect(wrongKind.status).toBe(415);
    expect((await wrongKind.json()).errors).toContainEqual(expect.objectContaining({ path: "source.filename" }));
  });

  test("a syntax error comes back with its line and column in the source", async () => {
    const source = "export default { actions: {\n  async run(input) {\n    const x = ;\n    return x;\n  } } };";
    const res = await testIt({ manifest: codeDraft(source), action: "run", input: {} });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(body.error).toMatchObject({ code: "compile_error", line: 3 });
    expect(body.error.column).toBeGreaterThan(0);
  });

  test("a runtime throw comes back with the line and column of the throw", async () => {
    const source = "export default { actions: {\n  async run(input) {\n    const x = 1;\n      throw new Error('boom ' + x);\n  } } };";
    const res = await testIt({ manifest: codeDraft(source), action: "run", input: {} });
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, error: { code: "plugin_error", message: "Error: boom 1", line: 4, column: 13 } });
  });

  test("an example with expected_output reports whether the output matches", async () => {
    const manifest = codeDraft("export default { actions: { async run(input) { return { length: input.text.length }; } } };", {
      examples: [
        { action: "run", input: { text: "four" }, expected_output: { length: 4 } },
        { action: "run", input: { text: "four" }, expected_output: { length: 5 } },
      ],
    });
    const good = await (await testIt({ manifest, action: "run", example: 0 })).json();
    expect(good).toMatchObject({ ok: true, output: { length: 4 }, expected: { length: 4 }, matchesExpected: true });
    const bad = await (await testIt({ manifest, action: "run", example: 1 })).json();
    expect(bad).toMatchObject({ ok: true, output: { length: 4 }, expected: { length: 5 }, matchesExpected: false });
    const missing = await testIt({ manifest, action: "run", example: 5 });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toContainEqual(expect.objectContaining({ path: "example" }));
  });

  test("throwaway secrets are redacted from the output and the logs", async () => {
    const manifest = codeDraft(
      "export default { actions: { async run(input, ctx) { ctx.log('token is ' + ctx.secrets.API_TOKEN); return { echoed: ctx.secrets.API_TOKEN, text: input.text }; } } };",
      { configuration: [{ key: "API_TOKEN", type: "secret" }] },
    );
    const res = await testIt({ manifest, action: "run", input: { text: "hi" }, secrets: { API_TOKEN: "sk-draft-very-secret" } });
    const text = await res.text();
    expect(text).not.toContain("sk-draft-very-secret");
    expect(JSON.parse(text)).toMatchObject({ ok: true, output: { echoed: "[REDACTED]", text: "hi" }, logs: ["token is [REDACTED]"] });
  });
});

describe("POST /api/capabilities/test: visual flows (workflows of built-in steps)", () => {
  test("the compiled unit converter gives 10 km → 6.21 miles, with every step's result", async () => {
    const compiled = compileFlow(converter(), meta);
    expect(compiled.errors).toEqual([]);
    const res = await testIt({ manifest: compiled.manifest, action: "convert", input: { km: 10 } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, output: { miles: 6.21 } });
    expect(body.steps.calc).toMatchObject({ status: "succeeded", output: { miles: 6.21 } });
    expect(body.steps.out).toMatchObject({ status: "succeeded" });
    expect(body.failedStep).toBeUndefined();
  });

  test("a failing transform names the failed step (the node id)", async () => {
    const compiled = compileFlow(converter("round(input.name)", { name: "name", type: "string" }), meta);
    expect(compiled.errors).toEqual([]);
    const body = await (await testIt({ manifest: compiled.manifest, action: "convert", input: { name: "ten" } })).json();
    expect(body).toMatchObject({ ok: false, failedStep: "calc", steps: { calc: { status: "failed", error: { code: "expression_error" } } } });
    expect(body.error.message).toMatch(/round/);
  });

  test("a step calling an installed capability is not_supported and names the step", async () => {
    const manifest = {
      type: "workflow",
      slug: "draft-flow",
      name: "Draft flow",
      version: "0.1.0",
      actions: [{ id: "run", inputs: [] }],
      workflow: { steps: [{ id: "fetch_it", action: "text-utils.stats", inputs: { text: "x" } }] },
    };
    const body = await (await testIt({ manifest, action: "run" })).json();
    expect(body).toMatchObject({ ok: false, error: { code: "not_supported" }, failedStep: "fetch_it" });
    expect(body.error.message).toContain("text-utils.stats");
  });
});

describe("POST /api/capabilities/test: declarative drafts", () => {
  test("a declarative draft calls a real local HTTP server through the guarded fetch; the secret is redacted", async () => {
    const manifest = {
      type: "declarative",
      slug: "draft-weather",
      name: "Draft weather",
      version: "0.1.0",
      permissions: ["network.http.get"],
      allowed_domains: ["api.draft.test"],
      configuration: [{ key: "API_KEY", type: "secret", required: true }],
      actions: [
        {
          id: "current",
          inputs: [{ name: "city", type: "string", required: true }],
          integration: {
            endpoint: `http://api.draft.test:${port}/weather`,
            params: { q: "${input.city}" },
            headers: { "X-API-Key": "${secrets.API_KEY}" },
            response_mapping: { temperature: "data.temp", city: "data.city", key: "data.city" },
          },
        },
      ],
    };
    seen.length = 0;
    const res = await testIt({ manifest, action: "current", input: { city: "Oslo" }, secrets: { API_KEY: "wk-secret-5678" } });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ ok: true, output: { temperature: 11.5, city: "Oslo" }, resources: { networkCalls: 1 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["x-api-key"]).toBe("wk-secret-5678");
    expect(text).not.toContain("wk-secret-5678");
  });
});

describe("POST /api/capabilities/test: refusals", () => {
  test("an invalid manifest → 422 with paths under manifest.", async () => {
    const res = await testIt({ manifest: { ...codeDraft("x"), actions: [{ id: "bad id!" }] }, action: "run" });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.code ?? problem.type).toBeTruthy();
    expect(problem.errors).toContainEqual(expect.objectContaining({ path: "manifest.actions[0].id" }));
  });

  test("neither or both of manifest/source → 422; unknown action → 422; bad input → 422 with paths", async () => {
    expect((await testIt({ action: "run" })).status).toBe(422);
    const both = await testIt({ manifest: codeDraft("x"), source: { filename: "a.yaml", content: "x" }, action: "run" });
    expect(both.status).toBe(422);
    const unknown = await testIt({ manifest: codeDraft("export default { actions: {} };"), action: "nope" });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toContainEqual(expect.objectContaining({ path: "action" }));
    const badInput = await testIt({ manifest: codeDraft("export default { actions: {} };"), action: "run", input: { text: 5 } });
    expect((await badInput.json()).errors).toContainEqual(expect.objectContaining({ path: "input.text" }));
  });

  test("the kill switch refuses a draft that asks for an external write, and nothing else", async () => {
    const admin = await makeUser(t, "admin");
    await setKillSwitch(t.db, { on: true, reason: "incident", actor: { type: "user", id: admin.id } });
    try {
      const writer = await testIt({ manifest: codeDraft("export default { actions: { async run() { return 1; } } };", { permissions: ["data.write"] }), action: "run" });
      expect(writer.status).toBe(403);
      expect((await writer.json()).detail).toMatch(/kill switch/);
      const reader = await testIt({ manifest: codeDraft("export default { actions: { async run() { return 1; } } };"), action: "run" });
      expect(await reader.json()).toMatchObject({ ok: true, output: 1 });
    } finally {
      await setKillSwitch(t.db, { on: false, actor: { type: "user", id: admin.id } });
    }
  });

  test("a token without capabilities:write → 403; no identity → 401", async () => {
    expect((await testIt({ manifest: codeDraft("x"), action: "run" }, readOnlyToken)).status).toBe(403);
    const anon = await call(route.POST as Parameters<typeof call>[0], { method: "POST", path: "/api/capabilities/test", json: { manifest: codeDraft("x"), action: "run" } });
    expect(anon.status).toBe(401);
  });

  test("its own rate limit bucket: the 61st test within a minute is refused with Retry-After", async () => {
    const user = await makeUser(t);
    const own = (await makeToken(t, user, ["capabilities:write"])).token;
    const body = { manifest: codeDraft("export default { actions: {} };"), action: "nope" };
    for (let i = 0; i < 60; i++) expect((await testIt(body, own)).status).toBe(422);
    const refused = await testIt(body, own);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

// POST /api/agents/:id/invoke end to end: the real route handler in this process, a real
// executor (startExecutor) running real isolates and the real connector against a local
// HTTP server, one real Postgres. Covers the round trip with a token and with a session,
// every refusal (scope, someone else's agent, unknown action, bad input, disabled
// installation, withheld permission, no executor), failed executions answered 200, the
// 202 path, and the correlation id on the row, its events and the outbound request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { invokeAction } from "../../lib/execution/invoke/invoke-action";
import { metrics } from "../../lib/metrics";
import { call, makeToken, makeUser } from "./helpers/app";
import { asUser } from "./helpers/registry-factory";
import { codeCapability, installCapability, invoke, setUpInvokeWorld, uniqueSlug, type InvokeWorld } from "./invoke-setup";
import { bearer } from "./helpers/app";

let w: InvokeWorld;
let server: http.Server;
let port = 0;
const hits: { url: string; headers: http.IncomingHttpHeaders }[] = [];

let adder: Awaited<ReturnType<typeof installCapability>>;
let token: { token: string; id: string };

const ADDER_ACTIONS = [
  {
    id: "add",
    body: "      return { sum: input.a + input.b };",
    inputs: [
      { name: "a", type: "number", required: true },
      { name: "b", type: "integer", default: 1 },
      { name: "mode", type: "string", enum: ["fast", "slow"] },
    ],
    outputs: [{ name: "sum", type: "number", required: true }],
  },
  { id: "wrong", body: "      return { sum: 'not a number' };", outputs: [{ name: "sum", type: "number", required: true }] },
  { id: "boom", body: "      const x = 1;\n      throw new Error('kaput ' + x);" },
  { id: "slow", body: "      const end = Date.now() + 600; while (Date.now() < end) {}\n      return { done: true };" },
];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", headers: req.headers });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ echoed: req.url, value: 42 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  w = await setUpInvokeWorld({ env: { CAPREG_TRY_TEST_HOSTS: "api.invoke.test=127.0.0.1", CAPREG_TRY_TEST_TRUSTED_ADDRESSES: "127.0.0.1" } });
  adder = await installCapability(w, codeCapability(uniqueSlug("adder"), ADDER_ACTIONS));
  token = await makeToken(w.t, w.owner, ["agents:invoke"]);
});

afterAll(async () => {
  await w?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const addBody = (a: number, extra: Record<string, unknown> = {}) => ({ action: `${adder.slug}.add`, input: { a, ...extra } });

describe("round trip", () => {
  test("with a bearer token: 200, the output, the row, the correlation id and the metrics", async () => {
    const outcomes = async () => (await metrics.executionOutcomes.get()).values.find((v) => v.labels.capability === adder.slug && v.labels.status === "succeeded")?.value ?? 0;
    const durations = async () => (await metrics.executionDuration.get()).values.find((v) => v.metricName?.endsWith("_count") && v.labels.capability === adder.slug && v.labels.status === "succeeded")?.value ?? 0;
    const [o0, d0] = [await outcomes(), await durations()];
    const r = await invoke(w, adder.agentId, bearer(token.token), addBody(41));
    expect([await outcomes(), await durations()]).toEqual([o0 + 1, d0 + 1]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: "succeeded", output: { sum: 42 }, links: { self: `/api/executions/${r.body.executionId}` } });
    expect(r.body.executionId).toMatch(/^exe_/);
    expect(r.body.correlationId).toMatch(/^cor_/);
    expect(r.headers.get("x-correlation-id")).toBe(r.body.correlationId);
    expect(typeof r.body.durationMs).toBe("number");
    expect(r.body.error).toBeUndefined();
    const row = await w.t.db.execution.findUniqueOrThrow({ where: { id: r.body.executionId } });
    expect(row).toMatchObject({
      status: "succeeded",
      agentId: adder.agentId,
      installationId: adder.installationId,
      capabilitySlug: adder.slug,
      action: "add",
      kind: "code",
      tokenId: token.id,
      actorType: "user",
      actorId: w.owner.id,
      correlationId: r.body.correlationId,
      timeoutMs: 1000,
      // The declared default was filled in.
      input: { a: 41, b: 1 },
    });
  });

  test("with a session cookie and Origin: 200; without Origin the CSRF check refuses", async () => {
    const r = await invoke(w, adder.agentId, w.ownerHeaders, addBody(1, { b: 2 }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.output).toEqual({ sum: 3 });
    const row = await w.t.db.execution.findUniqueOrThrow({ where: { id: r.body.executionId } });
    expect(row.tokenId).toBeNull();
    const noOrigin = await invoke(w, adder.agentId, { cookie: w.ownerHeaders.cookie! }, addBody(1));
    expect(noOrigin.status).toBe(403);
  });

  test("an admin may invoke anyone's agent", async () => {
    const admin = await makeUser(w.t, "admin");
    const r = await invoke(w, adder.agentId, bearer((await makeToken(w.t, admin, ["agents:invoke"])).token), addBody(2));
    expect(r.status).toBe(200);
    expect(r.body.output).toEqual({ sum: 3 });
  });
});

describe("refusals", () => {
  test("a token without agents:invoke → 403; no identity → 401", async () => {
    const readOnly = await makeToken(w.t, w.owner, ["agents:read", "agents:write"]);
    const r = await invoke(w, adder.agentId, bearer(readOnly.token), addBody(1));
    expect(r.status).toBe(403);
    expect(r.body.detail).toContain("agents:invoke");
    expect((await invoke(w, adder.agentId, {}, addBody(1))).status).toBe(401);
  });

  test("someone else's agent → 404, the same as an agent that does not exist; nothing is queued", async () => {
    const stranger = await makeUser(w.t);
    const theirs = await makeToken(w.t, stranger, ["agents:invoke"]);
    const before = await w.t.db.execution.count();
    const r = await invoke(w, adder.agentId, bearer(theirs.token), addBody(1));
    expect(r.status).toBe(404);
    const missing = await invoke(w, "agt_doesnotexist0000000000000000", bearer(theirs.token), addBody(1));
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe(r.body.detail);
    expect(await w.t.db.execution.count()).toBe(before);
  });

  test("a capability that is not installed → 404 with a clear message", async () => {
    const r = await invoke(w, adder.agentId, bearer(token.token), { action: "not-installed-here.run", input: {} });
    expect(r.status).toBe(404);
    expect(r.body.detail).toContain('"not-installed-here" is not installed');
  });

  test("an unknown action → 422 path action (naming the actions there are); a malformed reference → 422 path action", async () => {
    const r = await invoke(w, adder.agentId, bearer(token.token), { action: `${adder.slug}.nope`, input: {} });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: "action", message: expect.stringContaining("add") }]);
    const bad = await invoke(w, adder.agentId, bearer(token.token), { action: "no dot here", input: {} });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["action"]);
  });

  test("bad input → 422 with input.x paths for every problem", async () => {
    const r = await invoke(w, adder.agentId, bearer(token.token), { action: `${adder.slug}.add`, input: { b: 1.5, mode: "medium" } });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["input.a", "input.b", "input.mode"]);
    const notObject = await invoke(w, adder.agentId, bearer(token.token), { action: `${adder.slug}.add`, input: [1] });
    expect(notObject.status).toBe(422);
    expect(notObject.body.errors[0].path).toBe("input");
  });

  test("an input larger than 256 KB → 413; nested too deeply → 422; neither is queued", async () => {
    const before = await w.t.db.execution.count();
    const big = await invoke(w, adder.agentId, bearer(token.token), addBody(1, { pad: "x".repeat(300 * 1024) }));
    expect(big.status).toBe(413);
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const nested = await invoke(w, adder.agentId, bearer(token.token), addBody(1, { deep }));
    expect(nested.status).toBe(422);
    expect(nested.body.errors[0].path).toBe("input");
    expect(await w.t.db.execution.count()).toBe(before);
  });

  test("odd but valid JSON never answers 500: __proto__ and constructor keys, NUL, lone surrogates, many keys", async () => {
    const raw = `{"action":"${adder.slug}.add","input":{"a":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"s":"nul\\u0000 and \\ud800 lone","k\\u0000":2}}`;
    const res = await call(w.invokeRoute.POST, { method: "POST", path: `/api/agents/${adder.agentId}/invoke`, headers: { ...bearer(token.token), "content-type": "application/json" }, body: raw, params: { id: adder.agentId } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.output).toEqual({ sum: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const r = await invoke(w, adder.agentId, bearer(token.token), addBody(1, many));
    expect(r.status).toBe(200);
  });

  test("a disabled installation → 409 installation is disabled", async () => {
    const other = await installCapability(w, codeCapability(uniqueSlug("disabled"), [{ id: "run", body: "return 1;" }]));
    const patch = await w.ownerApi.patchInstallation(other.agentId, other.installationId, { enabled: false });
    expect(patch.status, await patch.clone().text()).toBe(200);
    const r = await invoke(w, other.agentId, bearer(token.token), { action: `${other.slug}.run`, input: {} });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain("installation is disabled");
  });

  test("an action that needs a withheld permission → 403 naming it, recorded as a denied execution with its event", async () => {
    const cap = await installCapability(
      w,
      codeCapability(uniqueSlug("withheld"), [{ id: "get", body: "return { ok: true };" }], { permissions: ["compute.light", "network.http.get"], allowed_domains: ["api.invoke.test"] }),
      { grants: ["compute.light"] },
    );
    const r = await invoke(w, cap.agentId, bearer(token.token), { action: `${cap.slug}.get`, input: { q: 1 } });
    expect(r.status).toBe(403);
    expect(r.body.detail).toContain("network.http.get");
    expect(r.body.errors).toEqual([{ path: "permissions", message: "network.http.get is not granted" }]);
    const correlationId = r.headers.get("x-correlation-id")!;
    const row = await w.t.db.execution.findFirstOrThrow({ where: { correlationId } });
    expect(row).toMatchObject({ status: "denied", errorCode: "permission_denied", capabilitySlug: cap.slug, action: "get", input: { q: 1 } });
    expect(r.body.detail).toContain(row.id);
    const events = await w.t.db.$queryRawUnsafe<{ type: string; stream_id: string; subject_id: string; correlation_id: string; data: Record<string, unknown> }[]>(
      `SELECT type, stream_id, subject_id, correlation_id, data FROM events WHERE stream_id = $1 ORDER BY seq`,
      row.id,
    );
    expect(events).toEqual([
      {
        type: "execution.denied",
        stream_id: row.id,
        subject_id: cap.agentId,
        correlation_id: correlationId,
        data: { executionId: row.id, slug: cap.slug, action: "get", reasonCode: "permission_denied", reason: expect.stringContaining("network.http.get") },
      },
    ]);
  });
});

describe("policy gate", () => {
  test("a deny → 403 policy_denied, recorded as a denied execution with its event; the gate saw the validated input", async () => {
    const seen: unknown[] = [];
    const identity = { userId: w.owner.id, role: "member" as const, actor: { type: "user" as const, id: w.owner.id }, via: "token" as const, tokenId: token.id };
    const correlationId = "cor_0000000000cccccccccccccccc";
    const attempt = invokeAction(w.t.db, {
      agentId: adder.agentId,
      identity,
      body: { action: `${adder.slug}.add`, input: { a: 5 } },
      correlationId,
      gate: async (_db, request) => {
        seen.push(request);
        return { decision: "deny", reasonCode: "policy_denied", reason: "adding is not allowed on Sundays" };
      },
    });
    await expect(attempt).rejects.toMatchObject({ code: "policy_denied", message: expect.stringContaining("adding is not allowed on Sundays") });
    expect(seen).toEqual([expect.objectContaining({ agentId: adder.agentId, capabilitySlug: adder.slug, action: "add", via: "token", tokenId: token.id, input: { a: 5, b: 1 } })]);
    const row = await w.t.db.execution.findFirstOrThrow({ where: { correlationId } });
    expect(row).toMatchObject({ status: "denied", errorCode: "policy_denied", tokenId: token.id, input: { a: 5, b: 1 } });
    const events = await w.t.db.$queryRawUnsafe<{ type: string; data: Record<string, unknown> }[]>(`SELECT type, data FROM events WHERE stream_id = $1`, row.id);
    expect(events).toEqual([{ type: "execution.denied", data: expect.objectContaining({ reasonCode: "policy_denied", reason: "adding is not allowed on Sundays" }) }]);
  });
});

describe("executions that fail still answer 200", () => {
  test("a plugin returning the wrong shape → failed, invalid_output with the path", async () => {
    const r = await invoke(w, adder.agentId, bearer(token.token), { action: `${adder.slug}.wrong`, input: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "failed", error: { code: "invalid_output", message: expect.stringContaining("output.sum") } });
    const row = await w.t.db.execution.findUniqueOrThrow({ where: { id: r.body.executionId } });
    expect(row.errorCode).toBe("invalid_output");
  });

  test("a plugin that throws → failed, plugin_error with the plugin's own line", async () => {
    const r = await invoke(w, adder.agentId, bearer(token.token), { action: `${adder.slug}.boom`, input: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "failed", output: null, error: { code: "plugin_error", message: expect.stringContaining("kaput 1") } });
    // `throw` is on line 11 of the generated source (see codeCapability).
    expect(r.body.error.line).toBe(11);
  });
});

describe("correlation", () => {
  test("the caller's X-Correlation-Id is on the row, every event and the connector's outbound request", async () => {
    const cap = await installCapability(
      w,
      {
        type: "declarative",
        slug: uniqueSlug("echo"),
        name: "Echo",
        version: "1.0.0",
        permissions: ["network.http.get"],
        allowed_domains: ["api.invoke.test"],
        actions: [
          {
            id: "echo",
            inputs: [{ name: "q", type: "string", required: true }],
            outputs: [{ name: "value", type: "number" }],
            integration: { endpoint: `http://api.invoke.test:${port}/echo`, method: "GET", params: { q: "${input.q}" }, response_mapping: { value: "value" } },
          },
        ],
      },
      { grants: ["network.http.get"] },
    );
    const correlationId = "cor_0000000000aaaaaaaaaaaaaaaa";
    hits.length = 0;
    const r = await invoke(w, cap.agentId, { ...bearer(token.token), "x-correlation-id": correlationId }, { action: `${cap.slug}.echo`, input: { q: "a b" } });
    expect(r.status).toBe(200);
    expect(r.body, JSON.stringify(r.body)).toMatchObject({ status: "succeeded", output: { value: 42 }, correlationId });
    expect(r.headers.get("x-correlation-id")).toBe(correlationId);
    expect(hits).toHaveLength(1);
    const url = new URL(hits[0]!.url, "http://x");
    expect([url.pathname, url.searchParams.get("q")]).toEqual(["/echo", "a b"]);
    expect(hits[0]!.headers["x-correlation-id"]).toBe(correlationId);
    const row = await w.t.db.execution.findUniqueOrThrow({ where: { id: r.body.executionId } });
    expect(row.correlationId).toBe(correlationId);
    expect(row.requests).toEqual([expect.objectContaining({ method: "GET", status: 200, correlationId })]);
    const events = await w.t.db.$queryRawUnsafe<{ type: string; correlation_id: string }[]>(`SELECT type, correlation_id FROM events WHERE stream_id = $1 ORDER BY seq`, row.id);
    expect(events.map((e) => e.type)).toEqual(["execution.started", "execution.succeeded"]);
    expect(events.every((e) => e.correlation_id === correlationId)).toBe(true);
  });

  test("an X-Correlation-Id that is not one of ours is replaced", async () => {
    const r = await invoke(w, adder.agentId, { ...bearer(token.token), "x-correlation-id": "evil\u0001value" }, addBody(1));
    expect(r.status).toBe(200);
    expect(r.body.correlationId).toMatch(/^cor_[0-9a-z]{26}$/);
  });
});

describe("waiting", () => {
  test("when the wait ends first: 202-shaped answer with status and link; the execution still finishes", async () => {
    const out = await invokeAction(w.t.db, {
      agentId: adder.agentId,
      identity: { userId: w.owner.id, role: "member", actor: { type: "user", id: w.owner.id }, via: "session" },
      body: { action: `${adder.slug}.slow`, input: {} },
      correlationId: "cor_0000000000bbbbbbbbbbbbbbbb",
      waitMs: 50,
    });
    expect(out.kind).toBe("pending");
    if (out.kind !== "pending") return;
    expect(["queued", "running"]).toContain(out.body.status);
    expect(out.body.links.self).toBe(`/api/executions/${out.body.executionId}`);
    for (let i = 0; i < 100; i++) {
      const row = await w.t.db.execution.findUniqueOrThrow({ where: { id: out.body.executionId } });
      if (row.status === "succeeded") return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the slow execution never finished");
  });
});

describe("no executor", () => {
  test("503 with Retry-After instead of queueing forever; nothing is queued", async () => {
    for (const e of w.executors.splice(0)) await e.stop();
    const before = await w.t.db.execution.count();
    const r = await invoke(w, adder.agentId, bearer(token.token), addBody(1));
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("5");
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.body.detail).toContain("no executor is running");
    expect(await w.t.db.execution.count()).toBe(before);
    // And back once one runs.
    await w.startExecutor();
    expect((await invoke(w, adder.agentId, bearer(token.token), addBody(1))).status).toBe(200);
  });
});

// A second user's session answers 404 for this agent too (not just tokens).
test("another user's session → 404", async () => {
  const stranger = await makeUser(w.t);
  const r = await invoke(w, adder.agentId, await asUser(stranger), addBody(1));
  expect(r.status).toBe(404);
});

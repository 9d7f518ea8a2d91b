// Load limits of the invoke path, with a real executor: invocations per minute per token
// and per agent (counted in Postgres, so they hold across web instances), and the bounded
// queue (MAX_QUEUED_EXECUTIONS beyond the running ones) — each refusal a 429 with
// Retry-After, counted in capreg_invocations_rejected_total, and nothing queued.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { metrics } from "../../lib/metrics";
import { bearer, makeToken } from "./helpers/app";
import { codeCapability, installCapability, invoke, setUpInvokeWorld, uniqueSlug, type InvokeWorld } from "./invoke-setup";

let w: InvokeWorld;
let cap: Awaited<ReturnType<typeof installCapability>>;

const rejected = async (reason: string) => (await metrics.invocationsRejected.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

beforeAll(async () => {
  w = await setUpInvokeWorld({
    env: { INVOKE_RATE_LIMIT_PER_TOKEN: "3", INVOKE_RATE_LIMIT_PER_AGENT: "5", MAX_CONCURRENT_EXECUTIONS: "1", MAX_QUEUED_EXECUTIONS: "0" },
    slots: 2,
  });
  cap = await installCapability(
    w,
    codeCapability(uniqueSlug("limits"), [
      { id: "quick", body: "      return { ok: true };" },
      // Waits for as long as the caller says (bounded by its 10 s compute.moderate budget).
      { id: "hold", body: "      const end = Date.now() + input.ms; while (Date.now() < end) {}\n      return { held: input.ms };", inputs: [{ name: "ms", type: "integer", required: true }] },
    ], { permissions: ["compute.light", "compute.moderate"] }),
    { grants: ["compute.moderate"] },
  );
});

afterAll(async () => {
  await w?.close();
  for (const k of ["INVOKE_RATE_LIMIT_PER_TOKEN", "INVOKE_RATE_LIMIT_PER_AGENT", "MAX_CONCURRENT_EXECUTIONS", "MAX_QUEUED_EXECUTIONS"]) delete process.env[k];
  resetEnvCache();
});

const quick = { action: "", input: {} };

describe("rate limits", () => {
  test("per token: the 4th call of a token limited to 3 a minute → 429 with Retry-After; another token still passes", async () => {
    const agent = await installCapability(w, codeCapability(uniqueSlug("per-token"), [{ id: "quick", body: "return { ok: true };" }]));
    const body = { ...quick, action: `${agent.slug}.quick` };
    const a = await makeToken(w.t, w.owner, ["agents:invoke"]);
    const b = await makeToken(w.t, w.owner, ["agents:invoke"]);
    const before = await rejected("rate_limited");
    for (let i = 0; i < 3; i++) expect((await invoke(w, agent.agentId, bearer(a.token), body)).status).toBe(200);
    const count = await w.t.db.execution.count();
    const limited = await invoke(w, agent.agentId, bearer(a.token), body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.body.detail).toContain("with this token");
    expect(await w.t.db.execution.count()).toBe(count);
    expect(await rejected("rate_limited")).toBe(before + 1);
    expect((await invoke(w, agent.agentId, bearer(b.token), body)).status).toBe(200);
  });

  test("per agent: across tokens and sessions, the 6th call of an agent limited to 5 → 429", async () => {
    const agent = await installCapability(w, codeCapability(uniqueSlug("per-agent"), [{ id: "quick", body: "return { ok: true };" }]));
    const body = { ...quick, action: `${agent.slug}.quick` };
    const a = await makeToken(w.t, w.owner, ["agents:invoke"]);
    const b = await makeToken(w.t, w.owner, ["agents:invoke"]);
    for (let i = 0; i < 2; i++) expect((await invoke(w, agent.agentId, bearer(a.token), body)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await invoke(w, agent.agentId, bearer(b.token), body)).status).toBe(200);
    expect((await invoke(w, agent.agentId, w.ownerHeaders, body)).status).toBe(200);
    for (const headers of [bearer(b.token), w.ownerHeaders]) {
      const r = await invoke(w, agent.agentId, headers, body);
      expect(r.status).toBe(429);
      expect(r.body.detail).toContain("of this agent");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // The counters are rows in Postgres (shared by every web instance), not process memory.
    const rows = await w.t.db.rateLimitBucket.findMany({ where: { key: { in: [`invoke:agent:${agent.agentId}`, `invoke:token:${a.id}`] } }, select: { key: true, count: true } });
    expect(Object.fromEntries(rows.map((r) => [r.key, r.count]))).toEqual({ [`invoke:agent:${agent.agentId}`]: 7, [`invoke:token:${a.id}`]: 2 });
  });

  test("refusals that cost nothing (bad input) are not counted", async () => {
    const agent = await installCapability(w, codeCapability(uniqueSlug("free"), [{ id: "quick", body: "return 1;", inputs: [{ name: "x", type: "string", required: true }] }]));
    const t = await makeToken(w.t, w.owner, ["agents:invoke"]);
    for (let i = 0; i < 8; i++) expect((await invoke(w, agent.agentId, bearer(t.token), { action: `${agent.slug}.quick`, input: {} })).status).toBe(422);
    expect(await w.t.db.rateLimitBucket.count({ where: { key: { in: [`invoke:agent:${agent.agentId}`, `invoke:token:${t.id}`] } } })).toBe(0);
  });
});

describe("queue", () => {
  test("MAX_CONCURRENT=1, MAX_QUEUED=0: while one runs, the next → 429 queue full with Retry-After; afterwards it passes", async () => {
    const t = await makeToken(w.t, w.owner, ["agents:invoke"]);
    const before = await rejected("queue_full");
    const slow = invoke(w, cap.agentId, bearer(t.token), { action: `${cap.slug}.hold`, input: { ms: 1500 } });
    // Wait until it is running (claimed by the executor).
    for (let i = 0; i < 200; i++) {
      if ((await w.t.db.execution.count({ where: { capabilitySlug: cap.slug, action: "hold", status: "running" } })) === 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await w.t.db.execution.count({ where: { capabilitySlug: cap.slug, action: "hold", status: "running" } })).toBe(1);
    const count = await w.t.db.execution.count();
    const full = await invoke(w, cap.agentId, w.ownerHeaders, { action: `${cap.slug}.quick`, input: {} });
    expect(full.status).toBe(429);
    expect(full.body.detail).toContain("queue is full");
    expect(Number(full.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await w.t.db.execution.count()).toBe(count);
    expect(await rejected("queue_full")).toBe(before + 1);
    const done = await slow;
    expect(done.body).toMatchObject({ status: "succeeded", output: { held: 1500 } });
    expect((await invoke(w, cap.agentId, w.ownerHeaders, { action: `${cap.slug}.quick`, input: {} })).status).toBe(200);
  });
});

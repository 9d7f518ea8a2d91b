// Dispatch of claimed executions by a real executor (real Postgres, real isolates, a real
// local HTTP server): code actions with config and secrets (only declared secrets reach the
// plugin; stored output, logs and events are redacted), ctx.fetch and API connectors with
// the correlation id on the wire and in the recorded requests, permissions and output
// checks, timeouts, built-ins, a disabled installation, and workflows (the catalog's
// text-digest with its dependencies; a failing step named; step rows and step events).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startExecutor, type ExecutorHandle } from "../../lib/execution/executor/executor";
import { newId } from "../../lib/ids";
import { publishSeedCatalog } from "../../lib/registry/publish-seed-catalog";
import { saveInstallationSecrets } from "../../lib/secrets/save-installation-secrets";
import { codeCapability, createWorld, enqueue, eventsOfExecution, install, waitForFinal, type World } from "./executor-helpers";

let w: World;
let executor: ExecutorHandle;
let server: http.Server;
let port = 0;
let hits: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  w = await createWorld();
  server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null, temp: 21.5 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  executor = await startExecutor({
    db: w.t.db,
    databaseUrl: w.t.appUrl,
    slots: 4,
    maxConcurrent: 50,
    leaseMs: 15_000,
    testOnlyTrustedAddresses: ["127.0.0.1"],
    testOnlyHosts: { "api.exec.test": "127.0.0.1" },
  });
});
afterAll(async () => {
  await executor?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await w.close();
});
beforeEach(() => {
  hits = [];
});

async function run(target: Awaited<ReturnType<typeof install>>, action: string, input: Record<string, unknown>, o: { timeoutMs?: number; correlationId?: string } = {}) {
  const id = await enqueue(w, target, action, input, o);
  const [row] = await waitForFinal(w, [id]);
  return row!;
}

/** Every stored trace of executions and events, as text. */
async function everything(): Promise<string> {
  const ev = await w.t.db.$queryRawUnsafe<{ t: string }[]>(`SELECT string_agg(data::text || ' ' || type, E'\\n') AS t FROM events`);
  const ex = await w.t.db.$queryRawUnsafe<{ t: string }[]>(`SELECT string_agg(input::text || output::text || logs::text || coalesce(error::text, '') || requests::text, E'\\n') AS t FROM executions`);
  return `${ev[0]?.t ?? ""}\n${ex[0]?.t ?? ""}`;
}

describe("code", () => {
  test("config (declared keys, defaults) and only declared secrets reach the plugin; stored traces are redacted", async () => {
    const secret = `sk-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const stale = `old-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const cap = await install(
      w,
      codeCapability(
        `ctx.log("using key " + ctx.secrets.API_KEY);
         return { region: ctx.config.REGION, units: ctx.config.UNITS, configKeys: Object.keys(ctx.config).sort(), secretKeys: Object.keys(ctx.secrets).sort(), echo: ctx.secrets.API_KEY, n: input.n };`,
        {
          configuration: [
            { key: "REGION", type: "string" },
            { key: "UNITS", type: "string", default: "metric" },
            { key: "API_KEY", type: "secret", required: true },
          ],
          actions: [{ id: "run", inputs: [{ name: "n", type: "integer", default: 7 }] }],
        },
      ),
      { config: { REGION: "eu-west" }, secrets: { API_KEY: secret } },
    );
    // A secret the manifest does not declare (left from an older version) must not reach the plugin.
    await w.t.db.$transaction((tx) => saveInstallationSecrets(tx, { installationId: cap.installationId, set: { OLD_KEY: stale } }));

    const row = await run(cap, "run", {});
    expect(row.status).toBe("succeeded");
    expect(row.output).toEqual({ region: "eu-west", units: "metric", configKeys: ["REGION", "UNITS"], secretKeys: ["API_KEY"], echo: "[REDACTED]", n: 7 });
    expect(row.logs).toEqual(["using key [REDACTED]"]);
    expect(row.resources).toMatchObject({ networkCalls: 0 });
    expect(row.resources.wallMs).toBeGreaterThanOrEqual(0);
    expect(typeof row.resources.cpuMs).toBe("number");
    expect(typeof row.duration_ms).toBe("number");
    const all = await everything();
    expect(all).not.toContain(secret);
    expect(all).not.toContain(stale);
    const types = (await eventsOfExecution(w, row.id)).map((e) => e.type);
    expect(types).toEqual(["execution.started", "execution.succeeded"]);
  });

  test("a plugin error keeps the plugin's line; an endless loop ends timed_out within its budget + 250 ms", async () => {
    const thrower = await install(w, codeCapability(`\n  throw new Error("boom " + input.x);`));
    const r1 = await run(thrower, "run", { x: 1 });
    expect(r1).toMatchObject({ status: "failed", error_code: "plugin_error" });
    expect(r1.error).toMatchObject({ message: expect.stringContaining("boom 1"), line: 2 });
    const types = (await eventsOfExecution(w, r1.id)).map((e) => [e.type, e.data.errorCode ?? null]);
    expect(types).toEqual([
      ["execution.started", null],
      ["execution.failed", "plugin_error"],
    ]);

    const spinner = await install(w, codeCapability("while (true) {}"));
    const r2 = await run(spinner, "run", {}, { timeoutMs: 300 });
    expect(r2).toMatchObject({ status: "timed_out", error_code: "timed_out" });
    expect(r2.resources.wallMs).toBeLessThanOrEqual(300 + 250);
    expect(r2.duration_ms!).toBeLessThanOrEqual(300 + 250);
  });

  test("ctx.fetch: the request carries the correlation id and is recorded without its query string", async () => {
    const cap = await install(
      w,
      codeCapability(`const r = await ctx.fetch("http://api.exec.test:" + ctx.config.PORT + "/weather?city=" + input.city + "&key=abc123"); return { status: r.status, body: r.json() };`, {
        permissions: ["network.http.get"],
        allowed_domains: ["api.exec.test"],
        configuration: [{ key: "PORT", type: "number" }],
      }),
      { grants: ["network.http.get"], config: { PORT: port } },
    );
    const correlationId = newId("cor");
    const row = await run(cap, "run", { city: "Oslo" }, { correlationId });
    expect(row.error).toBeNull();
    expect(row.status).toBe("succeeded");
    expect(row.output).toMatchObject({ status: 200, body: { path: "/weather?city=Oslo&key=abc123" } });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.headers["x-correlation-id"]).toBe(correlationId);
    expect(row.requests).toEqual([expect.objectContaining({ method: "GET", url: `http://api.exec.test:${port}/weather`, status: 200, correlationId })]);
    expect(row.resources.networkCalls).toBe(1);
    expect(JSON.stringify(row.requests)).not.toContain("abc123");
  });

  test("a needed permission that is not granted: denied with permission_denied (execution.denied)", async () => {
    const cap = await install(w, codeCapability("return {};", { permissions: ["network.http.get"], allowed_domains: ["api.exec.test"] }), { grants: [] });
    const row = await run(cap, "run", {});
    expect(row).toMatchObject({ status: "denied", error_code: "permission_denied" });
    expect(row.error!.message).toContain("network.http.get");
    const events = await eventsOfExecution(w, row.id);
    expect(events.map((e) => e.type)).toEqual(["execution.started", "execution.denied"]);
    expect(events[1]!.data).toMatchObject({ reasonCode: "permission_denied" });
  });

  test("an output that does not match the declared outputs fails invalid_output, naming the paths", async () => {
    const cap = await install(
      w,
      codeCapability("return { total: 'many', items: 3 };", {
        actions: [{ id: "run", outputs: [{ name: "total", type: "number", required: true }, { name: "items", type: "array" }, { name: "unit", type: "string", required: true }] }],
      }),
    );
    const row = await run(cap, "run", {});
    expect(row).toMatchObject({ status: "failed", error_code: "invalid_output" });
    expect(row.error!.message).toContain("output.total expected a number");
    expect(row.error!.message).toContain("output.items expected an array");
    expect(row.error!.message).toContain("output.unit is required");
  });

  test("an installation disabled after the enqueue is denied at claim time; built-ins run as the invoking user", async () => {
    const cap = await install(w, codeCapability("return {};"));
    await w.t.db.installation.update({ where: { id: cap.installationId }, data: { enabled: false } });
    const row = await run(cap, "run", {});
    expect(row).toMatchObject({ status: "denied", error_code: "installation_disabled" });

    await publishSeedCatalog(w.t.db);
    const builtin = await install(w, { slug: "code-asset", type: "builtin" }, { alreadyPublished: true, grants: ["data.read", "data.write", "data.delete"] });
    const bad = await run(builtin, "save_snippet", { title: "t", language: "python", code: "1" });
    expect(bad).toMatchObject({ status: "failed", error_code: "invalid_input" });
    const saved = await run(builtin, "save_snippet", { title: "Orbit scene", language: "javascript", code: "const c = new THREE.OrbitControls(camera, el);", tags: ["3d"] });
    expect(saved).toMatchObject({ status: "succeeded", output: { snippet_id: expect.stringMatching(/^snp_/), version: 1 } });
    const snippetId = (saved.output as { snippet_id: string }).snippet_id;
    const snippet = await w.t.db.snippet.findUniqueOrThrow({ where: { id: snippetId } });
    expect(snippet.ownerId).toBe(w.owner.id);
    const found = await run(builtin, "search_snippets", { query: "OrbitControls" });
    expect((found.output as { results: { snippet_id: string }[] }).results.map((r) => r.snippet_id)).toContain(snippetId);
    const events = await w.t.db.$queryRawUnsafe<{ type: string }[]>(`SELECT type FROM events WHERE stream_type = 'snippet' AND stream_id = $1`, snippetId);
    expect(events.map((e) => e.type)).toEqual(["SNIPPET_CREATED"]);

    const preview = await install(w, { slug: "preview", type: "builtin" }, { alreadyPublished: true, grants: ["compute.light", "file.temporary"] });
    const deps = await run(preview, "detect_dependencies", { preset: "three-webgl-umd", code: snippet.code });
    expect(deps).toMatchObject({ status: "succeeded", output: { dependencies: ["three-core", "three-orbit-controls"] } });

    const tasks = await install(w, { slug: "task-materialization", type: "builtin" }, { alreadyPublished: true, grants: ["context.conversation", "data.read", "data.write"] });
    const t = await run(tasks, "materialize_tasks", { plan: "1. a" });
    expect(t).toMatchObject({ status: "failed", error_code: "not_supported" });
  });
});

describe("connectors", () => {
  test("an API connector: secret auth, correlation header, requests recorded without the query, secret kept out", async () => {
    const token = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const cap = await install(
      w,
      {
        type: "api-connector",
        slug: `exec-conn-${Math.random().toString(36).slice(2, 8)}`,
        name: "Exec connector",
        version: "1.0.0",
        category: "data",
        permissions: ["network.http.get"],
        allowed_domains: ["api.exec.test"],
        configuration: [{ key: "API_TOKEN", type: "secret", required: true }],
        api: { base_url: `http://api.exec.test:${port}`, auth: { type: "bearer", token_from: "API_TOKEN" } },
        endpoints: [
          {
            id: "current",
            method: "GET",
            path: "/current/${input.city}",
            query: { units: "metric" },
            inputs: [{ name: "city", type: "string", required: true }],
            outputs: [{ name: "temp", type: "number", required: true }],
            response_mapping: { temp: "temp", seen: "auth" },
          },
        ],
      },
      { grants: ["network.http.get"], secrets: { API_TOKEN: token } },
    );
    const correlationId = newId("cor");
    const row = await run(cap, "current", { city: "Bergen" }, { correlationId, timeoutMs: 15_000 });
    expect(row.status).toBe("succeeded");
    expect(hits).toHaveLength(1);
    expect(hits[0]!.url).toBe("/current/Bergen?units=metric");
    expect(hits[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(hits[0]!.headers["x-correlation-id"]).toBe(correlationId);
    // The plugin-visible response echoed the token: stored redacted.
    expect(row.output).toEqual({ temp: 21.5, seen: "Bearer [REDACTED]" });
    expect(row.requests).toEqual([{ method: "GET", url: `http://api.exec.test:${port}/current/Bergen`, status: 200, ms: expect.any(Number), correlationId }]);
    expect(row.resources.networkCalls).toBe(1);
    expect(await everything()).not.toContain(token);
  });
});

describe("workflows", () => {
  test("the catalog's text-digest with its dependencies: output, one child row per step, step events on the root stream", async () => {
    await publishSeedCatalog(w.t.db);
    const digest = await install(w, { slug: "text-digest", type: "workflow" }, { alreadyPublished: true, grants: ["compute.light"] });
    const deps = await w.t.db.installation.findMany({ where: { agentId: digest.agentId }, select: { capability: { select: { slug: true } } } });
    expect(deps.map((d) => d.capability.slug).sort()).toEqual(["checksums", "markdown-to-html", "text-digest", "text-utils"]);
    const correlationId = newId("cor");
    const row = await run(digest, "run", { markdown: "# Hello\n\nOne line." }, { correlationId, timeoutMs: 60_000 });
    expect(row.status).toBe("succeeded");
    const out = row.output as { stats: Record<string, unknown>; html: string; sha256: string };
    expect(out.html).toBe("<h1>Hello</h1>\n<p>One line.</p>");
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.stats).toEqual(expect.objectContaining({ words: expect.any(Number) }));

    const steps = await w.t.db.$queryRawUnsafe<{ id: string; step_id: string; status: string; kind: string; capability_slug: string; action: string; correlation_id: string; output: unknown; attempts: number }[]>(
      `SELECT id, step_id, status, kind, capability_slug, action, correlation_id, output, attempts FROM executions WHERE parent_id = $1 ORDER BY step_id`,
      row.id,
    );
    expect(steps.map((s) => [s.step_id, s.status, s.kind, s.capability_slug, s.action])).toEqual([
      ["checksum", "succeeded", "code", "checksums", "hash"],
      ["render", "succeeded", "code", "markdown-to-html", "render"],
      ["result", "succeeded", "step", "", "transform"],
      ["stats", "succeeded", "code", "text-utils", "stats"],
    ]);
    expect(steps.every((s) => s.correlation_id === correlationId && s.attempts === 1)).toBe(true);
    expect(steps.find((s) => s.step_id === "checksum")!.output).toMatchObject({ hex: out.sha256 });

    const events = await eventsOfExecution(w, row.id);
    expect(events.every((e) => e.correlation_id === correlationId)).toBe(true);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("execution.started");
    expect(types.at(-1)).toBe("execution.succeeded");
    expect(types.filter((t) => t === "execution.step.started")).toHaveLength(4);
    expect(types.filter((t) => t === "execution.step.succeeded")).toHaveLength(4);
    const byStep = new Map(steps.map((s) => [s.step_id, s.id]));
    for (const e of events.filter((x) => x.type.startsWith("execution.step."))) expect(byStep.get(String(e.data.step))).toBe(e.data.stepExecutionId);
    // The transform ran after the three steps it depends on.
    const order = events.filter((e) => e.type === "execution.step.started").map((e) => e.data.step);
    expect(order.at(-1)).toBe("result");
    // No claim was needed for the steps: only the workflow was ever started by an executor.
    const started = await w.t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE type = 'execution.started' AND correlation_id = $1`, correlationId);
    expect(started[0]!.n).toBe(1);
  });

  test("a failing step fails the workflow naming the step; the other steps' outputs are kept; a missing dependency is named", async () => {
    const ok = await install(w, codeCapability("return { upper: String(input.text).toUpperCase() };", { actions: [{ id: "run", inputs: [{ name: "text", type: "string" }] }] }));
    const bad = await install(w, codeCapability("throw new Error('step exploded');"), { agentId: ok.agentId });
    const wf = await install(
      w,
      {
        type: "workflow",
        slug: `exec-wf-${Math.random().toString(36).slice(2, 8)}`,
        name: "Exec workflow",
        version: "1.0.0",
        category: "utilities",
        actions: [{ id: "go", inputs: [{ name: "text", type: "string", required: true }] }],
        workflow: {
          steps: [
            { id: "shout", action: `${ok.slug}.run`, inputs: { text: "${input.text}" } },
            { id: "explode", action: `${bad.slug}.run` },
            { id: "after", action: "transform", depends_on: ["shout", "explode"], inputs: { v: "${steps.shout.output.upper}" } },
          ],
        },
      },
      { agentId: ok.agentId },
    );
    const row = await run(wf, "go", { text: "hi" }, { timeoutMs: 30_000 });
    expect(row).toMatchObject({ status: "failed", error_code: "step_failed" });
    expect(row.error).toMatchObject({ step: "explode", message: expect.stringContaining("step exploded") });
    const steps = await w.t.db.$queryRawUnsafe<{ step_id: string; status: string; output: unknown; error_code: string | null }[]>(
      `SELECT step_id, status, output, error_code FROM executions WHERE parent_id = $1 ORDER BY step_id`,
      row.id,
    );
    expect(steps).toEqual([
      { step_id: "explode", status: "failed", output: null, error_code: "plugin_error" },
      { step_id: "shout", status: "succeeded", output: { upper: "HI" }, error_code: null },
    ]);
    const events = await eventsOfExecution(w, row.id);
    expect(events.find((e) => e.type === "execution.step.failed")!.data).toMatchObject({ step: "explode", errorCode: "plugin_error", handled: "fail" });
    expect(events.find((e) => e.type === "execution.step.skipped")!.data).toMatchObject({ step: "after" });
    expect(events.at(-1)!.data).toMatchObject({ errorCode: "step_failed", step: "explode" });

    // The same workflow on an agent without its steps' capabilities.
    const lonely = await install(w, { slug: wf.slug, type: "workflow" }, { alreadyPublished: true });
    const r2 = await run(lonely, "go", { text: "hi" }, { timeoutMs: 30_000 });
    expect(r2).toMatchObject({ status: "failed", error_code: "step_failed" });
    expect(r2.error!.message).toContain("not installed on this agent");
  });
});

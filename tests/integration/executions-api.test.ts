// Execution reads: GET /api/executions (who sees what, filters, keyset pagination, bad
// queries), GET /api/executions/:id (the record, 404 for other people's, workflow steps,
// the step graph built from the version's manifest, the invocation's events), GET
// /api/executors (admins only, live vs stale vs stopped), and the gauges /api/metrics
// refreshes from Postgres at scrape time. Execution rows are seeded straight into the
// table, as the engine (claim/complete) writes them, so only the read side is under test.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appendEvent } from "../../lib/events/append-event";
import { newId } from "../../lib/ids";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { agentsClient, asUser, codeManifest, loadAgentRoutes, makeAgent, publishVersion, type AgentRoutes } from "./helpers/registry-factory";

let t: TestDatabase;
let agentRoutes: AgentRoutes;
let routes: {
  list: typeof import("../../app/api/executions/route");
  detail: typeof import("../../app/api/executions/[id]/route");
  executors: typeof import("../../app/api/executors/route");
  metrics: typeof import("../../app/api/metrics/route");
};

type User = Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  agentRoutes = await loadAgentRoutes();
  routes = {
    list: await import("../../app/api/executions/route"),
    detail: await import("../../app/api/executions/[id]/route"),
    executors: await import("../../app/api/executors/route"),
    metrics: await import("../../app/api/metrics/route"),
  };
});
afterAll(() => t.drop());

let clock = Date.parse("2030-01-01T00:00:00.000Z");
/** Distinct, increasing creation times, so "newest first" is deterministic. */
const nextTime = () => new Date((clock += 1000));

interface SeedOptions {
  agentId: string;
  slug: string;
  action?: string;
  status?: string;
  kind?: string;
  correlationId?: string;
  parentId?: string;
  stepId?: string;
  versionId?: string;
  capabilityId?: string;
  createdAt?: Date;
  extra?: Record<string, unknown>;
}

async function seed(o: SeedOptions): Promise<{ id: string; correlationId: string; createdAt: Date }> {
  const id = newId("exe");
  const correlationId = o.correlationId ?? newId("cor");
  const createdAt = o.createdAt ?? nextTime();
  const status = o.status ?? "succeeded";
  const final = !["queued", "running"].includes(status);
  await t.db.execution.create({
    data: {
      id,
      agentId: o.agentId,
      parentId: o.parentId ?? null,
      stepId: o.stepId ?? null,
      capabilitySlug: o.slug,
      capabilityId: o.capabilityId ?? null,
      versionId: o.versionId ?? null,
      version: "1.0.0",
      action: o.action ?? "run",
      kind: o.kind ?? "code",
      status,
      input: { text: "hello" },
      output: final && status === "succeeded" ? { ok: true } : undefined,
      correlationId,
      actorType: "user",
      actorId: null,
      timeoutMs: 1000,
      createdAt,
      startedAt: status === "queued" ? null : new Date(createdAt.getTime() + 5),
      finishedAt: final ? new Date(createdAt.getTime() + 20) : null,
      durationMs: final ? 15 : null,
      ...o.extra,
    },
  });
  return { id, correlationId, createdAt };
}

async function list(user: User, query = ""): Promise<{ status: number; body: any }> {
  const res = await call(routes.list.GET, { path: `/api/executions${query}`, headers: await asUser(user) });
  return { status: res.status, body: await res.json() };
}

async function detail(user: User, id: string): Promise<{ status: number; body: any }> {
  const res = await call(routes.detail.GET, { path: `/api/executions/${id}`, headers: await asUser(user), params: { id } });
  return { status: res.status, body: await res.json() };
}

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

describe("GET /api/executions", () => {
  let owner: User;
  let other: User;
  let admin: User;
  let agentA: string;
  let agentB: string;
  let theirAgent: string;
  const seeded: Record<string, { id: string; correlationId: string; createdAt: Date }> = {};

  beforeAll(async () => {
    owner = await makeUser(t);
    other = await makeUser(t);
    admin = await makeUser(t, "admin");
    const mine = agentsClient(agentRoutes, await asUser(owner));
    const theirs = agentsClient(agentRoutes, await asUser(other));
    agentA = await makeAgent(mine, "Alpha");
    agentB = await makeAgent(mine, "Beta");
    theirAgent = await makeAgent(theirs, "Theirs");
    seeded.a1 = await seed({ agentId: agentA, slug: "unit-converter", action: "convert", status: "succeeded" });
    seeded.b1 = await seed({ agentId: agentB, slug: "text-digest", action: "run", kind: "workflow", status: "failed", extra: { errorCode: "step_failed", error: { code: "step_failed", message: "boom", step: "render" } } });
    seeded.a2 = await seed({ agentId: agentA, slug: "unit-converter", action: "convert", status: "timed_out", extra: { errorCode: "timed_out", error: { code: "timed_out", message: "ran past 1000 ms" } } });
    // A workflow step of b1: never listed on its own.
    seeded.step = await seed({ agentId: agentB, slug: "markdown-to-html", action: "render", parentId: seeded.b1.id, stepId: "render", status: "failed", correlationId: seeded.b1.correlationId });
    seeded.t1 = await seed({ agentId: theirAgent, slug: "unit-converter", action: "convert", status: "succeeded" });
    seeded.a3 = await seed({ agentId: agentA, slug: "checksums", action: "hash", status: "queued" });
  });

  test("a member sees the top-level executions of their own agents, newest first, with agent names and errors", async () => {
    const { status, body } = await list(owner);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([seeded.a3!.id, seeded.a2!.id, seeded.b1!.id, seeded.a1!.id]);
    expect(body.nextCursor).toBeNull();
    const b1 = body.items.find((i: { id: string }) => i.id === seeded.b1!.id);
    expect(b1).toMatchObject({
      agent: { id: agentB, name: "Beta" },
      capability: { slug: "text-digest" },
      action: "run",
      kind: "workflow",
      status: "failed",
      error: { code: "step_failed", message: "boom", step: "render" },
      durationMs: 15,
      queueMs: 5,
      correlationId: seeded.b1!.correlationId,
    });
    // The queue's lease fields never leave the server.
    expect(JSON.stringify(body)).not.toMatch(/lease/i);
  });

  test("admins see everyone's; another member sees only theirs", async () => {
    expect(ids((await list(admin)).body)).toEqual([seeded.a3!.id, seeded.t1!.id, seeded.a2!.id, seeded.b1!.id, seeded.a1!.id]);
    expect(ids((await list(other)).body)).toEqual([seeded.t1!.id]);
    // Filtering on someone else's agent finds nothing rather than leaking it.
    expect(ids((await list(other, `?agentId=${agentA}`)).body)).toEqual([]);
  });

  test("filters: agent, capability, status (one or several), correlation id, time window", async () => {
    expect(ids((await list(owner, `?agentId=${agentB}`)).body)).toEqual([seeded.b1!.id]);
    expect(ids((await list(owner, "?capability=unit-converter")).body)).toEqual([seeded.a2!.id, seeded.a1!.id]);
    expect(ids((await list(owner, "?status=failed,timed_out")).body)).toEqual([seeded.a2!.id, seeded.b1!.id]);
    expect(ids((await list(owner, "?status=queued")).body)).toEqual([seeded.a3!.id]);
    expect(ids((await list(owner, `?correlationId=${seeded.b1!.correlationId}`)).body)).toEqual([seeded.b1!.id]);
    const since = encodeURIComponent(seeded.b1!.createdAt.toISOString());
    const until = encodeURIComponent(seeded.a3!.createdAt.toISOString());
    expect(ids((await list(owner, `?since=${since}&until=${until}`)).body)).toEqual([seeded.a2!.id, seeded.b1!.id]);
    expect(ids((await list(owner, `?agentId=${agentA}&status=succeeded&capability=unit-converter`)).body)).toEqual([seeded.a1!.id]);
  });

  test("keyset pagination walks every item once, even when rows share a creation time", async () => {
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Pager");
    const same = nextTime();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await seed({ agentId: agent, slug: "pager", createdAt: same })).id);
    made.push((await seed({ agentId: agent, slug: "pager" })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: any } = await list(owner, `?agentId=${agent}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page.body));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(made));
    // Newest first: the later row leads, then the five that share a time, by id descending.
    expect(seen[0]).toBe(made[5]);
    expect(seen.slice(1)).toEqual(made.slice(0, 5).sort().reverse());
  });

  test("bad queries are 400 with the parameter named; a foreign cursor is refused", async () => {
    for (const [query, path] of [
      ["?status=exploded", "query.status"],
      ["?limit=0", "query.limit"],
      ["?limit=201", "query.limit"],
      ["?since=yesterday", "query.since"],
      ["?cursor=not-a-cursor", "cursor"],
      [`?cursor=${Buffer.from(JSON.stringify(["agents", "x", "y"])).toString("base64url")}`, "cursor"],
      [`?cursor=${Buffer.from(JSON.stringify(["executions", "not a date", "exe_x"])).toString("base64url")}`, "cursor"],
    ] as const) {
      const { status, body } = await list(owner, query);
      expect(status, query).toBe(400);
      expect(body.errors.map((e: { path: string }) => e.path.replace(/\[\d+\]$/, "")), query).toContain(path);
    }
  });

  test("tokens need agents:read; no identity is 401", async () => {
    const without = await makeToken(t, owner, ["events:read"]);
    expect((await call(routes.list.GET, { path: "/api/executions", headers: bearer(without.token) })).status).toBe(403);
    const withScope = await makeToken(t, owner, ["agents:read"]);
    const res = await call(routes.list.GET, { path: `/api/executions?limit=1&agentId=${agentA}`, headers: bearer(withScope.token) });
    expect(res.status).toBe(200);
    expect(ids(await res.json())).toEqual([seeded.a3!.id]);
    expect((await call(routes.list.GET, { path: "/api/executions" })).status).toBe(401);
  });
});

describe("GET /api/executions/:id", () => {
  test("the owner reads the whole record; another member gets 404 (as for an unknown id); an admin reads it", async () => {
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const admin = await makeUser(t, "admin");
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Reader");
    const e = await seed({
      agentId: agent,
      slug: "unit-converter",
      action: "convert",
      status: "failed",
      extra: {
        input: { value: 10, from: "km", to: "parsec" },
        logs: ["converting", "[log truncated: limit of 1000 lines / 256 KB reached]"],
        resources: { wallMs: 12.5, cpuMs: 3, heapBytes: 1_048_576, networkCalls: 1, queueMs: 4 },
        requests: [{ method: "GET", url: "https://api.example.com/rates", status: 200, ms: 7, correlationId: "cor_x" }],
        errorCode: "plugin_error",
        error: { code: "plugin_error", message: 'unknown unit "parsec"', line: 12, column: 9 },
        leaseToken: "secret-lease-token",
        leasedBy: "exr_someone",
      },
    });
    const { status, body } = await detail(owner, e.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: e.id,
      agent: { id: agent, name: "Reader" },
      capability: { slug: "unit-converter" },
      action: "convert",
      status: "failed",
      input: { value: 10, from: "km", to: "parsec" },
      logs: ["converting", "[log truncated: limit of 1000 lines / 256 KB reached]"],
      resources: { wallMs: 12.5, cpuMs: 3, heapBytes: 1_048_576, networkCalls: 1, queueMs: 4 },
      requests: [{ method: "GET", url: "https://api.example.com/rates", status: 200 }],
      error: { code: "plugin_error", message: 'unknown unit "parsec"', line: 12, column: 9 },
      queueMs: 4,
      timeoutMs: 1000,
      parent: null,
      steps: [],
      graph: null,
    });
    expect(JSON.stringify(body)).not.toContain("secret-lease-token");

    const refused = await detail(other, e.id);
    expect(refused.status).toBe(404);
    const unknown = await detail(other, newId("exe"));
    expect(unknown.status).toBe(404);
    expect(refused.body.detail).toBe(unknown.body.detail);
    expect((await detail(admin, e.id)).status).toBe(200);
  });

  test("a workflow: its steps in order, the step graph from the version's manifest, and its events", async () => {
    const owner = await makeUser(t);
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Flow");
    const version = await publishVersion(t, {
      owner,
      manifest: {
        type: "workflow",
        slug: `flow-${Date.now().toString(36)}`,
        name: "Flow",
        version: "1.0.0",
        actions: [{ id: "run", name: "Run", inputs: [{ name: "text", type: "string" }] }],
        workflow: {
          steps: [
            { id: "fetch", action: "web.fetch", inputs: { url: "${input.text}" } },
            { id: "count", action: "text-utils.stats", inputs: { text: "${input.text}" } },
            { id: "render", action: "markdown-to-html.render", depends_on: ["fetch", "count"], on_error: "continue", inputs: { markdown: "${steps.fetch.output.body}" } },
            // No depends_on: the template reference alone makes it wait for render.
            { id: "notify", action: "transform", condition: "steps.render.output != null", inputs: { html: "${steps.render.output.html}" } },
            { id: "later", action: "transform", depends_on: ["notify"] },
          ],
        },
      },
    });
    const root = await seed({ agentId: agent, slug: version.slug, kind: "workflow", status: "succeeded", versionId: version.versionId, capabilityId: version.capabilityId });
    const child = (stepId: string, status: string, action: string, extra: Record<string, unknown> = {}) =>
      seed({ agentId: agent, slug: action.split(".")[0]!, action: action.split(".")[1] ?? action, stepId, parentId: root.id, status, kind: action.includes(".") ? "code" : "step", correlationId: root.correlationId, extra });
    const fetch1 = await child("fetch", "failed", "web.fetch", { errorCode: "http_error", error: { code: "http_error", message: "503" } });
    const fetch2 = await child("fetch", "succeeded", "web.fetch", { output: { body: "# hi" }, durationMs: 40 });
    const count = await child("count", "succeeded", "text-utils.stats");
    const render = await child("render", "failed", "markdown-to-html.render", { errorCode: "plugin_error", error: { code: "plugin_error", message: "bad markdown" } });

    const actor = { type: "user" as const, id: owner.id };
    const ev = async (type: string, data: Record<string, unknown>, correlationId = root.correlationId, subjectAgent = agent, streamId = root.id) =>
      appendEvent(t.db, { type: type as never, data: data as never, stream: { type: "execution", id: streamId }, subject: { type: "agent", id: subjectAgent }, actor, correlationId });
    const base = { executionId: root.id };
    await ev("execution.started", { ...base, slug: version.slug, version: "1.0.0", action: "run", kind: "workflow", executor: "exr_1", attempt: 1 });
    await ev("execution.step.failed", { ...base, stepExecutionId: render.id, step: "render", action: "markdown-to-html.render", status: "failed", errorCode: "plugin_error", message: "bad markdown", handled: "continue", durationMs: 3 });
    await ev("execution.step.skipped", { ...base, stepExecutionId: newId("exe"), step: "notify", action: "transform", reason: "condition was false" });
    await ev("execution.succeeded", { ...base, slug: version.slug, action: "run", durationMs: 80, networkCalls: 0 });
    // Same correlation id, but another agent's execution (a caller may reuse its id): not shown.
    const stranger = await makeAgent(agentsClient(agentRoutes, await asUser(await makeUser(t))), "Stranger");
    const foreign = newId("exe");
    await ev("execution.started", { executionId: foreign, slug: "x", version: "1.0.0", action: "run", kind: "code", executor: "exr_1", attempt: 1 }, root.correlationId, stranger, foreign);
    // Another invocation of the same agent with another correlation id: not shown either.
    await ev("execution.started", { executionId: newId("exe"), slug: "x", version: "1.0.0", action: "run", kind: "code", executor: "exr_1", attempt: 1 }, newId("cor"));

    const { status, body } = await detail(owner, root.id);
    expect(status).toBe(200);
    expect(body.steps.map((s: { id: string }) => s.id)).toEqual([fetch1.id, fetch2.id, count.id, render.id]);
    expect(body.steps[1]).toMatchObject({ stepId: "fetch", status: "succeeded", output: { body: "# hi" } });

    const g = body.graph;
    expect(g.layers).toBe(4);
    const node = (id: string) => g.nodes.find((n: { id: string }) => n.id === id);
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual(["fetch", "count", "render", "notify", "later"]);
    expect(node("fetch")).toMatchObject({ layer: 0, state: "succeeded", attempts: 2, executionId: fetch2.id, durationMs: 40, builtin: false, dependsOn: [] });
    expect(node("count")).toMatchObject({ layer: 0, state: "succeeded", attempts: 1, executionId: count.id });
    expect(node("render")).toMatchObject({ layer: 1, state: "failed", dependsOn: ["fetch", "count"], handled: "continue", errorCode: "plugin_error", errorMessage: "bad markdown", onError: "continue" });
    expect(node("notify")).toMatchObject({ layer: 2, state: "skipped", skipReason: "condition was false", dependsOn: ["render"], builtin: true, executionId: null, condition: "steps.render.output != null" });
    // The parent finished and nothing ran it: not run (not "pending").
    expect(node("later")).toMatchObject({ layer: 3, state: "not_run", dependsOn: ["notify"] });
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { from: "fetch", to: "render" },
        { from: "count", to: "render" },
        { from: "render", to: "notify" },
        { from: "notify", to: "later" },
      ]),
    );
    expect(g.edges).toHaveLength(4);

    expect(body.events.map((e: { type: string }) => e.type)).toEqual(["execution.started", "execution.step.failed", "execution.step.skipped", "execution.succeeded"]);
    const seqs = body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(body.eventsTruncated).toBe(false);

    // A step's own record points back at its workflow.
    const step = await detail(owner, render.id);
    expect(step.status).toBe(200);
    expect(step.body).toMatchObject({ parent: { id: root.id, stepId: "render" }, steps: [], graph: null });
  });

  test("a running workflow: steps without rows are pending, a started one is running", async () => {
    const owner = await makeUser(t);
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Live flow");
    const version = await publishVersion(t, {
      owner,
      manifest: {
        type: "workflow",
        slug: `live-${Date.now().toString(36)}`,
        name: "Live",
        version: "1.0.0",
        actions: [{ id: "run", name: "Run" }],
        workflow: { steps: [{ id: "one", action: "transform" }, { id: "two", action: "transform", depends_on: ["one"] }] },
      },
    });
    const root = await seed({ agentId: agent, slug: version.slug, kind: "workflow", status: "running", versionId: version.versionId });
    await appendEvent(t.db, { type: "execution.step.started", data: { executionId: root.id, stepExecutionId: newId("exe"), step: "one", action: "transform" }, stream: { type: "execution", id: root.id }, subject: { type: "agent", id: agent }, actor: { type: "system", id: null }, correlationId: root.correlationId });
    const { body } = await detail(owner, root.id);
    expect(body.graph.nodes.map((n: { id: string; state: string }) => [n.id, n.state])).toEqual([
      ["one", "running"],
      ["two", "pending"],
    ]);
  });
});

describe("GET /api/executors and the scrape-time gauges", () => {
  test("admins see executors with live / stale / stopped and the queue; members are refused", async () => {
    const admin = await makeUser(t, "admin");
    const member = await makeUser(t);
    const lease = 15_000; // EXECUTION_LEASE_MS default: live = heartbeat within 45 s
    const owner = await t.ownerClient();
    try {
      // Heartbeats are compared with the database clock.
      await owner.query(
        `INSERT INTO executors (id, host, pid, slots, status, pool_size, running, completed, failed, heartbeat_at, stopped_at) VALUES
         ('exr_live1', 'host-a', 101, 4, 'running', 3, 2, 10, 1, now() - interval '2 seconds', NULL),
         ('exr_live2', 'host-b', 102, 2, 'running', 1, 0, 5, 0, now() - interval '1 second', NULL),
         ('exr_stale', 'host-c', 103, 8, 'running', 8, 8, 0, 0, now() - make_interval(secs => $1::float8 / 1000 * 3 + 5), NULL),
         ('exr_stopped', 'host-d', 104, 4, 'stopped', 0, 0, 3, 0, now() - interval '1 second', now())`,
        [lease],
      );
    } finally {
      await owner.end();
    }
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(member)), "Queue");
    await seed({ agentId: agent, slug: "q", status: "queued" });
    await seed({ agentId: agent, slug: "q", status: "queued" });
    const runningRoot = await seed({ agentId: agent, slug: "q", status: "running" });
    // A running step is not a second running execution.
    await seed({ agentId: agent, slug: "q", status: "running", parentId: runningRoot.id, stepId: "s" });

    const res = await call(routes.executors.GET, { path: "/api/executors", headers: await asUser(admin) });
    expect(res.status).toBe(200);
    const body = await res.json();
    const byId = Object.fromEntries(body.items.map((e: { id: string }) => [e.id, e]));
    expect(byId.exr_live1).toMatchObject({ state: "live", live: true, host: "host-a", pid: 101, slots: 4, running: 2, poolSize: 3, completed: 10, failed: 1 });
    expect(byId.exr_live1.heartbeatAgeMs).toBeGreaterThanOrEqual(1500);
    expect(byId.exr_live1.heartbeatAgeMs).toBeLessThan(30_000);
    expect(byId.exr_live2).toMatchObject({ state: "live" });
    expect(byId.exr_stale).toMatchObject({ state: "stale", live: false, status: "running" });
    expect(byId.exr_stale.heartbeatAgeMs).toBeGreaterThan(3 * lease);
    expect(byId.exr_stopped).toMatchObject({ state: "stopped", live: false });
    // Live ones first.
    expect(body.items.slice(0, 2).map((e: { id: string }) => e.id).sort()).toEqual(["exr_live1", "exr_live2"]);
    const count = async (status: string) => Number((await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM executions WHERE status = $1 AND parent_id IS NULL`, status))[0]!.n);
    const queued = await count("queued");
    const running = await count("running");
    expect(queued).toBeGreaterThanOrEqual(2);
    expect(running).toBeGreaterThanOrEqual(1);
    expect(body.summary).toEqual({ live: 2, slots: 6, running: 2, poolSize: 4, queueDepth: queued, runningExecutions: running, lastHeartbeatAt: byId.exr_stopped.heartbeatAt > byId.exr_live2.heartbeatAt ? byId.exr_stopped.heartbeatAt : byId.exr_live2.heartbeatAt, liveWindowMs: 3 * lease });

    expect((await call(routes.executors.GET, { path: "/api/executors", headers: await asUser(member) })).status).toBe(403);
    const memberToken = await makeToken(t, member, ["agents:read"]);
    expect((await call(routes.executors.GET, { path: "/api/executors", headers: bearer(memberToken.token) })).status).toBe(403);

    // /api/metrics reads the same numbers from Postgres when scraped.
    const scrape = await call(routes.metrics.GET, { path: "/api/metrics" });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    expect(gauge("capreg_execution_queue_depth")).toBe(queued);
    expect(gauge("capreg_executions_running")).toBe(running);
    expect(gauge("capreg_sandbox_pool_size")).toBe(4);
    expect(gauge("capreg_executors_live")).toBe(2);
  });
});

describe("the list counts a code capability's executions by slug", () => {
  test("a capability row gives the list its name and icon", async () => {
    const owner = await makeUser(t);
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ name: "Named thing", icon: "🧪" }) });
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Named");
    const e = await seed({ agentId: agent, slug: cap.slug, capabilityId: cap.capabilityId, versionId: cap.versionId });
    const { body } = await list(owner, `?agentId=${agent}`);
    expect(body.items).toEqual([expect.objectContaining({ id: e.id, capability: { id: cap.capabilityId, slug: cap.slug, name: "Named thing", icon: "🧪" } })]);
  });
});

describe("what the pages read besides the API", () => {
  test("the Run panel's forms: declared inputs (an api-connector's endpoints) and examples, per installed version; 404 for others", async () => {
    const { readSeedCatalog } = await import("../../lib/registry/seed-catalog");
    const { listActionForms } = await import("../../lib/execution/records/list-action-forms");
    const catalog = readSeedCatalog();
    const owner = await makeUser(t);
    const other = await makeUser(t);
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Forms");
    const installed: Record<string, string> = {};
    for (const slug of ["unit-converter", "github"]) {
      const entry = catalog.find((c) => c.manifest.slug === slug)!;
      const v = await publishVersion(t, { owner, manifest: entry.manifest as unknown as Record<string, unknown> });
      await t.db.installation.create({ data: { id: newId("ins"), agentId: agent, capabilityId: v.capabilityId, versionId: v.versionId, grantedPermissions: [], installedById: owner.id } });
      installed[slug] = v.versionId;
    }
    const caller = (u: User) => ({ userId: u.id, role: u.role, actor: { type: "user" as const, id: u.id } });
    const forms = await listActionForms(t.db, { caller: caller(owner), agentId: agent });
    expect(Object.keys(forms).sort()).toEqual(Object.values(installed).sort());
    const convert = forms[installed["unit-converter"]!]!.find((f) => f.id === "convert")!;
    expect(convert.inputs.map((i) => [i.name, i.type, i.required])).toEqual([
      ["value", "number", true],
      ["from", "string", true],
      ["to", "string", true],
    ]);
    expect(convert.inputs[1]!.description).toMatch(/km/);
    expect(convert.examples).toEqual([
      { name: null, input: { value: 10, from: "km", to: "mi" } },
      { name: null, input: { value: 212, from: "F", to: "C" } },
    ]);
    const github = forms[installed.github!]!;
    expect(github.map((f) => f.id)).toEqual(["getRepository", "listIssues", "createIssue"]);
    expect(github[0]).toMatchObject({ name: "Get a repository", inputs: [expect.objectContaining({ name: "owner", required: true }), expect.objectContaining({ name: "repo", required: true })] });

    await expect(listActionForms(t.db, { caller: caller(other), agentId: agent })).rejects.toMatchObject({ code: "not_found" });
  });

  test("the filters' choices: your agents, and the capabilities installed or run on them", async () => {
    const { listExecutionFacets } = await import("../../lib/execution/records/list-execution-facets");
    const owner = await makeUser(t);
    const stranger = await makeUser(t);
    const agent = await makeAgent(agentsClient(agentRoutes, await asUser(owner)), "Facet agent");
    const theirs = await makeAgent(agentsClient(agentRoutes, await asUser(stranger)), "Their facet agent");
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ name: "Installed one", icon: "🔧" }) });
    await t.db.installation.create({ data: { id: newId("ins"), agentId: agent, capabilityId: cap.capabilityId, versionId: cap.versionId, grantedPermissions: [], installedById: owner.id } });
    await seed({ agentId: agent, slug: "gone-capability" });
    await seed({ agentId: theirs, slug: "their-secret-capability" });
    const facets = await listExecutionFacets(t.db, { viewer: { userId: owner.id, role: "member" } });
    expect(facets.agents).toEqual([{ id: agent, name: "Facet agent" }]);
    expect(facets.capabilities).toEqual([
      { slug: "gone-capability", name: "gone-capability", icon: "🧩" },
      { slug: cap.slug, name: "Installed one", icon: "🔧" },
    ]);
    const admin = await listExecutionFacets(t.db, { viewer: { userId: "usr_admin", role: "admin" } });
    expect(admin.agents.map((a) => a.id)).toEqual(expect.arrayContaining([agent, theirs]));
    expect(admin.capabilities.map((c) => c.slug)).toContain("their-secret-capability");
  });
});

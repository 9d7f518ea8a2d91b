// The HTTP conventions of ARCHITECTURE.md, checked on real route handlers: problem+json
// with field paths, 400/413/415/422, unknown routes, health and metrics.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let token: string;
let events: typeof import("../../app/api/events/route");

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  const user = await makeUser(t, "admin");
  token = (await makeToken(t, user, ["events:read", "events:write", "tokens:write"])).token;
  events = await import("../../app/api/events/route");
});
afterAll(() => t.drop());

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  call(events.POST, { method: "POST", path: "/api/events", headers: { ...bearer(token), ...headers }, body });

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await res.json();
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

test("malformed JSON is a 400 problem", async () => {
  const body = await problem(await post("{not json"), 400);
  expect(body.errors[0].path).toBe("(body)");
});

test("valid JSON with invalid content is a 422 naming every field path", async () => {
  const body = await problem(await post(JSON.stringify({ data: { message: 7, tags: ["ok", 3] }, subject: { type: "" } })), 422);
  expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["data.message", "data.tags[1]", "subject.id", "subject.type"]);
});

test("a body over 1 MB is a 413, also when sent without a length", async () => {
  const big = JSON.stringify({ data: { message: "x".repeat(1024 * 1024 + 10) } });
  await problem(await post(big), 413);
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  await problem(await post(stream as unknown as BodyInit), 413);
});

test("a wrong media type is a 415", async () => {
  await problem(await post("message=hi", { "content-type": "application/x-www-form-urlencoded" }), 415);
});

test("invalid query parameters are a 400 with their path", async () => {
  const res = await call(events.GET, { path: "/api/events?limit=500&actorType=robot", headers: bearer(token) });
  const body = await problem(res, 400);
  expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["query.actorType[0]", "query.limit"]);
  await problem(await call(events.GET, { path: "/api/events?cursor=bogus", headers: bearer(token) }), 400);
});

test("unknown /api routes answer a problem+json 404 for every method", async () => {
  const route = await import("../../app/api/[...slug]/route");
  for (const method of ["GET", "POST", "DELETE"] as const) {
    const res = await call(route[method] as never, { method, path: "/api/does-not-exist" });
    const body = await problem(res, 404);
    expect(body.detail).toContain("/api/does-not-exist");
  }
});

test("an unknown event id is a 404; a malformed one a 400", async () => {
  const route = await import("../../app/api/events/[id]/route");
  await problem(await call(route.GET, { path: "/api/events/evt_0000000000000000000000000a", headers: bearer(token), params: { id: "evt_0000000000000000000000000a" } }), 404);
  await problem(await call(route.GET, { path: "/api/events/%27or1=1", headers: bearer(token), params: { id: "'or1=1" } }), 400);
});

test("health reports the database, migrations and executors (degraded while none is live)", async () => {
  const route = await import("../../app/api/health/route");
  const res = await call(route.GET, { path: "/api/health" });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    status: "degraded",
    database: { reachable: true },
    migrations: { current: true, pending: [] },
    executions: { liveExecutors: 0, queueDepth: 0 },
    version: expect.any(String),
  });
  await t.db.executor.create({ data: { id: "exr_health", host: "test", pid: 1, slots: 2, poolSize: 2 } });
  const again = await (await call(route.GET, { path: "/api/health" })).json();
  expect(again).toMatchObject({ status: "ok", executions: { liveExecutors: 1, poolSize: 2 } });
  await t.db.executor.update({ where: { id: "exr_health" }, data: { status: "stopped", stoppedAt: new Date() } });
  expect((await (await call(route.GET, { path: "/api/health" })).json()).status).toBe("degraded");
});

test("metrics are Prometheus text with request durations by route and events appended", async () => {
  await post(JSON.stringify({ data: { message: "count me" } }));
  const route = await import("../../app/api/metrics/route");
  const res = await call(route.GET, { path: "/api/metrics" });
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/capreg_http_request_duration_seconds_bucket\{[^}]*route="\/api\/events"/);
  expect(text).toMatch(/capreg_events_appended_total\{type="note.recorded"\} [1-9]/);
  expect(text).toContain("capreg_sse_clients");
});

// GET /api/events/stream through the real route handler: replay, resume without gaps or
// duplicates, filters, and fan-out of events written on another connection.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { appendEvent } from "../../lib/events/append-event";
import { getLiveEvents } from "../../lib/events/live-events";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let token: string;
let other: Db;
let GET: typeof import("../../app/api/events/stream/route").GET;

const note = (message: string, stream = "s") =>
  ({ type: "note.recorded", data: { message }, stream: { type: "test", id: stream }, actor: { type: "system", id: null } }) as const;

interface Frame {
  id: number;
  event: { seq: number; data: { message?: string }; streamId: string };
}

/** Reads SSE frames from a Response until `until` says stop. */
async function readFrames(res: Response, until: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<Frame[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  while (!until(frames)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out with frames ${frames.map((f) => f.id).join(",")}`);
    const chunk = await Promise.race([reader.read(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out with frames ${frames.map((f) => f.id).join(",")}`)), remaining))]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const id = /^id: (\d+)$/m.exec(raw);
      const data = /^data: (.*)$/m.exec(raw);
      if (id && data) frames.push({ id: Number(id[1]), event: JSON.parse(data[1]!) });
    }
  }
  reader.releaseLock();
  return frames;
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  const admin = await makeUser(t, "admin");
  token = (await makeToken(t, admin, ["events:read", "events:write"])).token;
  other = createPrismaClient(t.appUrl, 2);
  ({ GET } = await import("../../app/api/events/stream/route"));
});
afterAll(async () => {
  await getLiveEvents().close();
  await other.$disconnect();
  await t.drop();
});

async function headSeq(): Promise<number> {
  const [r] = await t.db.$queryRawUnsafe<{ m: bigint | null }[]>(`SELECT max(seq) AS m FROM events`);
  return Number(r?.m ?? 0);
}

test("without a resume point it sends only what happens after connecting", async () => {
  const ac = new AbortController();
  await appendEvent(t.db, note("before"));
  const res = await call(GET, { path: "/api/events/stream", headers: bearer(token), signal: ac.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const head = await headSeq();
  await appendEvent(other, note("after"));
  const frames = await readFrames(res, (f) => f.length >= 1);
  expect(frames.map((f) => f.id)).toEqual([head + 1]);
  expect(frames[0]!.event.data.message).toBe("after");
  ac.abort();
});

test("a client that disconnects at seq N and resumes with Last-Event-ID gets exactly N+1.. once each", async () => {
  const start = await headSeq();
  for (let i = 0; i < 5; i++) await appendEvent(t.db, note(`r${i}`));
  const ac1 = new AbortController();
  const first = await call(GET, { path: `/api/events/stream?fromSeq=${start + 1}`, headers: bearer(token), signal: ac1.signal });
  const seen = await readFrames(first, (f) => f.length >= 3);
  expect(seen.slice(0, 3).map((f) => f.id)).toEqual([start + 1, start + 2, start + 3]);
  const n = seen[2]!.id;
  ac1.abort();
  // Events written while the client is away, from another connection.
  for (let i = 0; i < 4; i++) await appendEvent(other, note(`away${i}`));
  const head = await headSeq();
  const ac2 = new AbortController();
  const resumed = await call(GET, { path: "/api/events/stream", headers: { ...bearer(token), "last-event-id": String(n) }, signal: ac2.signal });
  const replayed = await readFrames(resumed, (f) => f.some((x) => x.id >= head));
  // …and live ones after the replay, still in order and once each.
  await appendEvent(other, note("live1"));
  await appendEvent(other, note("live2"));
  const live = await readFrames(resumed, (f) => f.some((x) => x.id >= head + 2));
  const ids = [...replayed, ...live].map((f) => f.id);
  expect(ids).toEqual(Array.from({ length: head + 2 - n }, (_, i) => n + 1 + i));
  ac2.abort();
});

test("an event written through a second connection reaches a connected client within 1 s", async () => {
  const ac = new AbortController();
  const res = await call(GET, { path: "/api/events/stream", headers: bearer(token), signal: ac.signal });
  const reading = readFrames(res, (f) => f.length >= 1, 1000);
  const sentAt = Date.now();
  await appendEvent(other, note("cross-connection"));
  const frames = await reading;
  expect(frames[0]!.event.data.message).toBe("cross-connection");
  expect(Date.now() - sentAt).toBeLessThan(1000);
  ac.abort();
});

test("filters apply to replay and live events alike", async () => {
  const start = await headSeq();
  await appendEvent(t.db, note("a1", "alpha"));
  await appendEvent(t.db, note("b1", "beta"));
  const ac = new AbortController();
  const res = await call(GET, { path: `/api/events/stream?fromSeq=${start + 1}&streamId=beta`, headers: bearer(token), signal: ac.signal });
  void appendEvent(other, note("a2", "alpha")).then(() => appendEvent(other, note("b2", "beta")));
  const frames = await readFrames(res, (f) => f.length >= 2);
  expect(frames.map((f) => f.event.data.message)).toEqual(["b1", "b2"]);
  expect(frames.every((f) => f.event.streamId === "beta")).toBe(true);
  ac.abort();
});

test("a bad resume point or filter is a 400 problem, and no token is a 401", async () => {
  const bad = await call(GET, { path: "/api/events/stream", headers: { ...bearer(token), "last-event-id": "abc" } });
  expect(bad.status).toBe(400);
  expect(bad.headers.get("content-type")).toBe("application/problem+json");
  const badFilter = await call(GET, { path: "/api/events/stream?severity=loud", headers: bearer(token) });
  expect(badFilter.status).toBe(400);
  expect((await badFilter.json()).errors[0].path).toBe("query.severity[0]");
  const anon = await call(GET, { path: "/api/events/stream" });
  expect(anon.status).toBe(401);
});

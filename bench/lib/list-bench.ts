// Part 3: GET /api/events latency with a large log. Bulk-appends events through the same
// capreg_append_event path the app uses (one statement per batch of rows; the commit-time
// trigger chains them, so the chain stays valid), then times sequential requests on
// loopback, and GET /api/events/verify over the whole log.
import pg from "pg";
import { authenticateApiToken } from "../../lib/auth/api-tokens";
import { createPrismaClient } from "../../lib/db/prisma";
import { canonicalJson } from "../../lib/events/canonical-json";
import { EVENT_COLUMNS } from "../../lib/events/event-record";
import { EVENT_TYPES, type EventType } from "../../lib/events/event-types";
import type { EventBody } from "../../lib/events/hash-chain";
import { listEvents } from "../../lib/events/list-events";
import { redact } from "../../lib/events/redact";
import { newId } from "../../lib/ids";
import { timedGet } from "./api";
import { summarize, type Summary } from "./stats";

export interface ListBenchOptions {
  baseUrl: string;
  token: string;
  ownerUrl: string;
  events: number;
  requests: number;
  log: (line: string) => void;
}

export interface ListVariant {
  name: string;
  query: string;
  requests: number;
  latency: Summary;
}

export interface ListBenchResult {
  bulk: { events: number; seconds: number; perSecond: number };
  totalEvents: number;
  variants: ListVariant[];
  /** The headline request's work layer by layer (SQL alone, Prisma in-process, HTTP), for where the time goes. */
  breakdown: ListVariant[];
  verify: { ok: boolean; checked: number; expected: number; ms: number; reason?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const USERS = Array.from({ length: 50 }, (_, i) => `usr_bench${String(i).padStart(21, "0")}`);

function typeFor(i: number): EventType {
  const r = i % 100;
  if (r === 0) return "user.role_changed"; // 1 %
  if (r < 5) return "setting.changed"; // 4 %
  if (r < 15) return "user.signed_in"; // 10 %
  if (r < 20) return "token.created"; // 5 %
  return "note.recorded"; // 80 %
}

function dataFor(type: EventType, i: number): unknown {
  switch (type) {
    case "user.role_changed":
      return { from: "member", to: i % 2 ? "admin" : "member" };
    case "setting.changed":
      return { key: `bench.setting${i % 7}`, from: i - 1, to: i };
    case "user.signed_in":
      return { email: `user${i % 50}@example.com`, ip: "127.0.0.1" };
    case "token.created":
      return { name: `ci ${i}`, prefix: `crk_${i.toString(36)}`, scopes: ["events:read"], expiresAt: null };
    default:
      return { message: `bulk note ${i}: the quick brown fox jumps over the lazy dog`, tags: ["bench", `batch${Math.floor(i / 1000)}`] };
  }
}

/** Column arrays for one batch, built exactly as appendEvent builds an event. */
function batchColumns(from: number, count: number, baseTime: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 14 }, () => []);
  for (let i = from; i < from + count; i++) {
    const type = typeFor(i);
    const actorId = USERS[i % USERS.length]!;
    const data = redact(dataFor(type, i));
    const body: EventBody = {
      id: newId("evt"),
      streamType: "user",
      streamId: actorId,
      type,
      severity: EVENT_TYPES[type].severity,
      actor: { type: "user", id: actorId },
      subject: null,
      correlationId: newId("cor"),
      causationId: null,
      data,
      createdAt: new Date(baseTime + i).toISOString(),
    };
    const row = [body.id, body.streamType, body.streamId, body.type, body.severity, body.actor.type, body.actor.id, null, null, body.correlationId, null, canonicalJson(data), body.createdAt, canonicalJson(body)];
    row.forEach((v, c) => cols[c]!.push(v));
  }
  return cols;
}

const BULK_SQL = `SELECT capreg_append_event(id, st, sid, ty, sev, at, aid, subt, subid, cor, cau, d::jsonb, c::timestamptz, b)::text
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
              $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
       AS t(id, st, sid, ty, sev, at, aid, subt, subid, cor, cau, d, c, b)`;

async function bulkAppend(ownerUrl: string, total: number, log: (l: string) => void): Promise<{ events: number; seconds: number; perSecond: number }> {
  const BATCH = 1000;
  const CONNECTIONS = 2;
  const baseTime = Date.now() - total;
  const started = performance.now();
  let next = 0;
  let done = 0;
  let lastLog = started;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        while (next < total) {
          const from = next;
          const count = Math.min(BATCH, total - from);
          next += count;
          await client.query(BULK_SQL, batchColumns(from, count, baseTime));
          done += count;
          if (performance.now() - lastLog > 5000) {
            lastLog = performance.now();
            log(`list: bulk ${done}/${total} events (${Math.round(done / ((lastLog - started) / 1000))}/s)`);
          }
        }
      } finally {
        await client.end();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { events: total, seconds, perSecond: total / seconds };
}

/** Waits until the server's connections have been idle for a while (its live fan-out caught up). */
async function waitForServerIdle(client: pg.Client, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  let quiet = 0;
  while (performance.now() < deadline && quiet < 10) {
    const r = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()
         AND state NOT IN ('idle') AND backend_type = 'client backend' AND query NOT ILIKE 'LISTEN%'`,
    );
    quiet = Number(r.rows[0]?.n ?? 0) === 0 ? quiet + 1 : 0;
    await sleep(200);
  }
}

export async function runListBench(o: ListBenchOptions): Promise<ListBenchResult> {
  const owner = new pg.Client({ connectionString: o.ownerUrl });
  await owner.connect();
  try {
    o.log(`list: bulk-appending ${o.events} events`);
    const bulk = await bulkAppend(o.ownerUrl, o.events, o.log);
    o.log(`list: bulk append done: ${o.events} events in ${bulk.seconds.toFixed(1)} s (${Math.round(bulk.perSecond)}/s)`);
    // What autovacuum would have done long before a real log reached this size.
    await owner.query("VACUUM ANALYZE events");
    await owner.query("VACUUM ANALYZE event_pending");
    await waitForServerIdle(owner, 60_000);
    const totalEvents = Number((await owner.query<{ n: string }>("SELECT count(*) AS n FROM events")).rows[0]?.n ?? 0);

    const url = (q: string) => `${o.baseUrl}/api/events?${q}`;
    const repeat = async (name: string, query: string, n: number): Promise<ListVariant> => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push((await timedGet(url(query), o.token)).ms);
      const v = { name, query, requests: n, latency: summarize(times) };
      o.log(`list: ${name.padEnd(34)} p50 ${v.latency.p50.toFixed(2)} ms  p99 ${v.latency.p99.toFixed(2)} ms  max ${v.latency.max.toFixed(1)} ms  (${n} requests)`);
      return v;
    };

    // Warm-up: route compilation caches, the pool, the token lookup.
    for (let i = 0; i < 100; i++) await timedGet(url("limit=50"), o.token);

    const variants: ListVariant[] = [];
    variants.push(await repeat("limit=50 (newest page)", "limit=50", o.requests));
    variants.push(await repeat("type=note.recorded (80 % of log)", "limit=50&type=note.recorded", 200));
    variants.push(await repeat("type=user.role_changed (1 %)", "limit=50&type=user.role_changed", 200));
    variants.push(await repeat("actorId=<one of 50 users>", `limit=50&actorId=${USERS[7]}`, 200));
    variants.push(await repeat("streamType+streamId=<one stream>", `limit=50&streamType=user&streamId=${USERS[9]}`, 200));

    // Following nextCursor page by page from the head, 25,000 events deep.
    {
      const times: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 500; i++) {
        const r: { ms: number; body: { nextCursor: string | null } } = await timedGet(url(`limit=50${cursor ? `&cursor=${cursor}` : ""}`), o.token);
        times.push(r.ms);
        cursor = r.body.nextCursor;
        if (!cursor) break;
      }
      const v = { name: "nextCursor walk, 500 pages deep", query: "limit=50&cursor=<next>", requests: times.length, latency: summarize(times) };
      o.log(`list: ${v.name.padEnd(34)} p50 ${v.latency.p50.toFixed(2)} ms  p99 ${v.latency.p99.toFixed(2)} ms  max ${v.latency.max.toFixed(1)} ms  (${v.requests} requests)`);
      variants.push(v);
    }
    // A page near the very start of the log (a cursor as the API issues them: base64url "desc:<seq>").
    const deep = Buffer.from("desc:2000").toString("base64url");
    variants.push(await repeat("cursor at seq 2,000 (oldest pages)", `limit=50&cursor=${deep}`, 100));
    // A filter without an index that matches nothing: the worst case, a scan of the log.
    variants.push(await repeat("severity=error (no index, 0 hits)", "limit=50&severity=error", 30));

    // Where the time of the headline request goes: the same work layer by layer.
    const breakdown: ListVariant[] = [];
    const measure = async (name: string, n: number, fn: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await fn();
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      const v = { name, query: "", requests: n, latency: summarize(times) };
      o.log(`list: breakdown ${name.padEnd(44)} p50 ${v.latency.p50.toFixed(2)} ms  p99 ${v.latency.p99.toFixed(2)} ms`);
      breakdown.push(v);
    };
    const EVENT_SQL = `SELECT ${EVENT_COLUMNS} FROM events ORDER BY seq DESC LIMIT $1`;
    await measure("SQL only (pg client)", 200, () => owner.query(EVENT_SQL, [51]));
    const db = createPrismaClient(o.ownerUrl, 2);
    try {
      await measure("listEvents() in-process (Prisma)", 200, () => listEvents(db, { limit: 50 }));
      await measure("authenticateApiToken() in-process (Prisma)", 200, () => authenticateApiToken(db, o.token));
    } finally {
      await db.$disconnect().catch(() => {});
    }
    await measure("GET /api/health (HTTP, no auth, 1 query)", 200, () => fetch(`${o.baseUrl}/api/health`).then((r) => r.text()));
    await measure("GET /api/events?limit=1 (HTTP)", 200, () => timedGet(url("limit=1"), o.token));
    await measure("GET /api/events?limit=50 (HTTP, again)", 200, () => timedGet(url("limit=50"), o.token));

    o.log(`list: GET /api/events/verify over ${totalEvents} events…`);
    const v = await timedGet<{ ok: boolean; checked: number; reason?: string }>(`${o.baseUrl}/api/events/verify`, o.token);
    const expected = Number((await owner.query<{ n: string }>("SELECT count(*) AS n FROM events")).rows[0]?.n ?? 0);
    const verify = { ok: v.body.ok && v.body.checked === expected, checked: v.body.checked, expected, ms: v.ms, reason: v.body.reason };
    o.log(`list: verify ${v.body.ok ? "ok" : `BROKEN (${v.body.reason})`}, ${v.body.checked} checked of ${expected}, ${(v.ms / 1000).toFixed(2)} s`);

    // The verifier hashes in the server's event loop: what other requests see meanwhile.
    const during: number[] = [];
    let verifying = true;
    const background = timedGet(`${o.baseUrl}/api/events/verify`, o.token).finally(() => (verifying = false));
    while (verifying) during.push((await timedGet(url("limit=50"), o.token)).ms);
    await background;
    const duringVerify = { name: "limit=50 while a verify runs", query: "limit=50", requests: during.length, latency: summarize(during) };
    o.log(`list: ${duringVerify.name.padEnd(34)} p50 ${duringVerify.latency.p50.toFixed(2)} ms  p99 ${duringVerify.latency.p99.toFixed(2)} ms  max ${duringVerify.latency.max.toFixed(1)} ms  (${during.length} requests)`);
    variants.push(duringVerify);
    return { bulk, totalEvents, variants, breakdown, verify };
  } finally {
    await owner.end().catch(() => {});
  }
}

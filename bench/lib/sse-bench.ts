// Part 2: commit-to-client latency of GET /api/events/stream with many connected
// clients. Events are appended straight into the server's database (owner connection,
// appendEvent as one statement), so the commit time is known exactly: the moment the
// append resolved. Clients run in this process, so both ends share performance.now().
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { appendEvent } from "../../lib/events/append-event";
import { SseClient } from "./sse-client";
import { summarize, type Summary } from "./stats";

export interface SseBenchOptions {
  baseUrl: string;
  token: string;
  ownerUrl: string;
  clients: number;
  events: number;
  intervalMs: number;
  log: (line: string) => void;
}

export interface SseBenchResult {
  clients: number;
  events: number;
  intervalMs: number;
  /** Commit → receipt (ms), over every client × event. */
  latency: Summary;
  /** Per event: the slowest client (ms). */
  slowestClientPerEvent: Summary;
  /** Time for appendEvent itself (ms), for context. */
  appendLatency: Summary;
  missing: number;
  connectSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Receipt {
  client: number;
  data: string;
  receivedAt: number;
  id?: string;
}

export async function runSseBench(o: SseBenchOptions): Promise<SseBenchResult> {
  const receipts: Receipt[] = [];
  const clients: SseClient[] = [];
  const db: Db = createPrismaClient(o.ownerUrl, 2);
  try {
    const t0 = performance.now();
    for (let i = 0; i < o.clients; i++) {
      clients.push(
        new SseClient({
          url: `${o.baseUrl}/api/events/stream`,
          headers: { authorization: `Bearer ${o.token}` },
          // Parsing happens after the run; here only the raw frame and its time are kept.
          onFrame: (f) => {
            if (f.event === "event") receipts.push({ client: i, data: f.data, receivedAt: f.receivedAt });
          },
        }),
      );
    }
    await Promise.all(clients.map((c) => c.connect()));
    const connectSeconds = (performance.now() - t0) / 1000;
    o.log(`sse: ${o.clients} clients connected in ${connectSeconds.toFixed(2)} s`);

    const append = (n: number, phase: string) =>
      appendEvent(db, {
        type: "note.recorded",
        data: { message: `sse bench ${phase} ${n}`, tags: ["bench", "sse"] },
        stream: { type: "bench", id: `sse-${phase}` },
        actor: { type: "system", id: null },
      });

    const waitForAll = async (ids: Set<string>, timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const got = receipts.filter((r) => ids.has(idOf(r))).length;
        if (got >= ids.size * o.clients || performance.now() > deadline) return got;
        await sleep(50);
      }
    };

    // Warm-up: the server's fan-out path, the pool, this process's reader loops.
    const warmIds = new Set<string>();
    for (let i = 0; i < 20; i++) {
      warmIds.add((await append(i, "warmup")).id);
      await sleep(o.intervalMs);
    }
    await waitForAll(warmIds, 10_000);
    receipts.length = 0;

    const committedAt = new Map<string, number>();
    const appendLatencies: number[] = [];
    const start = performance.now();
    for (let i = 0; i < o.events; i++) {
      const before = performance.now();
      const { id } = await append(i, "measure");
      const now = performance.now();
      committedAt.set(id, now);
      appendLatencies.push(now - before);
      const next = start + (i + 1) * o.intervalMs;
      if (next > performance.now()) await sleep(next - performance.now());
    }
    const got = await waitForAll(new Set(committedAt.keys()), 15_000);
    for (const c of clients) if (c.error) o.log(`sse: a client failed: ${String(c.error)}`);

    const latencies: number[] = [];
    const slowest = new Map<string, number>();
    for (const r of receipts) {
      const id = idOf(r);
      const at = committedAt.get(id);
      if (at === undefined) continue;
      const l = r.receivedAt - at;
      latencies.push(l);
      slowest.set(id, Math.max(slowest.get(id) ?? -Infinity, l));
    }
    const expected = o.events * o.clients;
    return {
      clients: o.clients,
      events: o.events,
      intervalMs: o.intervalMs,
      latency: summarize(latencies),
      slowestClientPerEvent: summarize([...slowest.values()]),
      appendLatency: summarize(appendLatencies),
      missing: expected - Math.min(got, latencies.length),
      connectSeconds,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await db.$disconnect().catch(() => {});
  }
}

/** The event id of a frame, extracted once (the record's first "id" key is the event's). */
function idOf(r: Receipt): string {
  r.id ??= /"id":"(evt_[^"]+)"/.exec(r.data)?.[1] ?? (JSON.parse(r.data) as { id: string }).id;
  return r.id;
}

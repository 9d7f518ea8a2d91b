// One SSE subscription: replays from the resume point out of the database, then follows
// the live fan-out, never sending a seq twice or skipping one that matches the filter.
// Framework-free: produces SSE text frames through `send`; the route wires it to HTTP.
import type { Db } from "../db/prisma";
import type { EventRecord } from "./event-record";
import { matchesFilter, type EventFilter } from "./event-filters";
import { listEventsAfter } from "./list-events";
import type { LiveEvents } from "./live-events";

export interface EventStreamOptions {
  db: Db;
  live: LiveEvents;
  filter: EventFilter;
  /** Send events with seq > afterSeq; undefined means "from now on". */
  afterSeq?: number;
  send: (frame: string) => boolean;
  heartbeatMs: number;
  /** Called when the stream must end (the client cannot keep up, or the replay failed). */
  onOverflow: () => void;
  maxBuffered?: number;
}

export function formatEventFrame(e: EventRecord): string {
  return `id: ${e.seq}\nevent: event\ndata: ${JSON.stringify(e)}\n\n`;
}

export async function openEventStream(o: EventStreamOptions): Promise<() => void> {
  const buffered: EventRecord[] = [];
  let replaying = true;
  let lastSent = 0;
  let closed = false;
  const maxBuffered = o.maxBuffered ?? 10_000;

  const deliver = (e: EventRecord) => {
    if (closed || e.seq <= lastSent || !matchesFilter(e, o.filter)) return;
    lastSent = e.seq;
    if (!o.send(formatEventFrame(e))) {
      closed = true;
      o.onOverflow();
    }
  };

  const unsubscribe = await o.live.subscribe((e) => {
    if (!replaying) return deliver(e);
    buffered.push(e);
    if (buffered.length > maxBuffered) {
      closed = true;
      o.onOverflow();
    }
  });

  const heartbeat = setInterval(() => {
    if (!closed) o.send(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, o.heartbeatMs);
  heartbeat.unref?.();

  const close = () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  };

  lastSent = o.afterSeq ?? o.live.headSeq;
  o.send(`retry: 2000\n: connected after=${lastSent}\n\n`);
  // The replay runs after the caller has answered, so a long history streams out in
  // batches instead of being buffered before the first byte.
  const replay = async () => {
    if (o.afterSeq !== undefined) {
      for (;;) {
        const batch = await listEventsAfter(o.db, lastSent, o.filter, 500);
        for (const e of batch) deliver(e);
        if (batch.length < 500 || closed) break;
        await new Promise((r) => setImmediate(r));
      }
    }
    replaying = false;
    for (const e of buffered.splice(0)) deliver(e);
  };
  replay().catch(() => {
    close();
    o.onOverflow();
  });
  return close;
}

// Live fan-out of the event log to this process's subscribers (SSE clients). One LISTEN
// connection per process; a NOTIFY from any instance (sent by capreg_append_event at
// commit) makes it read everything after the last seq it saw, in order, and hand each
// event to every subscriber. Nothing here is the source of truth: a subscriber that
// misses something resumes from the database by seq.
import { EventEmitter } from "node:events";
import pg from "pg";
import { appDatabaseUrl, getPrisma, type Db } from "../db/prisma";
import type { EventRecord } from "./event-record";
import { getHeadSeq, listEventsAfter } from "./list-events";

export type LiveListener = (event: EventRecord) => void;

class LiveEvents {
  private emitter = new EventEmitter();
  private client: pg.Client | undefined;
  private lastSeq = 0;
  private started: Promise<void> | undefined;
  private draining = false;
  private again = false;
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly db: Db,
    private readonly url: string,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Highest seq handed to subscribers (events up to here are in the database). */
  get headSeq(): number {
    return this.lastSeq;
  }

  async subscribe(listener: LiveListener): Promise<() => void> {
    this.emitter.on("event", listener);
    try {
      await this.start();
    } catch (err) {
      this.emitter.off("event", listener);
      throw err;
    }
    return () => this.emitter.off("event", listener);
  }

  start(): Promise<void> {
    this.started ??= this.connect().catch((err) => {
      this.started = undefined;
      throw err;
    });
    return this.started;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("notification", () => void this.drain());
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    await client.connect();
    await client.query("LISTEN capreg_events");
    this.client = client;
    if (this.lastSeq === 0) this.lastSeq = await getHeadSeq(this.db);
    this.retryMs = 250;
    // Whatever committed while we were not listening.
    void this.drain();
  }

  private reconnect(client: pg.Client) {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    setTimeout(() => {
      this.started = undefined;
      this.start().catch(() => this.reconnect(client));
    }, wait).unref();
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const batch = await listEventsAfter(this.db, this.lastSeq, {}, 500);
          for (const e of batch) {
            this.lastSeq = e.seq;
            this.emitter.emit("event", e);
          }
          if (batch.length < 500) break;
        }
      } while (this.again);
    } catch {
      // The next notification (or reconnect) retries from lastSeq.
    } finally {
      this.draining = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => {});
  }
}

const g = globalThis as unknown as { capregLiveEvents?: LiveEvents };

export function getLiveEvents(): LiveEvents {
  g.capregLiveEvents ??= new LiveEvents(getPrisma(), appDatabaseUrl());
  return g.capregLiveEvents;
}

export function createLiveEvents(db: Db, url: string): LiveEvents {
  return new LiveEvents(db, url);
}
export type { LiveEvents };

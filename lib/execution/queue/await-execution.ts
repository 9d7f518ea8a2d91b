// Waits for an execution to reach a final status, in the web process. One LISTEN
// connection per process on `capreg_exec_done` (payload: execution id; sent by whichever
// executor completed it, on any machine) is shared by every waiter; a notification, the
// first check after LISTEN is up (the execution may have finished before we listened), a
// reconnect, and a slow safety-net poll all go through one batched read of the rows
// being waited for. Nothing here is the source of truth: a missed notification costs at
// most one poll interval, and a waiter that times out resolves with null.
import pg from "pg";
import { appDatabaseUrl, getPrisma, type Db } from "../../db/prisma";
import { EXEC_DONE_CHANNEL } from "./channels";
import { FINAL_STATUSES, type ExecutionError, type ExecutionResources, type ExecutionStatus } from "../types";

const POLL_MS = 1_000;
const MAX_BATCH = 500;

export interface FinishedExecution {
  id: string;
  status: ExecutionStatus;
  output: unknown;
  error: ExecutionError | null;
  durationMs: number | null;
  correlationId: string;
  capabilitySlug: string;
  resources: ExecutionResources;
}

interface Waiter {
  resolve(row: FinishedExecution | null): void;
}

const FINISHED_SQL = `SELECT id, status, output, error, duration_ms AS "durationMs", correlation_id AS "correlationId",
  capability_slug AS "capabilitySlug", resources
  FROM executions WHERE id = ANY($1::text[]) AND status = ANY($2::text[])`;

export class ExecutionWaiter {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private client: pg.Client | undefined;
  private started: Promise<void> | undefined;
  private closed = false;
  private retryMs = 250;
  private readonly toCheck = new Set<string>();
  private checking = false;
  private scheduled = false;
  private poller: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private nextAttemptAt = 0;

  constructor(
    private readonly db: Db,
    private readonly url: string,
    /** The safety-net poll's period (tests stretch it to tell a notification from a poll). */
    private readonly pollMs: number = POLL_MS,
  ) {}

  /** Executions being waited for (for tests and metrics). */
  get pending(): number {
    return this.waiters.size;
  }

  /** Resolves with the finished row, or null when `timeoutMs` passes (or `signal` aborts) first. */
  wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<FinishedExecution | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise<FinishedExecution | null>((resolve) => {
      let done = false;
      const waiter: Waiter = {
        resolve: (row) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          this.remove(id, waiter);
          resolve(row);
        },
      };
      const timer = setTimeout(() => waiter.resolve(null), Math.max(0, timeoutMs));
      const onAbort = () => waiter.resolve(null);
      if (signal?.aborted) return waiter.resolve(null);
      signal?.addEventListener("abort", onAbort, { once: true });
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      set.add(waiter);
      this.ensurePolling();
      // Listen first, then look once: a completion committed before LISTEN was up is seen by
      // this check, one committed after it by the notification. If LISTEN cannot be set up,
      // the poll still finds it.
      this.start().then(
        () => this.check([id]),
        () => this.check([id]),
      );
    });
  }

  private remove(id: string, waiter: Waiter) {
    const set = this.waiters.get(id);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) this.waiters.delete(id);
    if (this.waiters.size === 0 && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  private ensurePolling() {
    if (this.poller || this.closed) return;
    this.poller = setInterval(() => this.check([...this.waiters.keys()]), this.pollMs);
    this.poller.unref();
  }

  /** Sets up LISTEN once; after a failure, further attempts wait for the backoff. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the execution waiter is closed"));
    if (!this.started) {
      if (Date.now() < this.nextAttemptAt) return Promise.reject(new Error("LISTEN is reconnecting"));
      this.started = this.connect().catch((err: unknown) => {
        this.started = undefined;
        this.scheduleReconnect();
        throw err;
      });
    }
    return this.started;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("notification", (msg) => {
      if (msg.channel === EXEC_DONE_CHANNEL && msg.payload) this.check([msg.payload]);
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EXEC_DONE_CHANNEL}`);
    } catch (err) {
      this.discard(client);
      throw err;
    }
    if (this.closed) return this.discard(client);
    this.client = client;
    this.retryMs = 250;
  }

  private discard(client: pg.Client) {
    client.removeAllListeners();
    client.on("error", () => {});
    void client.end().catch(() => {});
  }

  /** The LISTEN connection broke: reconnect with backoff, then look at every waiter's row. */
  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = undefined;
    this.started = undefined;
    this.discard(client);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
    this.nextAttemptAt = Date.now() + wait;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.start().then(
        // Whatever finished while we were not listening.
        () => this.check([...this.waiters.keys()]),
        () => {}, // start() scheduled the next attempt; the poll serves waiters meanwhile
      );
    }, wait);
    this.reconnectTimer.unref();
  }

  /** Batches ids to look up: all checks arriving while one read runs go into the next. */
  private check(ids: string[]) {
    for (const id of ids) if (this.waiters.has(id)) this.toCheck.add(id);
    if (this.toCheck.size === 0 || this.checking || this.scheduled) return;
    this.scheduled = true;
    // Let the notifications of one socket read arrive first, then read them together.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain() {
    if (this.checking) return;
    this.checking = true;
    try {
      while (this.toCheck.size) {
        const ids = [...this.toCheck].filter((id) => this.waiters.has(id)).slice(0, MAX_BATCH);
        for (const id of ids) this.toCheck.delete(id);
        if (ids.length === 0) {
          this.toCheck.clear();
          break;
        }
        let rows: FinishedExecution[];
        try {
          // Raw: on the hot path of every invocation, and cheaper than a compiled findMany.
          rows = await this.db.$queryRawUnsafe<FinishedExecution[]>(FINISHED_SQL, ids, FINAL_STATUSES);
        } catch {
          // Database unavailable for a moment: the poll asks again.
          break;
        }
        for (const row of rows) for (const w of [...(this.waiters.get(row.id) ?? [])]) w.resolve(row);
      }
    } finally {
      this.checking = false;
    }
    if (this.toCheck.size) this.check([]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.poller = this.reconnectTimer = undefined;
    for (const [, set] of this.waiters) for (const w of [...set]) w.resolve(null);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on("error", () => {});
      await client.end().catch(() => {});
    }
  }
}

const g = globalThis as unknown as { capregExecutionWaiter?: ExecutionWaiter };

/** The process's waiter (created on first use against the app database). */
export function getExecutionWaiter(): ExecutionWaiter {
  g.capregExecutionWaiter ??= new ExecutionWaiter(getPrisma(), appDatabaseUrl());
  return g.capregExecutionWaiter;
}

/** Closes the process's waiter (tests, shutdown); the next use creates a new one. */
export async function closeExecutionWaiter(): Promise<void> {
  const w = g.capregExecutionWaiter;
  g.capregExecutionWaiter = undefined;
  await w?.close();
}

/** Waits for execution `id` to finish: its final row, or null after `timeoutMs`. */
export function awaitExecution(id: string, timeoutMs: number, options: { signal?: AbortSignal } = {}): Promise<FinishedExecution | null> {
  return getExecutionWaiter().wait(id, timeoutMs, options.signal);
}

// One LISTEN connection for an executor: wakes it when an execution is queued (claim) and
// when one finishes anywhere (a slot freed under the global cap). It reconnects with
// backoff and reports every (re)connect, since notifications sent while it was away are
// lost: the executor then claims at once, and a short poll covers the rest.
import pg from "pg";
import { EXEC_DONE_CHANNEL, EXEC_QUEUED_CHANNEL } from "../queue/channels";

export interface QueueListenerOptions {
  url: string;
  onQueued: (executionId: string) => void;
  onDone: (executionId: string) => void;
  /** After every successful (re)connect. */
  onConnected: () => void;
  onError?: (err: unknown) => void;
}

export class QueueListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: QueueListenerOptions) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.url, keepAlive: true, application_name: "capreg-executor" });
    client.on("notification", (n) => {
      if (!n.payload) return;
      if (n.channel === EXEC_QUEUED_CHANNEL) this.o.onQueued(n.payload);
      else if (n.channel === EXEC_DONE_CHANNEL) this.o.onDone(n.payload);
    });
    client.on("error", (err) => {
      this.o.onError?.(err);
      this.reconnect(client);
    });
    client.on("end", () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EXEC_QUEUED_CHANNEL}; LISTEN ${EXEC_DONE_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners();
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = 250;
    this.o.onConnected();
  }

  /** Connects, or keeps retrying in the background (with backoff) when it cannot yet. */
  async startOrRetry(): Promise<boolean> {
    try {
      await this.start();
      return true;
    } catch (err) {
      this.o.onError?.(err);
      if (!this.closed) this.schedule();
      return false;
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on("error", () => {});
    void client.end().catch(() => {});
    this.schedule();
  }

  private schedule(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start().catch((err) => {
        this.o.onError?.(err);
        if (!this.closed) this.schedule();
      });
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on("error", () => {});
      await c.end().catch(() => {});
    }
  }
}

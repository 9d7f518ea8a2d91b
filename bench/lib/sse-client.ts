// A minimal Server-Sent Events client on fetch + a streaming body reader. Frames are
// timestamped (performance.now()) when the chunk that completes them is read, before
// any parsing, so parsing cost never counts as delivery latency.

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
  /** performance.now() when the chunk completing this frame was read. */
  receivedAt: number;
}

export interface SseClientOptions {
  url: string;
  headers?: Record<string, string>;
  onFrame: (frame: SseFrame) => void;
  /** Called with each comment line (": ..."), e.g. the server's "connected" greeting. */
  onComment?: (text: string, receivedAt: number) => void;
}

export class SseClient {
  private readonly abort = new AbortController();
  private buffer = "";
  private done: Promise<void> | undefined;
  private closed = false;
  /** Set when the stream ended or failed other than by close(). */
  error: unknown;

  constructor(private readonly options: SseClientOptions) {}

  /** Resolves once the response headers arrived with status 200 and the first comment/frame was read. */
  async connect(timeoutMs = 15_000): Promise<void> {
    // Only the connection phase times out; the stream itself lives until close().
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    const res = await fetch(this.options.url, {
      headers: { accept: "text/event-stream", ...this.options.headers },
      signal: this.abort.signal,
    }).catch((err: unknown) => {
      clearTimeout(timer);
      throw new Error(`SSE connect to ${this.options.url} failed: ${String(err)}`);
    });
    if (res.status !== 200 || !res.body) {
      clearTimeout(timer);
      const text = await res.text().catch(() => "");
      throw new Error(`SSE connect: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    const reader = res.body.getReader();
    let firstSeen!: () => void;
    const first = new Promise<void>((resolve) => (firstSeen = resolve));
    const decoder = new TextDecoder();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          const receivedAt = performance.now();
          if (done) break;
          this.buffer += decoder.decode(value, { stream: true });
          if (this.parse(receivedAt)) firstSeen();
        }
        if (!this.closed) this.error = new Error("SSE stream ended by the server");
      } catch (err) {
        if (!this.closed) this.error = err;
      } finally {
        firstSeen();
      }
    })();
    await first;
    clearTimeout(timer);
    if (this.error) throw new Error(`SSE stream failed before its first frame: ${String(this.error)}`);
  }

  /** Dispatches every complete frame in the buffer; true if anything was dispatched. */
  private parse(receivedAt: number): boolean {
    let any = false;
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buffer);
      if (!m) return any;
      const block = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      any = true;
      const data: string[] = [];
      let id: string | undefined;
      let event: string | undefined;
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(":")) {
          this.options.onComment?.(line.slice(1).trim(), receivedAt);
          continue;
        }
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "data") data.push(value);
        else if (field === "id") id = value;
        else if (field === "event") event = value;
      }
      if (data.length) this.options.onFrame({ id, event, data: data.join("\n"), receivedAt });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.done?.catch(() => {});
  }
}

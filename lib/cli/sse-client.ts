// Follows GET /api/events/stream (Server-Sent Events) and survives dropped connections and
// server restarts: it reconnects with backoff and resumes with Last-Event-ID = the last seq
// it delivered, and drops any frame at or below it, so a reconnect never shows an event
// twice and (the server replays from that point) never skips one. Framework-free.
import { problemToError, type ApiClient } from "./api-client";
import { CliError, EXIT } from "./cli-error";

export interface StreamedEvent {
  seq: number;
  type: string;
  [k: string]: unknown;
}

export interface FollowOptions {
  client: ApiClient;
  query: Record<string, string | undefined>;
  /** Deliver events with seq > afterSeq; undefined: from now on. */
  afterSeq?: number;
  signal: AbortSignal;
  onEvent: (e: StreamedEvent) => void;
  /** Told about reconnects (stderr), never about events. */
  onStatus?: (text: string) => void;
  /** Give up after this long without a connection (default: never). */
  maxOfflineMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/** Parses SSE text into frames; returns the unparsed rest. */
export function parseSseFrames(buffer: string, onFrame: (f: { id?: string; event?: string; data: string }) => void): string {
  let i: number;
  let rest = buffer.replace(/\r\n/g, "\n");
  while ((i = rest.indexOf("\n\n")) >= 0) {
    const raw = rest.slice(0, i);
    rest = rest.slice(i + 2);
    const frame: { id?: string; event?: string; data: string } = { data: "" };
    const data: string[] = [];
    for (const line of raw.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const c = line.indexOf(":");
      const field = c < 0 ? line : line.slice(0, c);
      const value = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
      if (field === "id") frame.id = value;
      else if (field === "event") frame.event = value;
      else if (field === "data") data.push(value);
    }
    frame.data = data.join("\n");
    if (frame.data) onFrame(frame);
  }
  return rest;
}

/** Runs until the signal aborts (or the server is gone longer than maxOfflineMs). Resolves with the last seq delivered. */
export async function followEvents(o: FollowOptions): Promise<number | undefined> {
  let last = o.afterSeq;
  let backoff = 250;
  let offlineSince: number | null = null;
  let connectedOnce = false;
  while (!o.signal.aborted) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    o.signal.addEventListener("abort", abort, { once: true });
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (last !== undefined) headers["last-event-id"] = String(last);
      const res = await o.client.raw("GET", "/api/events/stream", { query: o.query, headers, signal: controller.signal });
      if (!res.ok) {
        const body = await res.text().then((t) => {
          try {
            return JSON.parse(t);
          } catch {
            return t;
          }
        });
        const err = problemToError(res.status, body, res.headers, o.client.baseUrl, "GET /api/events/stream");
        // Auth and bad requests do not heal by retrying; a 5xx during a restart may.
        if (res.status < 500) throw err;
        throw Object.assign(new Error(err.message), { retry: true });
      }
      if (connectedOnce) o.onStatus?.(`reconnected; resuming after #${last ?? "now"}`);
      connectedOnce = true;
      offlineSince = null;
      backoff = 250;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer = parseSseFrames(buffer + decoder.decode(chunk.value, { stream: true }), (f) => {
          if (f.event && f.event !== "event") return;
          const e = JSON.parse(f.data) as StreamedEvent;
          const seq = typeof e.seq === "number" ? e.seq : Number(f.id);
          if (last !== undefined && seq <= last) return;
          last = seq;
          o.onEvent(e);
        });
      }
      if (!o.signal.aborted) o.onStatus?.("the server closed the stream; reconnecting");
    } catch (err) {
      if (o.signal.aborted) break;
      if (err instanceof CliError && err.exitCode !== EXIT.network) throw err;
      offlineSince ??= Date.now();
      if (o.maxOfflineMs !== undefined && Date.now() - offlineSince > o.maxOfflineMs) throw err;
      o.onStatus?.(`connection lost (${err instanceof Error ? err.message : String(err)}); retrying in ${backoff} ms`);
    } finally {
      o.signal.removeEventListener("abort", abort);
      controller.abort();
    }
    await sleep(backoff, o.signal);
    backoff = Math.min(backoff * 2, 5000);
  }
  return last;
}

// The host end of ctx.fetch and ctx.kv for one execution. The bootstrap sends (op, JSON
// string); this parses it with zod (the isolate is untrusted), calls the execution's host
// APIs — which check the grants again on every call — and answers one tagged string:
// "o" + JSON of the result, or "e" + JSON { code, message }. It never rejects and never
// lets a host object, stack or unexpected error text reach the isolate. Once the
// execution ends it is closed: a late call from a leftover promise is refused.
import { z } from "zod";
import { KV_MAX_VALUE_BYTES } from "../host/make-kv-host";
import { hasDataGrant, hasNetworkGrant, HostApiError, type HostApis } from "../host/types";

const FetchArgs = z.object({
  url: z.string().max(16 * 1024),
  method: z.string().min(1).max(32),
  headers: z.record(z.string().max(1024), z.string().max(16 * 1024)),
  body: z.string().optional(),
});
const KeyArgs = z.object({ key: z.string().max(4096) });
const SetArgs = z.object({ key: z.string().max(4096), value: z.string() });
const ListArgs = z.object({ prefix: z.string().max(4096) });

/**
 * A plugin that fires host calls without awaiting them could queue unbounded work on the
 * host (database queries, sockets): at most this many are in flight per execution, and at
 * most MAX_CALLS in all (ctx.fetch has its own, smaller budget).
 */
export const MAX_PENDING_HOST_CALLS = 32;
export const MAX_HOST_CALLS = 10_000;
/** Calls and replies above these sizes are refused rather than parsed or copied. */
const MAX_PAYLOAD_CHARS = 4 * 1024 * 1024;
const MAX_REPLY_CHARS = 8 * 1024 * 1024;

const reply = (value: unknown) => `o${JSON.stringify(value)}`;
const refuse = (code: string, message: string) => `e${JSON.stringify({ code, message })}`;

export interface HostBridgeOptions {
  host: HostApis;
  grants: readonly string[];
  /** Removes secret values from messages going back to the plugin. */
  redact: (s: string) => string;
  /** Unexpected failures (a database error, a bug): reported here, never to the plugin. */
  onInternalError?: (op: string, error: unknown) => void;
}

export class HostBridge {
  /** ctx.fetch calls received (refused ones included). */
  networkCalls = 0;
  /** Host calls started and not yet answered. */
  pending = 0;
  /** Host calls received. */
  calls = 0;
  private closed = false;

  constructor(private readonly o: HostBridgeOptions) {}

  close(): void {
    this.closed = true;
  }

  /** Called (through a Reference) by the bootstrap. Never rejects. */
  call = async (op: unknown, payload: unknown): Promise<string> => {
    if (this.closed) return refuse("closed", "the execution has ended");
    if (typeof op !== "string" || typeof payload !== "string") return refuse("invalid_argument", "malformed host call");
    if (payload.length > MAX_PAYLOAD_CHARS) return refuse("payload_too_large", "the request is too large");
    if (op === "fetch") this.networkCalls++;
    if (++this.calls > MAX_HOST_CALLS) return refuse("too_many_requests", `at most ${MAX_HOST_CALLS} host calls per execution`);
    if (this.pending >= MAX_PENDING_HOST_CALLS) return refuse("too_many_requests", `at most ${MAX_PENDING_HOST_CALLS} host calls may be in flight at once; await them`);
    this.pending++;
    try {
      const out = await this.dispatch(op, payload);
      if (out.length > MAX_REPLY_CHARS) return refuse("response_too_large", "the reply is too large");
      return out;
    } catch (err) {
      if (err instanceof HostApiError) return refuse(err.code, this.o.redact(err.message));
      try {
        this.o.onInternalError?.(op, err);
      } catch {
        // reporting must not break the execution
      }
      return refuse("host_error", "the host call failed");
    } finally {
      this.pending--;
    }
  };

  private args<T>(schema: z.ZodType<T>, payload: string): T {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      throw new HostApiError("invalid_argument", "malformed host call");
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new HostApiError("invalid_argument", "malformed host call");
    return parsed.data;
  }

  private async dispatch(op: string, payload: string): Promise<string> {
    const { host, grants } = this.o;
    if (op === "fetch") {
      if (!host.fetch || !hasNetworkGrant(grants)) throw new HostApiError("permission_denied", "ctx.fetch is not available to this installation");
      const a = this.args(FetchArgs, payload);
      const res = await host.fetch({ url: a.url, method: a.method, headers: a.headers, ...(a.body !== undefined ? { body: a.body } : {}) });
      return reply({ status: res.status, headers: res.headers, body: res.body, url: res.url });
    }
    if (op.startsWith("kv.")) {
      const kv = host.kv;
      if (!kv || !hasDataGrant(grants)) throw new HostApiError("permission_denied", "ctx.kv is not available to this installation");
      switch (op) {
        case "kv.get": {
          const value = await kv.get(this.args(KeyArgs, payload).key);
          return reply(value === undefined ? { found: false } : { found: true, value });
        }
        case "kv.set": {
          const a = this.args(SetArgs, payload);
          // Characters never outnumber UTF-8 bytes: longer text is over the cap whatever it holds.
          if (a.value.length > KV_MAX_VALUE_BYTES) throw new HostApiError("value_too_large", `a kv value may be at most ${KV_MAX_VALUE_BYTES} bytes of JSON`);
          let value: unknown;
          try {
            value = JSON.parse(a.value);
          } catch {
            throw new HostApiError("invalid_argument", "the value is not JSON");
          }
          await kv.set(a.key, value);
          return reply({});
        }
        case "kv.delete":
          return reply({ deleted: await kv.delete(this.args(KeyArgs, payload).key) });
        case "kv.list":
          return reply({ keys: await kv.list(this.args(ListArgs, payload).prefix) });
      }
    }
    throw new HostApiError("invalid_argument", "unknown host call");
  }
}

// ctx.fetch, host side: one FetchHost per execution. Every call is checked when it is made:
// the method's permission (GET/HEAD → network.http.get, anything else → network.http.post),
// the per-execution call budget, then guardedFetch enforces allowed_domains, the SSRF
// guard (DNS resolved here, every redirect re-checked, at most 3), 5 s and 1 MB. Each
// request goes out with the execution's X-Correlation-Id and is recorded through
// onRequest without its query string, with secret values redacted. It never sends
// anything guardedFetch refuses, and its errors never carry a header, body or secret.
import { guardedFetch, type GuardedFetchOptions, type ResolveHost } from "../net/guarded-fetch";
import { NetError } from "../net/net-error";
import type { OutboundRequest } from "../types";
import { HOST_PERMISSIONS, HostApiError, type FetchHost, type HostFetchRequest, type HostFetchResponse } from "./types";

export const FETCH_MAX_CALLS = 10;
export const FETCH_TIMEOUT_MS = 5_000;
export const FETCH_MAX_RESPONSE_BYTES = 1024 * 1024;
export const FETCH_MAX_REQUEST_BYTES = 1024 * 1024;
export const FETCH_MAX_REDIRECTS = 3;
const MAX_URL_LENGTH = 8 * 1024;
const REDACTED = "[REDACTED]";

export interface MakeFetchHostOptions {
  /** The installation's granted permissions. */
  grants: readonly string[];
  /** The manifest's allowed_domains (exact names or `*.example.com`). */
  allowedDomains: readonly string[];
  /** Calls allowed per execution (default 10); the next one is refused with too_many_requests. */
  maxCalls?: number;
  correlationId: string;
  /** Secret values to keep out of recorded URLs and error messages. */
  secrets?: Record<string, string>;
  onRequest?: (r: OutboundRequest) => void;
  /** When the execution's wall budget ends (epoch ms): no request outlives it. */
  deadline?: number;
  /** TEST ONLY (see guardedFetch): refused outside tests. */
  testOnlyTrustedAddresses?: readonly string[];
  lookup?: ResolveHost;
}

function redactor(secrets: Record<string, string> | undefined): (s: string) => string {
  const values = Object.values(secrets ?? {})
    .filter((v) => typeof v === "string" && v.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (s) => values.reduce((acc, v) => acc.split(v).join(REDACTED), s);
}

/** Scheme, host and path only: the query (which may carry keys), credentials and fragment are dropped. */
export function recordedUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

export function makeFetchHost(o: MakeFetchHostOptions): FetchHost {
  const maxCalls = o.maxCalls ?? FETCH_MAX_CALLS;
  const redact = redactor(o.secrets);
  let calls = 0;

  const record = (r: Omit<OutboundRequest, "correlationId">) => {
    try {
      o.onRequest?.({ ...r, correlationId: o.correlationId });
    } catch {
      // a failing recorder must not change what the plugin sees
    }
  };

  return async function fetchHost(req: HostFetchRequest): Promise<HostFetchResponse> {
    calls++;
    const method = String(req.method ?? "GET").toUpperCase();
    const url = String(req.url ?? "");
    if (calls > maxCalls) {
      record({ method, url: redact(recordedUrl(url)), status: null, ms: 0, error: "too_many_requests" });
      throw new HostApiError("too_many_requests", `at most ${maxCalls} requests per execution`);
    }
    const permission = method === "GET" || method === "HEAD" ? HOST_PERMISSIONS.httpRead : HOST_PERMISSIONS.httpWrite;
    if (!o.grants.includes(permission)) {
      record({ method, url: redact(recordedUrl(url)), status: null, ms: 0, error: "permission_denied" });
      throw new HostApiError("permission_denied", `a ${method} request needs the ${permission} permission, which this installation has not granted`);
    }
    if (url.length > MAX_URL_LENGTH) throw new HostApiError("invalid_argument", `the URL is longer than ${MAX_URL_LENGTH} characters`);
    if (req.body !== undefined && Buffer.byteLength(req.body, "utf8") > FETCH_MAX_REQUEST_BYTES) {
      throw new HostApiError("payload_too_large", `the request body exceeds ${FETCH_MAX_REQUEST_BYTES} bytes`);
    }

    const left = o.deadline === undefined ? FETCH_TIMEOUT_MS : o.deadline - Date.now();
    if (left <= 0) throw new HostApiError("timeout", "the execution's time budget is spent");
    const headers = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (name.toLowerCase() !== "x-correlation-id") headers[name] = value;
    }
    headers["x-correlation-id"] = o.correlationId;
    const options: GuardedFetchOptions = {
      allowedDomains: o.allowedDomains,
      timeoutMs: Math.min(FETCH_TIMEOUT_MS, left),
      maxResponseBytes: FETCH_MAX_RESPONSE_BYTES,
      maxRedirects: FETCH_MAX_REDIRECTS,
      responseType: "text",
    };
    if (o.lookup) options.lookup = o.lookup;
    if (o.testOnlyTrustedAddresses?.length) options.testOnlyTrustedAddresses = o.testOnlyTrustedAddresses;

    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await guardedFetch(url, { method, headers, body: req.body }, options);
      record({ method, url: redact(recordedUrl(url)), status: res.status, ms: elapsed() });
      return { status: res.status, headers: res.headers, body: typeof res.body === "string" ? res.body : res.body.toString("utf8"), url: res.url };
    } catch (err) {
      const code = err instanceof NetError ? err.code : "network_error";
      record({ method, url: redact(recordedUrl(url)), status: null, ms: elapsed(), error: code });
      if (err instanceof NetError) throw new HostApiError(err.code, redact(err.message));
      throw new HostApiError("network_error", "the request failed");
    }
  };
}

// Outbound HTTP for untrusted capabilities (ctx.fetch and API connectors), guarded against
// SSRF. It must never send a request to an address that classifyAddress refuses: it
// resolves names itself, refuses a host if ANY of its addresses is not public, and then
// connects to the vetted address (pinned through a custom `lookup`) so a second DNS answer
// cannot rebind it. Redirects are followed by hand and every hop is checked again.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { classifyAddress } from "./classify-address";
import { NetError } from "./net-error";
import { classifyHostname } from "./parse-host-literal";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a DNS name to all of its addresses. Injected in tests; node:dns otherwise. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedFetchOptions {
  /** Exact names, or `*.example.com` for any subdomain of example.com (not the apex). */
  allowedDomains: readonly string[];
  maxRedirects?: number;
  /** Budget for the whole call: DNS, every redirect hop and reading the body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  responseType?: "text" | "buffer";
  lookup?: ResolveHost;
  /**
   * TEST ONLY. Addresses treated as public so tests can reach a server on 127.0.0.1.
   * Refused (throws) unless NODE_ENV is "test" or VITEST is set: production code must
   * never pass it.
   */
  testOnlyTrustedAddresses?: readonly string[];
}

export interface GuardedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface GuardedFetchResponse<B extends string | Buffer = string | Buffer> {
  status: number;
  headers: Record<string, string>;
  body: B;
  /** The URL of the final hop. */
  url: string;
  redirects: number;
}

export const DEFAULT_MAX_REDIRECTS = 3;
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_HEADER_VALUE = /[\0\r\n]/;
// Sent again after a redirect to another origin; everything else (Authorization, Cookie,
// API-key headers of any name) stays with the origin it was meant for.
const CROSS_ORIGIN_SAFE_HEADERS = new Set(["accept", "accept-language", "user-agent"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const defaultResolve: ResolveHost = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export function isDomainAllowed(name: string, allowedDomains: readonly string[]): boolean {
  const host = name.toLowerCase().replace(/\.$/, "");
  return allowedDomains.some((raw) => {
    const pattern = raw.trim().toLowerCase().replace(/\.$/, "");
    if (pattern.startsWith("*.")) {
      const suffix = pattern.slice(1); // ".example.com"
      // "*.com" would allow a whole TLD: require at least two labels after the wildcard.
      if (suffix.split(".").filter(Boolean).length < 2) return false;
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return pattern !== "" && host === pattern;
  });
}

function trustedSet(options: GuardedFetchOptions): Set<string> {
  const list = options.testOnlyTrustedAddresses ?? [];
  if (list.length === 0) return new Set();
  // Deliberately read here rather than from lib/env.ts: this is a tripwire that must hold
  // even if a caller builds its options from untrusted data.
  const isTest = process.env.NODE_ENV === "test" || Boolean(process.env.VITEST);
  if (!isTest) throw new Error("testOnlyTrustedAddresses is only allowed in tests");
  return new Set(list);
}

interface Target {
  url: URL;
  address: ResolvedAddress;
}

async function vetUrl(url: URL, options: GuardedFetchOptions, trusted: Set<string>, resolve: ResolveHost): Promise<Target> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new NetError("bad_url", `scheme ${url.protocol.replace(/:$/, "")} is not allowed`);
  }
  if (url.username || url.password) throw new NetError("bad_url", "credentials in the URL are not allowed");
  const host = classifyHostname(url.hostname);
  const isPublic = (ip: string) => trusted.has(ip) || classifyAddress(ip) === "public";

  if (host.kind !== "name") {
    const reason = classifyAddress(host.address);
    if (!isPublic(host.address)) throw new NetError("blocked_address", `address of ${url.hostname} is not allowed (${reason})`);
    if (!isDomainAllowed(host.kind === "ipv6" ? url.hostname : host.address, options.allowedDomains)) {
      throw new NetError("domain_not_allowed", `host ${url.hostname} is not in allowed_domains`);
    }
    return { url, address: { address: host.address, family: host.kind === "ipv6" ? 6 : 4 } };
  }

  if (host.name === "localhost" || host.name.endsWith(".localhost")) {
    throw new NetError("blocked_address", `host ${host.name} is not allowed (loopback)`);
  }
  if (!isDomainAllowed(host.name, options.allowedDomains)) {
    throw new NetError("domain_not_allowed", `host ${host.name} is not in allowed_domains`);
  }
  let answers: ResolvedAddress[];
  try {
    answers = await resolve(host.name);
  } catch {
    throw new NetError("network_error", `could not resolve ${host.name}`);
  }
  if (answers.length === 0) throw new NetError("network_error", `could not resolve ${host.name}`);
  for (const answer of answers) {
    if (!isPublic(answer.address)) {
      throw new NetError("blocked_address", `${host.name} resolves to an address that is not allowed (${classifyAddress(answer.address)})`);
    }
  }
  const first = answers[0];
  if (!first) throw new NetError("network_error", `could not resolve ${host.name}`);
  return { url, address: first };
}

function checkInit(init: GuardedFetchInit): { method: string; headers: Record<string, string> } {
  const method = (init.method ?? "GET").toUpperCase();
  if (!TOKEN.test(method) || method === "CONNECT" || method === "TRACE") throw new NetError("bad_url", "method is not allowed");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (!TOKEN.test(name)) throw new NetError("bad_url", "invalid header name");
    // Name the header but never echo its value: it may be a secret.
    if (typeof value !== "string" || BAD_HEADER_VALUE.test(value)) throw new NetError("bad_url", `invalid value for header ${name}`);
    const lower = name.toLowerCase();
    if (lower === "host" || lower === "content-length" || lower === "transfer-encoding" || lower === "connection") continue;
    headers[lower] = value;
  }
  return { method, headers };
}

interface HopResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function sendOnce(target: Target, method: string, headers: Record<string, string>, body: Uint8Array | undefined, deadline: number, maxBytes: number): Promise<HopResult> {
  return new Promise<HopResult>((resolvePromise, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new NetError("timeout", `request to ${target.url.hostname} timed out`));
      return;
    }
    const pinned = target.address;
    // The connection goes to the address vetted above, whatever the name would resolve to now.
    const lookup: LookupFunction = (_hostname, opts, callback) => {
      if (opts.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
      else callback(null, pinned.address, pinned.family);
    };
    const outHeaders: Record<string, string> = { ...headers };
    if (body) outHeaders["content-length"] = String(body.byteLength);
    let settled = false;
    const fail = (error: NetError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const requestOptions: http.RequestOptions = {
      protocol: target.url.protocol,
      hostname: target.url.hostname.replace(/^\[|\]$/g, ""),
      port: target.url.port || undefined,
      path: `${target.url.pathname}${target.url.search}`,
      method,
      headers: outHeaders,
      lookup,
      agent: false, // no pooled socket may carry a connection made for another hop
    };
    const onResponse = (res: http.IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const resHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new NetError("response_too_large", `response from ${target.url.hostname} exceeds ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new NetError("response_too_large", `response from ${target.url.hostname} exceeds ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolvePromise({ status, headers: resHeaders, body: Buffer.concat(chunks) });
      });
      res.on("error", () => fail(new NetError("network_error", `response from ${target.url.hostname} failed`)));
    };
    const req = target.url.protocol === "https:" ? https.request(requestOptions, onResponse) : http.request(requestOptions, onResponse);
    const timer = setTimeout(() => fail(new NetError("timeout", `request to ${target.url.hostname} timed out`)), remaining);
    req.on("error", (err: NodeJS.ErrnoException) => {
      fail(new NetError("network_error", `request to ${target.url.hostname} failed${err.code ? ` (${err.code})` : ""}`));
    });
    req.end(body);
  });
}

function withTimeout<T>(promise: Promise<T>, deadline: number, host: string): Promise<T> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new NetError("timeout", `request to ${host} timed out`));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NetError("timeout", `request to ${host} timed out`)), remaining);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function guardedFetch(rawUrl: string, init: GuardedFetchInit, options: GuardedFetchOptions): Promise<GuardedFetchResponse> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const resolve = options.lookup ?? defaultResolve;
  const trusted = trustedSet(options);
  const deadline = Date.now() + timeoutMs;

  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new NetError("bad_url", "invalid URL");
  }
  let { method, headers } = checkInit(init);
  let body = typeof init.body === "string" ? Buffer.from(init.body, "utf8") : init.body;
  if (body && (method === "GET" || method === "HEAD")) throw new NetError("bad_url", `${method} cannot have a body`);

  for (let redirects = 0; ; redirects++) {
    const target = await withTimeout(vetUrl(url, options, trusted, resolve), deadline, url.hostname);
    const hop = await sendOnce(target, method, headers, body, deadline, maxBytes);
    const location = hop.headers.location;
    if (!REDIRECT_STATUSES.has(hop.status) || location === undefined) {
      const responseBody = options.responseType === "buffer" ? hop.body : hop.body.toString("utf8");
      return { status: hop.status, headers: hop.headers, body: responseBody, url: url.href, redirects };
    }
    if (redirects >= maxRedirects) throw new NetError("too_many_redirects", `more than ${maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new NetError("bad_url", "invalid redirect location");
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_SAFE_HEADERS.has(name)));
    }
    if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === "POST")) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      delete headers["content-type"];
    }
    url = next;
  }
}

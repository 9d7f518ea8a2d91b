// Runs one action of a declarative or api-connector capability: renders the request from
// input/config/secrets with the template engine, applies the auth kind, sends it through
// guardedFetch (allowed_domains, 5 s, 1 MB, 3 redirects), parses JSON and applies
// response_mapping. Retries only idempotent methods on 429/5xx (max 2, honouring
// Retry-After, bounded by the time budget). Never throws for anything the remote does.
// Every request carries the execution's X-Correlation-Id and is reported to `onRequest`
// as an OutboundRequest (URL without its query string, which may carry keys).
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { guardedFetch, type GuardedFetchOptions, type GuardedFetchResponse, type ResolveHost } from "../net/guarded-fetch";
import { NetError } from "../net/net-error";
import { mapResponse } from "../templates/map-response";
import { renderHeaders, renderJsonBody, renderUrl, type TemplateContext } from "../templates/render-template";
import { TemplateError } from "../templates/template-error";
import type { ApiAuth, Manifest } from "../../registry/manifest-schema";
import type { OutboundRequest } from "../types";
import { isTestEnvironment, type TryError, type TryResult } from "../try/types";

export interface ConnectorRequest {
  manifest: Manifest;
  action: string;
  input: Record<string, unknown>;
  config: Record<string, string | number | boolean>;
  secrets: Record<string, string>;
  /** Budget of the whole call, retries included. */
  timeoutMs: number;
  testOnlyTrustedAddresses?: readonly string[];
  /** Tests only: fixed DNS answers (name → address); other names resolve normally. */
  testOnlyHosts?: Record<string, string>;
  /** For tests: replaces the waiting between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Sent as X-Correlation-Id on every request (the token request of oauth2 included). */
  correlationId?: string;
  /** Receives a record of every request sent or refused (never a header, body or query string). */
  onRequest?: (request: OutboundRequest) => void;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface PlannedRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  responseMapping?: Record<string, string>;
  auth: ApiAuth;
}

export const CALL_TIMEOUT_MS = 5_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;
export const MAX_RETRIES = 2;
const IDEMPOTENT = new Set<Method>(["GET", "PUT", "DELETE"]);

class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function stringMap(map: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));
}

function plan(req: ConnectorRequest, ctx: TemplateContext): PlannedRequest {
  const m = req.manifest;
  if (m.type === "declarative") {
    const action = m.actions.find((a) => a.id === req.action);
    const integration = action?.integration ?? m.integration;
    if (!integration) throw new ConnectorError("invalid_manifest", `action ${req.action} has no integration`);
    let url = renderUrl(integration.endpoint, ctx);
    const params = stringMap(integration.params);
    if (Object.keys(params).length) url = appendQuery(url, renderHeaders(params, ctx));
    return {
      method: integration.method,
      url,
      headers: renderHeaders(stringMap(integration.headers), ctx),
      body: integration.body === undefined ? undefined : renderJsonBody(integration.body, ctx),
      responseMapping: integration.response_mapping,
      auth: { type: "none" },
    };
  }
  if (m.type === "api-connector") {
    const endpoint = m.endpoints.find((e) => e.id === req.action);
    if (!endpoint) throw new ConnectorError("unknown_action", `unknown action ${req.action}`);
    const base = m.api.base_url.replace(/\/+$/, "");
    let url = renderUrl(`${base}${endpoint.path}`, ctx);
    const query = stringMap(endpoint.query);
    if (Object.keys(query).length) url = appendQuery(url, renderHeaders(query, ctx));
    return {
      method: endpoint.method,
      url,
      headers: renderHeaders(stringMap(endpoint.headers), ctx),
      body: endpoint.body === undefined ? undefined : renderJsonBody(endpoint.body, ctx),
      responseMapping: endpoint.response_mapping,
      auth: m.api.auth,
    };
  }
  throw new ConnectorError("not_supported", `a ${m.type} capability is not run by the connector executor`);
}

/** Query values are rendered like header values (no CR/LF) and encoded as components here. */
function appendQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.href;
}

function credential(key: string, req: ConnectorRequest): string {
  const value = req.secrets[key] ?? req.config[key];
  if (value === undefined || value === "") throw new ConnectorError("missing_secret", `the secret ${key} is required by this capability's auth`);
  return String(value);
}

function parseBody(res: GuardedFetchResponse): unknown {
  const text = typeof res.body === "string" ? res.body : res.body.toString("utf8");
  const type = (res.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (type.includes("json")) throw new ConnectorError("invalid_response", "the response is not valid JSON");
    }
  }
  return text;
}

function retryDelayMs(res: GuardedFetchResponse, attempt: number): number {
  const header = res.headers["retry-after"];
  if (header !== undefined) {
    const secs = Number(header);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return 200 * 2 ** attempt;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Scheme, host and path of a URL: the query and fragment may carry keys. */
export function urlForRecord(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? "";
  }
}

export async function runConnector(req: ConnectorRequest): Promise<TryResult> {
  const started = performance.now();
  const deadline = Date.now() + req.timeoutMs;
  let networkCalls = 0;
  const logs: string[] = [];
  const done = (r: { ok: true; output: unknown } | { ok: false; error: TryError }): TryResult => ({
    ...r,
    logs,
    resources: { wallMs: Math.round(performance.now() - started), networkCalls },
  });

  // Fixed DNS answers are a test-only hook: ignored unless this process runs under tests.
  const hosts = isTestEnvironment() ? req.testOnlyHosts : undefined;
  const testLookup: ResolveHost | undefined =
    hosts && Object.keys(hosts).length
      ? async (name) => {
          const fixed = hosts[name.toLowerCase()];
          if (fixed) return [{ address: fixed, family: isIP(fixed) === 6 ? 6 : 4 }];
          const answers = await dnsLookup(name, { all: true, verbatim: true });
          return answers.map((a) => ({ address: a.address, family: a.family === 6 ? (6 as const) : (4 as const) }));
        }
      : undefined;
  const fetchOptions = (): GuardedFetchOptions => {
    const left = deadline - Date.now();
    if (left <= 0) throw new NetError("timeout", "the time budget of this try ran out");
    const options: GuardedFetchOptions = {
      allowedDomains: req.manifest.allowed_domains,
      timeoutMs: Math.min(CALL_TIMEOUT_MS, left),
      maxResponseBytes: MAX_RESPONSE_BYTES,
      maxRedirects: MAX_REDIRECTS,
      responseType: "text",
    };
    if (req.testOnlyTrustedAddresses?.length) options.testOnlyTrustedAddresses = req.testOnlyTrustedAddresses;
    if (testLookup) options.lookup = testLookup;
    return options;
  };

  const correlation: Record<string, string> = req.correlationId ? { "x-correlation-id": req.correlationId } : {};
  // Every request goes through here, so each one is counted and recorded, refused ones too.
  const send = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<GuardedFetchResponse> => {
    networkCalls++;
    const t0 = performance.now();
    const record = (status: number | null, error?: string) => {
      if (!req.onRequest) return;
      const r: OutboundRequest = { method: init.method, url: urlForRecord(url), status, ms: Math.round(performance.now() - t0), correlationId: req.correlationId ?? "" };
      if (error) r.error = error;
      try {
        req.onRequest(r);
      } catch {
        // a failing observer must not break the call
      }
    };
    try {
      const res = await guardedFetch(url, init, fetchOptions());
      record(res.status);
      return res;
    } catch (err) {
      record(null, err instanceof NetError ? err.code : "network_error");
      throw err;
    }
  };

  try {
    const ctx: TemplateContext = { input: req.input, config: req.config, secrets: req.secrets };
    const p = plan(req, ctx);
    // The correlation id is ours to set: a manifest's own X-Correlation-Id (any case) gives way.
    const own = Object.entries(p.headers).filter(([k]) => !(req.correlationId && k.toLowerCase() === "x-correlation-id"));
    const headers: Record<string, string> = { accept: "application/json", ...Object.fromEntries(own), ...correlation };
    let url = p.url;
    const auth = p.auth;
    if (auth.type === "api_key") {
      const value = credential(auth.value_from, req);
      if (auth.in === "header") headers[auth.name] = value;
      else url = appendQuery(url, { [auth.name]: value });
    } else if (auth.type === "bearer") {
      headers.authorization = `Bearer ${credential(auth.token_from, req)}`;
    } else if (auth.type === "basic") {
      const pair = `${credential(auth.username_from, req)}:${credential(auth.password_from, req)}`;
      headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
    } else if (auth.type === "oauth2") {
      const form = new URLSearchParams({ grant_type: "client_credentials", client_id: credential(auth.client_id_from, req), client_secret: credential(auth.client_secret_from, req) });
      if (auth.scopes.length) form.set("scope", auth.scopes.join(" "));
      const tokenRes = await send(auth.token_url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...correlation }, body: form.toString() });
      if (tokenRes.status < 200 || tokenRes.status >= 300) throw new ConnectorError("auth_failed", `the token endpoint answered ${tokenRes.status}`);
      const token = (parseBody(tokenRes) as { access_token?: unknown } | null)?.access_token;
      if (typeof token !== "string" || !token) throw new ConnectorError("auth_failed", "the token endpoint returned no access_token");
      headers.authorization = `Bearer ${token}`;
    }

    let body: string | undefined;
    if (p.body !== undefined && p.method !== "GET") {
      body = JSON.stringify(p.body);
      headers["content-type"] ??= "application/json";
    }

    const sleep = req.sleep ?? defaultSleep;
    let res: GuardedFetchResponse;
    for (let attempt = 0; ; attempt++) {
      res = await send(url, { method: p.method, headers, body });
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || !IDEMPOTENT.has(p.method) || attempt >= MAX_RETRIES) break;
      const wait = retryDelayMs(res, attempt);
      // Leave at least a little time for the retry itself; else give up with what we have.
      if (Date.now() + wait + 100 >= deadline) break;
      await sleep(wait);
    }
    const parsed = parseBody(res);
    if (res.status < 200 || res.status >= 300) return done({ ok: false, error: { code: "http_error", message: `the API answered ${res.status}` } });
    const output = p.responseMapping && Object.keys(p.responseMapping).length ? mapResponse(parsed, p.responseMapping) : parsed;
    return done({ ok: true, output });
  } catch (err) {
    if (err instanceof NetError) return done({ ok: false, error: { code: err.code, message: err.message } });
    if (err instanceof TemplateError) return done({ ok: false, error: { code: "template_error", message: err.message } });
    if (err instanceof ConnectorError) return done({ ok: false, error: { code: err.code, message: err.message } });
    return done({ ok: false, error: { code: "connector_error", message: err instanceof Error ? err.message : "the call failed" } });
  }
}

// The CLI's HTTP client for the public API: bearer token, JSON in and out, problem+json
// errors turned into CliErrors with the right exit code and a next step. The token goes
// only into the Authorization header of requests to the configured server; it is never
// part of a message, and redirects are not followed (they could carry it elsewhere).
import type { FieldError } from "../errors";
import { CliError, EXIT } from "./cli-error";

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  json?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses answered as results rather than thrown (e.g. 404 when absence is an answer). */
  accept?: number[];
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  status?: number;
  requestId?: string;
  errors?: FieldError[];
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  url(path: string, query?: RequestOptions["query"]): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** A link the server answered (`/approvals?id=…`) as an absolute URL a person can open. */
  link(path: string): string {
    return /^https?:/.test(path) ? path : this.baseUrl + path;
  }

  async raw(method: string, path: string, o: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "capreg-cli", ...o.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers["content-type"] = "application/json";
    }
    try {
      return await this.fetchImpl(this.url(path, o.query), { method, headers, body, signal: o.signal, redirect: "manual" });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(EXIT.network, `cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}`, {
        hint: "is the server running? Check the address (CAPREG_URL, or `capreg login --url …`)",
      });
    }
  }

  async request<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
    const res = await this.raw(method, path, o);
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (res.ok || o.accept?.includes(res.status)) return { status: res.status, body: body as T, headers: res.headers };
    throw problemToError(res.status, body, res.headers, this.baseUrl, `${method} ${path.split("?")[0]}`);
  }

  get<T = unknown>(path: string, o?: RequestOptions) {
    return this.request<T>("GET", path, o);
  }
  post<T = unknown>(path: string, json?: unknown, o?: RequestOptions) {
    return this.request<T>("POST", path, { ...o, json: json ?? {} });
  }
  patch<T = unknown>(path: string, json: unknown, o?: RequestOptions) {
    return this.request<T>("PATCH", path, { ...o, json });
  }
  delete<T = unknown>(path: string, o?: RequestOptions) {
    return this.request<T>("DELETE", path, o);
  }
}

export function problemToError(status: number, body: unknown, headers: Headers, baseUrl: string, what: string): CliError {
  const p: Problem = body && typeof body === "object" ? (body as Problem) : {};
  const detail = p.detail ?? (typeof body === "string" && body.length < 300 ? body : p.title) ?? `HTTP ${status}`;
  const extra = { errors: p.errors, code: p.code };
  if (status === 401) return new CliError(EXIT.auth, `the server refused the token: ${detail}`, { ...extra, hint: `run \`capreg login --url ${baseUrl}\` with a valid API token` });
  if (status === 403 && p.code !== "policy_denied") {
    return new CliError(EXIT.auth, detail, { ...extra, hint: "the token lacks a scope or your role may not do this: create a token with the scopes the command needs (Settings → API tokens)" });
  }
  if (status === 403) return new CliError(EXIT.failure, `denied by policy: ${detail}`, { ...extra, hint: "ask an admin to change the policy rules or turn off the kill switch" });
  if (status === 404) return new CliError(EXIT.notFound, `${detail} (${what})`, { ...extra, hint: "check the name or id (and that you may see it)" });
  if (status === 405) return new CliError(EXIT.failure, `the server does not support ${what}`, { ...extra, hint: "upgrade the server to a version with this endpoint" });
  if (status === 409) return new CliError(EXIT.failure, detail, extra);
  if (status === 422 || status === 400) return new CliError(EXIT.failure, detail, extra);
  if (status === 429) {
    const after = headers.get("retry-after");
    return new CliError(EXIT.failure, detail, { ...extra, hint: after ? `try again in ${after} s` : "wait a minute and try again" });
  }
  if (status === 503) return new CliError(EXIT.network, `the server is unavailable: ${detail}`, { ...extra, hint: "try again shortly (is an executor running?)" });
  const req = p.requestId ?? headers.get("x-request-id");
  return new CliError(EXIT.failure, `the server failed (${status}): ${detail}`, { ...extra, hint: req ? `the server log has request id ${req}` : undefined });
}

// fetch() for client components: JSON in and out, and problem+json errors turned into an
// ApiError with the fields a form needs (detail, per-field errors, Retry-After).
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly title: string;
  readonly errors: FieldError[];
  readonly retryAfterSeconds: number | null;
  readonly requestId: string | null;

  constructor(init: { status: number; code?: string | null; title: string; detail: string; errors?: FieldError[]; retryAfterSeconds?: number | null; requestId?: string | null }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code ?? null;
    this.title = init.title;
    this.errors = init.errors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.requestId = init.requestId ?? null;
  }

  /** The message for one field (`name`, `scopes[0]`…), if the server named it. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path || e.path.startsWith(`${path}[`) || e.path.startsWith(`${path}.`))?.message;
  }
}

interface ApiFetchOptions extends Omit<RequestInit, "body"> {
  json?: unknown;
  body?: BodyInit;
}

export async function apiFetch<T>(path: string, { json, headers, ...init }: ApiFetchOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: "same-origin",
      ...init,
      headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : init.body,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError({ status: 0, title: "Network error", detail: "Could not reach the server. Check your connection and try again." });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const p = (body ?? {}) as { title?: string; detail?: string; code?: string; errors?: FieldError[]; requestId?: string };
    const retry = Number(res.headers.get("retry-after"));
    throw new ApiError({
      status: res.status,
      code: p.code,
      title: p.title ?? res.statusText ?? "Request failed",
      detail: p.detail ?? `The server answered ${res.status}.`,
      errors: Array.isArray(p.errors) ? p.errors : [],
      retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : null,
      requestId: p.requestId ?? res.headers.get("x-request-id"),
    });
  }
  return body as T;
}

/** A sentence for people, from any error a call may throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.message.charAt(0).toUpperCase() + err.message.slice(1);
    return err.status >= 500 && err.requestId ? `${detail} (request ${err.requestId})` : detail;
  }
  return "Something went wrong. Please try again.";
}

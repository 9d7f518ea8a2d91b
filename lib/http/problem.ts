// Maps errors to RFC 9457 problem+json responses, in one place. Unknown errors become a
// generic 500 that carries the request id; their details go only to the server log.
import { ZodError, type core } from "zod";
import { AppError, type ErrorCode, type FieldError } from "../errors";
import { log } from "../log";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  policy_denied: 403,
};

const TITLE: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  gone: "Gone",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  rate_limited: "Too many requests",
  policy_denied: "Denied by policy",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
}

/** `a.b[0].c` from a zod issue path, prefixed by where the value came from. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}

export function zodFieldErrors(issues: readonly core.$ZodIssue[], prefix = ""): FieldError[] {
  return issues.map((i) => ({ path: formatPath(i.path, prefix), message: i.message }));
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export function appErrorProblem(err: AppError, requestId?: string): Problem {
  return {
    type: `https://capreg.dev/problems/${err.code.replace(/_/g, "-")}`,
    title: TITLE[err.code],
    status: STATUS[err.code],
    detail: err.message,
    code: err.code,
    requestId,
    ...(err.errors?.length ? { errors: err.errors } : {}),
  };
}

export function errorToResponse(err: unknown, requestId: string): Response {
  if (err instanceof ZodError) {
    err = new AppError("validation_failed", "the request is not valid", { errors: zodFieldErrors(err.issues) });
  }
  if (err instanceof AppError) {
    const headers: Record<string, string> = { "x-request-id": requestId };
    if (err.retryAfterSeconds) headers["retry-after"] = String(err.retryAfterSeconds);
    return problemResponse(appErrorProblem(err, requestId), headers);
  }
  log.error("unhandled error", { requestId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined });
  return problemResponse(
    { type: "about:blank", title: "Internal server error", status: 500, detail: `something went wrong; quote request id ${requestId} when reporting it`, code: "internal", requestId },
    { "x-request-id": requestId },
  );
}

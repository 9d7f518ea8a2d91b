// One error type for the domain, with codes that map to HTTP statuses in one place
// (lib/http/problem.ts). Messages are safe to show to the caller; anything else that is
// thrown is an unknown error and reaches clients only as a generic 500 with a request id.
export type ErrorCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "policy_denied";

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.errors = extra.errors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const notFound = (what = "resource") => new AppError("not_found", `${what} not found`);
export const forbidden = (why = "you are not allowed to do this") => new AppError("forbidden", why);
export const unauthenticated = (why = "sign in or send a bearer token") => new AppError("unauthenticated", why);
export const conflict = (why: string) => new AppError("conflict", why);

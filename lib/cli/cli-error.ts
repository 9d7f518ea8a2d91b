// The CLI's one error type and its exit codes. Every failure a user can meet is a CliError
// with a message that says what went wrong and a hint that says what to do next; main.ts
// turns it into the exit code. Never carries a token or a secret value.
import type { FieldError } from "../errors";

/** Exit codes (also listed by `capreg --help`). */
export const EXIT = {
  ok: 0,
  /** A failure: validation errors, a test mismatch, a refused publish, a broken audit chain, a failed invocation. */
  failure: 1,
  /** The command line itself is wrong (unknown command or option, missing argument). */
  usage: 2,
  /** Not logged in, a token the server refuses, or a token without the needed scope. */
  auth: 3,
  /** The thing named does not exist (or is not visible to you). */
  notFound: 4,
  /** The server cannot be reached or is unavailable. */
  network: 5,
  /** Still waiting: an approval was not decided in the time given. */
  pending: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly errors?: FieldError[];
  /** The problem code the server answered, when it came from the server. */
  readonly code?: string;

  constructor(exitCode: ExitCode, message: string, extra: { hint?: string; errors?: FieldError[]; code?: string } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.hint = extra.hint;
    this.errors = extra.errors;
    this.code = extra.code;
  }
}

export const usageError = (message: string, hint?: string) => new CliError(EXIT.usage, message, { hint });

// What the one-shot runner (run.ts) and the pool (pool.ts) share: the limits, the bounded
// and redacted log sink, and the reading of the bootstrap's tagged reply into a
// SandboxResult. No isolated-vm here: only strings and numbers come in.
import { COMPUTE_BUDGETS_MS, computeBudgetMs } from "../budget";
import { locateInPlugin, type SandboxError, type SandboxErrorCode } from "./errors";

export const DEFAULT_MEMORY_MB = 128;
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
export const LOG_LINE_LIMIT = 1000;
export const LOG_BYTE_LIMIT = 256 * 1024;
export const LOG_TRUNCATED_MARKER = "[log truncated: limit of 1000 lines / 256 KB reached]";
/** Wall-clock budget granted by each compute permission. */
export const COMPUTE_TIMEOUTS_MS = COMPUTE_BUDGETS_MS;

export const PLUGIN_FILENAME = "file:///plugin.js";
export const BOOTSTRAP_FILENAME = "file:///sandbox-bootstrap.js";
const REDACTED = "[REDACTED]";

export interface SandboxLimits {
  /** Memory limit of the isolate. The pool sets it once per isolate (SandboxPoolOptions.memoryMb) and ignores this. */
  memoryMb?: number;
  /** Wall-clock budget of the whole execution; defaults to the largest granted compute permission (else compute.light). */
  timeoutMs?: number;
}

export interface SandboxRequest {
  /** The module source: `export default { actions: { async name(input, ctx) { … } } }`. */
  source: string;
  action: string;
  input?: unknown;
  /** Non-secret configuration. */
  config?: Record<string, unknown>;
  /** The capability's declared secrets only (the caller filters); their values are redacted from logs and errors. */
  secrets?: Record<string, string>;
  /** Granted permissions: they choose the default timeout and which host APIs (ctx.fetch, ctx.kv) appear on ctx. */
  grants?: readonly string[];
  limits?: SandboxLimits;
  /** Receives each accepted log line as it arrives (already bounded and redacted). */
  log?: (line: string) => void;
}

export interface SandboxResources {
  wallMs: number;
  /** CPU time of this execution only. */
  cpuMs: number;
  /** Heap this execution added (at its end, or the limit when it was killed for memory). */
  heapBytes: number;
  /** ctx.fetch calls the plugin made (refused ones included). */
  networkCalls: number;
}

export type SandboxResult =
  | { ok: true; output: unknown; logs: string[]; resources: SandboxResources }
  | { ok: false; error: SandboxError; logs: string[]; resources: SandboxResources };

export type Verdict = { ok: true; output: unknown } | { ok: false; error: SandboxError };

export function defaultTimeoutMs(grants: readonly string[] = []): number {
  return computeBudgetMs(grants);
}

export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value ?? null);
  if (typeof text !== "string") throw new TypeError(`${what} is not JSON data`);
  return text;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class LogSink {
  readonly lines: string[] = [];
  private bytes = 0;
  private full = false;
  constructor(
    private readonly redact: (s: string) => string,
    private readonly onLine?: (line: string) => void,
  ) {}
  /** Called from the isolate with one string; answers whether more lines are welcome. */
  accept = (raw: unknown): boolean => {
    if (this.full) return false;
    const line = this.redact(typeof raw === "string" ? raw : String(raw));
    const size = Buffer.byteLength(line, "utf8");
    if (this.lines.length >= LOG_LINE_LIMIT || this.bytes + size > LOG_BYTE_LIMIT) {
      this.full = true;
      this.push(LOG_TRUNCATED_MARKER);
      return false;
    }
    this.bytes += size;
    this.push(line);
    return true;
  };
  private push(line: string) {
    this.lines.push(line);
    try {
      this.onLine?.(line);
    } catch {
      // a failing observer must not break the execution
    }
  }
}

export function makeRedactor(secrets: Record<string, string>): (s: string) => string {
  const values = Object.values(secrets)
    .filter((v): v is string => typeof v === "string" && v.length >= 4)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (s) => s;
  return (s) => values.reduce((acc, v) => acc.split(v).join(REDACTED), s);
}

export function failure(code: SandboxErrorCode, message: string, where?: { line: number; column: number }): Verdict {
  return { ok: false, error: { code, message, ...where } };
}

/** Reads the bootstrap runner's tagged reply (see bootstrap.ts). */
export function interpretReply(reply: unknown, action: string): Verdict {
  if (typeof reply !== "string" || reply.length === 0) return failure("sandbox_error", "the sandbox runner returned nothing");
  const kind = reply[0];
  const body = reply.slice(1);
  switch (kind) {
    case "o": {
      if (Buffer.byteLength(body, "utf8") > OUTPUT_LIMIT_BYTES) return failure("output_too_large", `the output exceeds ${OUTPUT_LIMIT_BYTES} bytes`);
      try {
        return { ok: true, output: JSON.parse(body) as unknown };
      } catch {
        return failure("invalid_output", "the output is not valid JSON");
      }
    }
    case "b":
      return failure("output_too_large", `the output (${body} characters) exceeds ${OUTPUT_LIMIT_BYTES} bytes`);
    case "e":
    case "j": {
      const info = parseThrown(body);
      const prefix = kind === "j" ? "the returned value cannot be serialised: " : "";
      const label = info.name && info.name !== "Thrown" ? `${info.name}: ` : "";
      return failure(kind === "j" ? "invalid_output" : "plugin_error", `${prefix}${label}${info.message}`, locateInPlugin(info.stack, PLUGIN_FILENAME));
    }
    case "u":
      return failure("unknown_action", `the plugin has no action "${action}"`);
    case "m":
      return failure("invalid_module", "the plugin must `export default { actions: { … } }`");
    default:
      return failure("sandbox_error", "the sandbox runner returned an unknown reply");
  }
}

function parseThrown(body: string): { name: string; message: string; stack: string } {
  try {
    const v = JSON.parse(body) as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      name: typeof v.name === "string" ? v.name : "Error",
      message: typeof v.message === "string" ? v.message : "",
      stack: typeof v.stack === "string" ? v.stack : "",
    };
  } catch {
    return { name: "Error", message: "", stack: "" };
  }
}

// runInSandbox: one execution of a code capability's action in a fresh isolated-vm isolate.
//
// Boundary rules:
// - only strings and numbers cross: input, config and secrets go in as JSON text, the
//   output comes back as JSON text (parsed here, size-capped), log lines come back as
//   strings through one host callback that the bootstrap keeps in a closure;
// - the plugin never sees a Reference, ExternalCopy, Callback, the ivm module or any host
//   object; the module resolver refuses every import;
// - a wall-clock budget is enforced twice: isolated-vm's own timeout on each call (stops
//   synchronous spinning) and a host watchdog that disposes the isolate when the budget
//   is spent, whatever the plugin is doing (awaiting forever, spinning on microtasks).
//
// Isolates must run with `node --no-node-snapshot` on Node 20, and — because V8's memory
// limit is soft and a catastrophic out-of-memory aborts the process — in an executor
// process, never in the web server.
import ivm from "isolated-vm";
import { BOOTSTRAP_SOURCE } from "./bootstrap";
import { locateInPlugin, stripLocationSuffix, type SandboxError, type SandboxErrorCode } from "./errors";

export const DEFAULT_MEMORY_MB = 128;
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
export const LOG_LINE_LIMIT = 1000;
export const LOG_BYTE_LIMIT = 256 * 1024;
export const LOG_TRUNCATED_MARKER = "[log truncated: limit of 1000 lines / 256 KB reached]";
/** Wall-clock budget granted by each compute permission. */
export const COMPUTE_TIMEOUTS_MS = { "compute.light": 1_000, "compute.moderate": 10_000, "compute.heavy": 60_000 } as const;

const PLUGIN_FILENAME = "file:///plugin.js";
const REDACTED = "[REDACTED]";

export interface SandboxLimits {
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
  /** Granted permissions; today they only choose the default timeout (host APIs such as fetch and kv come later). */
  grants?: readonly string[];
  limits?: SandboxLimits;
  /** Receives each accepted log line as it arrives (already bounded and redacted). */
  log?: (line: string) => void;
}

export interface SandboxResources {
  wallMs: number;
  cpuMs: number;
  heapBytes: number;
}

export type SandboxResult =
  | { ok: true; output: unknown; logs: string[]; resources: SandboxResources }
  | { ok: false; error: SandboxError; logs: string[]; resources: SandboxResources };

export function defaultTimeoutMs(grants: readonly string[] = []): number {
  let t: number = COMPUTE_TIMEOUTS_MS["compute.light"];
  for (const [perm, ms] of Object.entries(COMPUTE_TIMEOUTS_MS)) if (grants.includes(perm) && ms > t) t = ms;
  return t;
}

function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value ?? null);
  if (typeof text !== "string") throw new TypeError(`${what} is not JSON data`);
  return text;
}

class LogSink {
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

function makeRedactor(secrets: Record<string, string>): (s: string) => string {
  const values = Object.values(secrets)
    .filter((v): v is string => typeof v === "string" && v.length >= 4)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (s) => s;
  return (s) => values.reduce((acc, v) => acc.split(v).join(REDACTED), s);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Run one action of a code capability in a fresh isolate. Never throws for anything the plugin does. */
export async function runInSandbox(req: SandboxRequest): Promise<SandboxResult> {
  const started = performance.now();
  const memoryMb = req.limits?.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeoutMs = req.limits?.timeoutMs ?? defaultTimeoutMs(req.grants);
  const secrets = req.secrets ?? {};
  const redact = makeRedactor(secrets);
  const sink = new LogSink(redact, req.log);

  let isolate: ivm.Isolate | undefined;
  let watchdogFired = false;
  let watchdog: NodeJS.Timeout | undefined;
  let heapBytes = 0;
  let cpuMs = 0;

  const measure = () => {
    if (!isolate || isolate.isDisposed) return;
    try {
      cpuMs = Number(isolate.cpuTime) / 1e6;
      const stats = isolate.getHeapStatisticsSync();
      heapBytes = stats.used_heap_size + stats.externally_allocated_size;
    } catch {
      // disposed meanwhile
    }
  };
  const finish = (r: { ok: true; output: unknown } | { ok: false; error: SandboxError }): SandboxResult => {
    measure();
    const resources = { wallMs: performance.now() - started, cpuMs, heapBytes };
    return r.ok
      ? { ok: true, output: r.output, logs: sink.lines, resources }
      : { ok: false, error: { ...r.error, message: redact(r.error.message) }, logs: sink.lines, resources };
  };
  const fail = (code: SandboxErrorCode, message: string, where?: { line: number; column: number }) =>
    finish({ ok: false, error: { code, message, ...where } });

  // Classify an exception that reached the host from an isolated-vm call.
  const classify = (e: unknown): SandboxResult => {
    const message = errorMessage(e);
    if (watchdogFired) return fail("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
    if (/memory limit/i.test(message)) return fail("killed_memory", `execution exceeded its ${memoryMb} MB memory limit`);
    if (/Script execution timed out/i.test(message)) return fail("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
    if (isolate?.isDisposed) return fail("killed_memory", `the isolate was disposed: ${message}`);
    const where = locateInPlugin(message, PLUGIN_FILENAME) ?? (e instanceof Error && e.stack ? locateInPlugin(e.stack, PLUGIN_FILENAME) : undefined);
    return fail("plugin_error", stripLocationSuffix(message, PLUGIN_FILENAME), where);
  };

  let inputJson: string, configJson: string, secretsJson: string;
  try {
    inputJson = toJson(req.input ?? {}, "input");
    configJson = toJson(req.config ?? {}, "config");
    secretsJson = toJson(secrets, "secrets");
  } catch (e) {
    return fail("sandbox_error", errorMessage(e));
  }

  const remaining = () => Math.max(1, Math.ceil(timeoutMs - (performance.now() - started)));

  try {
    isolate = new ivm.Isolate({ memoryLimit: memoryMb });
    const iso = isolate;
    watchdog = setTimeout(() => {
      watchdogFired = true;
      if (!iso.isDisposed) {
        try {
          cpuMs = Number(iso.cpuTime) / 1e6;
        } catch {
          // ignore
        }
        iso.dispose();
      }
    }, timeoutMs);

    const context = await iso.createContext();
    const logCallback = new ivm.Callback(sink.accept);
    const runner = (await context.evalClosure(
      BOOTSTRAP_SOURCE,
      [logCallback, Math.floor(OUTPUT_LIMIT_BYTES), LOG_LINE_LIMIT, LOG_BYTE_LIMIT],
      { result: { reference: true }, timeout: remaining(), filename: "file:///sandbox-bootstrap.js" },
    )) as ivm.Reference<unknown>;

    let mod: ivm.Module;
    try {
      mod = await iso.compileModule(req.source, { filename: PLUGIN_FILENAME });
    } catch (e) {
      if (watchdogFired || iso.isDisposed) return classify(e);
      const message = errorMessage(e);
      const name = e instanceof Error && e.name !== "Error" ? `${e.name}: ` : "";
      return fail("compile_error", name + stripLocationSuffix(message, PLUGIN_FILENAME), locateInPlugin(message, PLUGIN_FILENAME));
    }
    try {
      await mod.instantiate(context, (specifier) => {
        throw new Error(`import of "${specifier}" is not allowed in a plugin`);
      });
    } catch (e) {
      if (watchdogFired || iso.isDisposed) return classify(e);
      return fail("compile_error", stripLocationSuffix(errorMessage(e), PLUGIN_FILENAME));
    }
    await mod.evaluate({ timeout: remaining() });

    const reply = (await runner.apply(undefined, [mod.namespace.derefInto(), req.action, inputJson, configJson, secretsJson], {
      result: { promise: true, copy: true },
      timeout: remaining(),
    })) as unknown;

    if (watchdogFired) return fail("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
    if (typeof reply !== "string" || reply.length === 0) return fail("sandbox_error", "the sandbox runner returned nothing");
    return interpret(reply);
  } catch (e) {
    return classify(e);
  } finally {
    if (watchdog) clearTimeout(watchdog);
    if (isolate && !isolate.isDisposed) isolate.dispose();
  }

  function interpret(reply: string): SandboxResult {
    const kind = reply[0];
    const body = reply.slice(1);
    switch (kind) {
      case "o": {
        if (Buffer.byteLength(body, "utf8") > OUTPUT_LIMIT_BYTES) return fail("output_too_large", `the output exceeds ${OUTPUT_LIMIT_BYTES} bytes`);
        try {
          return finish({ ok: true, output: JSON.parse(body) as unknown });
        } catch {
          return fail("invalid_output", "the output is not valid JSON");
        }
      }
      case "b":
        return fail("output_too_large", `the output (${body} characters) exceeds ${OUTPUT_LIMIT_BYTES} bytes`);
      case "e":
      case "j": {
        const info = parseThrown(body);
        const prefix = kind === "j" ? "the returned value cannot be serialised: " : "";
        const label = info.name && info.name !== "Thrown" ? `${info.name}: ` : "";
        return fail(kind === "j" ? "invalid_output" : "plugin_error", `${prefix}${label}${info.message}`, locateInPlugin(info.stack, PLUGIN_FILENAME));
      }
      case "u":
        return fail("unknown_action", `the plugin has no action "${req.action}"`);
      case "m":
        return fail("invalid_module", "the plugin must `export default { actions: { … } }`");
      default:
        return fail("sandbox_error", "the sandbox runner returned an unknown reply");
    }
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

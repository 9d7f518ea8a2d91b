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
import { locateInPlugin, stripLocationSuffix, type SandboxErrorCode } from "./errors";
import {
  BOOTSTRAP_FILENAME,
  DEFAULT_MEMORY_MB,
  defaultTimeoutMs,
  errorMessage,
  interpretReply,
  LOG_BYTE_LIMIT,
  LOG_LINE_LIMIT,
  LogSink,
  makeRedactor,
  OUTPUT_LIMIT_BYTES,
  PLUGIN_FILENAME,
  toJson,
  type SandboxRequest,
  type SandboxResult,
  type Verdict,
} from "./outcome";

export {
  COMPUTE_TIMEOUTS_MS,
  DEFAULT_MEMORY_MB,
  defaultTimeoutMs,
  LOG_BYTE_LIMIT,
  LOG_LINE_LIMIT,
  LOG_TRUNCATED_MARKER,
  OUTPUT_LIMIT_BYTES,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResources,
  type SandboxResult,
} from "./outcome";

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
  const finish = (r: Verdict): SandboxResult => {
    measure();
    const resources = { wallMs: performance.now() - started, cpuMs, heapBytes, networkCalls: 0 };
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
      [logCallback, Math.floor(OUTPUT_LIMIT_BYTES), LOG_LINE_LIMIT, LOG_BYTE_LIMIT, undefined],
      { result: { reference: true }, timeout: remaining(), filename: BOOTSTRAP_FILENAME },
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

    const reply = (await runner.apply(undefined, [mod.namespace.derefInto(), req.action, inputJson, configJson, secretsJson, ""], {
      result: { promise: true, copy: true },
      timeout: remaining(),
    })) as unknown;

    if (watchdogFired) return fail("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
    return finish(interpretReply(reply, req.action));
  } catch (e) {
    return classify(e);
  } finally {
    if (watchdog) clearTimeout(watchdog);
    if (isolate && !isolate.isDisposed) isolate.dispose();
  }
}

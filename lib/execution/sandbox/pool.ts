// SandboxPool: pooled isolated-vm isolates for executor processes. Each isolate serves one
// execution at a time, and every execution gets a FRESH context (its own globals and
// built-ins), so no global, prototype change or closure carries from one execution to the
// next. The next context (created, bootstrapped) is prepared in the background as soon as
// an execution ends, so a run takes a ready one.
//
// Boundary rules (as in run.ts): only strings and numbers cross. The plugin never gets a
// Reference, ExternalCopy, Callback, the ivm module, cachedData or a snapshot: the log
// Callback and the host-call Reference live in the bootstrap's closure, and both are bound
// per context to the execution that owns it (closed when it ends).
//
// An isolate is replaced when the watchdog disposed it (wall budget spent), when it ran
// out of memory, when an execution timed out or ended with host calls still in flight
// (leftover work must not run during the next execution), and after maxRunsPerIsolate
// executions (each released context leaks ~150 KB).
//
// Compiled code: V8's per-isolate compilation cache already makes compiling the same
// source again cheap (measured 0.03 ms against 4 ms the first time for 160 KB), so runs
// prefer an idle isolate that has compiled their cacheKey (the version id). Host-produced
// cachedData was measured too and brought nothing for modules (no faster on a fresh
// isolate; bench/sandbox.ts prints both), so it is not used.
//
// Needs `node --no-node-snapshot` on Node 20, and must never be loaded by the web server.
import ivm from "isolated-vm";
import { hasDataGrant, hasNetworkGrant, type HostApis } from "../host/types";
import { BOOTSTRAP_FACTORY_SOURCE } from "./bootstrap";
import { locateInPlugin, stripLocationSuffix, type SandboxErrorCode } from "./errors";
import { HostBridge } from "./host-bridge";
import {
  BOOTSTRAP_FILENAME,
  DEFAULT_MEMORY_MB,
  defaultTimeoutMs,
  errorMessage,
  failure,
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

export const DEFAULT_MAX_RUNS_PER_ISOLATE = 200;
/** Compiled-source keys remembered per isolate (for choosing a warm isolate). */
const REMEMBERED_KEYS = 64;
const BOOTSTRAP_TIMEOUT_MS = 2_000;
/**
 * A released context is only reclaimed by a full GC, which V8 may put off until the memory
 * limit is near (measured: ~150 KB kept per execution, a 128 MB isolate killed after ~700).
 * An isolate whose heap is above this share of its limit after an execution is replaced,
 * so leftovers never eat into the next execution's memory. 10 % (~85 executions at 128 MB)
 * measured ~15 % less CPU per execution than 25 %: smaller heaps, cheaper GCs.
 */
const RECYCLE_HEAP_SHARE = 0.1;

export interface SandboxPoolOptions {
  /** Isolates (and so executions running at once). */
  size: number;
  /** Memory limit of every isolate (default 128). A request's limits.memoryMb is ignored by the pool. */
  memoryMb?: number;
  /** Executions after which an isolate is replaced (default 200). */
  maxRunsPerIsolate?: number;
  /** Failures of the pool itself or of a host API (never plugin behaviour); for the executor's log. */
  onInternalError?: (where: string, error: unknown) => void;
  /**
   * V8 lost control of an isolate: its memory cannot be trusted any more. Default: write
   * the message to stderr and abort the process (isolated-vm's advice; the supervisor
   * restarts the executor).
   */
  onCatastrophicError?: (message: string) => void;
}

export interface PooledRunRequest extends SandboxRequest {
  /** Cache key of the compiled code: the version id (immutable source). */
  cacheKey: string;
  /** ctx.fetch / ctx.kv implementations (absent → not on ctx). */
  host?: HostApis;
}

export interface SandboxPoolStats {
  size: number;
  idle: number;
  busy: number;
  /** Isolates created since the pool started. */
  created: number;
  /** Isolates disposed and replaced (timeouts, memory, leftover host calls, run limit). */
  recycled: number;
  /** Executions run. */
  runs: number;
}

/** What a context's callbacks talk to: the execution that owns the context, or nobody. */
interface Binding {
  log: ((line: unknown) => boolean) | null;
  call: ((op: unknown, payload: unknown) => Promise<string>) | null;
}

interface Prepared {
  context: ivm.Context;
  runner: ivm.Reference<unknown>;
  hostRef: ivm.Reference<unknown>;
  binding: Binding;
  /** Heap in use once the context was ready: a run's heapBytes is its growth from here. */
  heapBase: number;
}

class Slot {
  isolate: ivm.Isolate | null = null;
  /** The bootstrap, compiled once for this isolate. */
  bootstrap: ivm.Script | null = null;
  runs = 0;
  busy = false;
  ready = false;
  prepared: Promise<Prepared | null> | null = null;
  readonly keys = new Set<string>();

  remember(key: string) {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > REMEMBERED_KEYS) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (error: Error) => void;
}

const CLOSED_REPLY = `e${JSON.stringify({ code: "closed", message: "the execution has ended" })}`;

function defaultCatastrophe(message: string): void {
  process.stderr.write(`isolated-vm catastrophic error, aborting: ${message}\n`);
  process.abort();
}

export class SandboxPool {
  private readonly slots: Slot[];
  private readonly waiters: Waiter[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly memoryMb: number;
  private readonly maxRuns: number;
  private closed = false;
  private created = 0;
  private recycled = 0;
  private runs = 0;

  constructor(private readonly options: SandboxPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError("SandboxPool size must be a positive integer");
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
    this.maxRuns = Math.max(1, options.maxRunsPerIsolate ?? DEFAULT_MAX_RUNS_PER_ISOLATE);
    this.slots = Array.from({ length: options.size }, () => new Slot());
    for (const slot of this.slots) this.prepare(slot);
  }

  /** Resolves when every isolate has a context ready (useful before measuring). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.prepared));
  }

  stats(): SandboxPoolStats {
    const busy = this.slots.filter((s) => s.busy).length;
    return { size: this.slots.length, idle: this.slots.length - busy, busy, created: this.created, recycled: this.recycled, runs: this.runs };
  }

  /** Runs one action; waits for a free isolate when all are busy. Never throws for anything the plugin does. */
  async run(req: PooledRunRequest): Promise<SandboxResult> {
    if (this.closed) throw new Error("the sandbox pool is closed");
    const work = this.acquire(req.cacheKey).then(async (slot) => {
      try {
        return await this.execute(slot, req);
      } finally {
        this.release(slot);
      }
    });
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Refuses new runs, lets running ones finish (their watchdogs bound them), then disposes every isolate. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new Error("the sandbox pool is closed"));
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled(this.slots.map((s) => s.prepared));
    for (const slot of this.slots) this.disposeIsolate(slot, false);
  }

  private acquire(cacheKey: string): Promise<Slot> {
    const idle = this.slots.filter((s) => !s.busy);
    const slot = idle.find((s) => s.ready && s.keys.has(cacheKey)) ?? idle.find((s) => s.ready) ?? idle[0];
    if (slot) {
      slot.busy = true;
      return Promise.resolve(slot);
    }
    return new Promise<Slot>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) next.resolve(slot);
    else slot.busy = false;
  }

  private internalError(where: string, error: unknown): void {
    try {
      this.options.onInternalError?.(where, error);
    } catch {
      // ignore
    }
  }

  private disposeIsolate(slot: Slot, countAsRecycled: boolean): void {
    const iso = slot.isolate;
    slot.isolate = null;
    slot.bootstrap = null;
    slot.ready = false;
    slot.runs = 0;
    slot.keys.clear();
    if (iso) {
      if (countAsRecycled) this.recycled++;
      if (!iso.isDisposed) {
        try {
          iso.dispose();
        } catch {
          // already going
        }
      }
    }
  }

  /** Starts preparing the slot's next context in the background. */
  private prepare(slot: Slot): void {
    if (this.closed) {
      slot.prepared = null;
      return;
    }
    slot.ready = false;
    slot.prepared = this.buildContext(slot).then(
      (p) => {
        slot.ready = true;
        return p;
      },
      (err: unknown) => {
        this.internalError("prepare", err);
        this.disposeIsolate(slot, false);
        return null;
      },
    );
  }

  private async buildContext(slot: Slot): Promise<Prepared> {
    if (!slot.isolate || slot.isolate.isDisposed || !slot.bootstrap) {
      if (slot.isolate && !slot.isolate.isDisposed) slot.isolate.dispose();
      const fresh = new ivm.Isolate({ memoryLimit: this.memoryMb, onCatastrophicError: this.options.onCatastrophicError ?? defaultCatastrophe });
      slot.isolate = fresh;
      slot.bootstrap = null;
      slot.runs = 0;
      slot.keys.clear();
      this.created++;
      slot.bootstrap = await fresh.compileScript(BOOTSTRAP_FACTORY_SOURCE, { filename: BOOTSTRAP_FILENAME });
    }
    const iso = slot.isolate;
    const bootstrap = slot.bootstrap;
    const context = await iso.createContext();
    const binding: Binding = { log: null, call: null };
    const logCallback = new ivm.Callback((line: unknown) => (binding.log ? binding.log(line) : false));
    const hostRef = new ivm.Reference(async (op: unknown, payload: unknown): Promise<string> => (binding.call ? binding.call(op, payload) : CLOSED_REPLY));
    // Sync: our own code, ~0.06 ms; the plugin has not run in this context yet.
    const factory = bootstrap.runSync(context, { reference: true, timeout: BOOTSTRAP_TIMEOUT_MS }) as ivm.Reference<unknown>;
    try {
      const runner = factory.applySync(undefined, [logCallback, Math.floor(OUTPUT_LIMIT_BYTES), LOG_LINE_LIMIT, LOG_BYTE_LIMIT, hostRef], {
        result: { reference: true },
        timeout: BOOTSTRAP_TIMEOUT_MS,
      }) as ivm.Reference<unknown>;
      return { context, runner, hostRef, binding, heapBase: heapUsed(iso) };
    } finally {
      factory.release();
    }
  }

  private async execute(slot: Slot, req: PooledRunRequest): Promise<SandboxResult> {
    const started = performance.now();
    const secrets = req.secrets ?? {};
    const redact = makeRedactor(secrets);
    const sink = new LogSink(redact, req.log);
    const grants = req.grants ?? [];
    const timeoutMs = req.limits?.timeoutMs ?? defaultTimeoutMs(grants);
    const bridge = new HostBridge({ host: req.host ?? {}, grants, redact, onInternalError: (op, err) => this.internalError(`host:${op}`, err) });
    let cpuMs = 0;
    let heapBytes = 0;
    let heapAfter = 0;
    const finish = (v: Verdict): SandboxResult => {
      const resources = { wallMs: performance.now() - started, cpuMs, heapBytes, networkCalls: bridge.networkCalls };
      return v.ok ? { ok: true, output: v.output, logs: sink.lines, resources } : { ok: false, error: { ...v.error, message: redact(v.error.message) }, logs: sink.lines, resources };
    };

    let inputJson: string, configJson: string, secretsJson: string;
    try {
      inputJson = toJson(req.input ?? {}, "input");
      configJson = toJson(req.config ?? {}, "config");
      secretsJson = toJson(secrets, "secrets");
    } catch (e) {
      return finish(failure("sandbox_error", errorMessage(e)));
    }

    if (!slot.prepared) this.prepare(slot);
    let prep = await slot.prepared;
    if (!prep) {
      // One more try with a new isolate (the last one failed to start a context).
      this.prepare(slot);
      prep = await slot.prepared;
    }
    slot.prepared = null;
    slot.ready = false;
    const iso = slot.isolate;
    if (!prep || !iso || iso.isDisposed) {
      this.disposeIsolate(slot, true);
      this.prepare(slot);
      return finish(failure("sandbox_error", "the sandbox could not start"));
    }
    this.runs++;
    slot.runs++;

    const features = (req.host?.fetch && hasNetworkGrant(grants) ? "f" : "") + (req.host?.kv && hasDataGrant(grants) ? "k" : "");
    prep.binding.log = sink.accept;
    prep.binding.call = bridge.call;

    let cpuStart = 0n;
    const heapStart = prep.heapBase;
    try {
      cpuStart = iso.cpuTime;
    } catch {
      // measured as zero
    }
    const runStarted = performance.now();
    const remaining = () => Math.max(1, Math.ceil(timeoutMs - (performance.now() - runStarted)));
    let watchdogFired = false;
    let cpuAtDispose: number | undefined;
    const watchdog = setTimeout(() => {
      watchdogFired = true;
      if (!iso.isDisposed) {
        try {
          cpuAtDispose = Number(iso.cpuTime - cpuStart) / 1e6;
        } catch {
          // ignore
        }
        iso.dispose();
      }
    }, timeoutMs);

    const classify = (e: unknown): Verdict => {
      const message = errorMessage(e);
      if (watchdogFired) return failure("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
      if (/memory limit/i.test(message)) return failure("killed_memory", `execution exceeded its ${this.memoryMb} MB memory limit`);
      if (/Script execution timed out/i.test(message)) return failure("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
      if (iso.isDisposed) return failure("killed_memory", `the isolate was disposed: ${message}`);
      const where = locateInPlugin(message, PLUGIN_FILENAME) ?? (e instanceof Error && e.stack ? locateInPlugin(e.stack, PLUGIN_FILENAME) : undefined);
      return failure("plugin_error", stripLocationSuffix(message, PLUGIN_FILENAME), where);
    };

    let verdict: Verdict;
    let mod: ivm.Module | undefined;
    try {
      verdict = await (async (): Promise<Verdict> => {
        try {
          // Sync: compiling and linking run no plugin code; a cached source compiles in ~30 µs.
          mod = iso.compileModuleSync(req.source, { filename: PLUGIN_FILENAME });
        } catch (e) {
          if (watchdogFired || iso.isDisposed) return classify(e);
          const message = errorMessage(e);
          const name = e instanceof Error && e.name !== "Error" ? `${e.name}: ` : "";
          return failure("compile_error", name + stripLocationSuffix(message, PLUGIN_FILENAME), locateInPlugin(message, PLUGIN_FILENAME));
        }
        slot.remember(req.cacheKey);
        try {
          mod.instantiateSync(prep.context, (specifier) => {
            throw new Error(`import of "${specifier}" is not allowed in a plugin`);
          });
        } catch (e) {
          if (watchdogFired || iso.isDisposed) return classify(e);
          return failure("compile_error", stripLocationSuffix(errorMessage(e), PLUGIN_FILENAME));
        }
        // Async from here on: plugin code runs on isolated-vm's threads, never blocking this one.
        await mod.evaluate({ timeout: remaining() });
        const reply = (await prep.runner.apply(undefined, [mod.namespace.derefInto(), req.action, inputJson, configJson, secretsJson, features], {
          result: { promise: true, copy: true },
          timeout: remaining(),
        })) as unknown;
        if (watchdogFired) return failure("timed_out", `execution exceeded its ${timeoutMs} ms budget`);
        return interpretReply(reply, req.action);
      })();
    } catch (e) {
      verdict = classify(e);
    } finally {
      clearTimeout(watchdog);
      prep.binding.log = null;
      prep.binding.call = null;
      bridge.close();
    }

    const code: SandboxErrorCode | undefined = verdict.ok ? undefined : verdict.error.code;
    if (!iso.isDisposed) {
      try {
        cpuMs = Number(iso.cpuTime - cpuStart) / 1e6;
        heapAfter = heapUsed(iso);
        heapBytes = Math.max(0, heapAfter - heapStart);
      } catch {
        // disposed meanwhile
      }
    } else {
      cpuMs = cpuAtDispose ?? cpuMs;
    }
    if (code === "killed_memory") heapBytes = this.memoryMb * 1024 * 1024;

    // Leftover work (a timed-out context's queued microtasks, a host call still in flight)
    // must not run during the next execution: such an isolate is replaced, not reused.
    const recycle = iso.isDisposed || watchdogFired || code === "timed_out" || code === "killed_memory" || code === "sandbox_error" || bridge.pending > 0 || slot.runs >= this.maxRuns || heapAfter > this.memoryMb * 1024 * 1024 * RECYCLE_HEAP_SHARE;
    if (recycle) {
      this.disposeIsolate(slot, true);
    } else {
      try {
        mod?.release();
        prep.runner.release();
        prep.hostRef.release();
        prep.context.release();
      } catch {
        this.disposeIsolate(slot, true);
      }
    }
    this.prepare(slot);
    return finish(verdict);
  }
}

function heapUsed(iso: ivm.Isolate): number {
  const s = iso.getHeapStatisticsSync();
  return s.used_heap_size + s.externally_allocated_size;
}

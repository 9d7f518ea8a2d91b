// Escape attempts against the plugin sandbox: each must fail to reach the host.
// Every probe asks, from inside the isolate, for `typeof process` through some route; the
// answer must be "undefined" or the route must throw — never "object".
import { describe, expect, it } from "vitest";
import { runInSandbox, type SandboxResult } from "@/lib/execution/sandbox";

/** A module with one action `go` whose body is `body`. */
function plugin(body: string): string {
  return `export default { actions: { async go(input, ctx) {\n${body}\n} } };`;
}

async function run(body: string, extra: Partial<Parameters<typeof runInSandbox>[0]> = {}): Promise<SandboxResult> {
  return runInSandbox({ source: plugin(body), action: "go", limits: { timeoutMs: 2_000, memoryMb: 64 }, ...extra });
}

function output(r: SandboxResult): unknown {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.output;
}

// Runs each probe (a function source returning a value) and reports what it saw.
const PROBES_HELPER = `
  const results = {};
  const probe = (name, f) => {
    try { const v = f(); results[name] = typeof v === "string" ? v : typeof v; }
    catch (e) { results[name] = "threw"; }
  };
`;

function expectNoHost(results: Record<string, string>) {
  for (const [name, seen] of Object.entries(results)) {
    expect([name, seen]).toEqual([name, expect.stringMatching(/^(undefined|threw|null)$/)]);
  }
}

describe("sandbox: nothing of the host is reachable", () => {
  it("has no Node or host globals", async () => {
    const r = await run(`
      const names = ["process", "require", "module", "exports", "Buffer", "global", "setTimeout", "setInterval",
        "setImmediate", "queueMicrotask", "fetch", "XMLHttpRequest", "SharedArrayBuffer", "Atomics", "WebAssembly",
        "ivm", "_ivm", "Reference", "ExternalCopy", "Callback", "$0", "__filename", "__dirname"];
      const seen = {};
      for (const n of names) seen[n] = typeof globalThis[n];
      return { seen, globals: Object.getOwnPropertyNames(globalThis) };
    `);
    const out = output(r) as { seen: Record<string, string>; globals: string[] };
    for (const [name, type] of Object.entries(out.seen)) expect([name, type]).toEqual([name, "undefined"]);
    // Exactly the ECMAScript built-ins (plus Intl and the bounded console): nothing added by the host.
    const standard = new Set(("Object,Function,Array,Number,parseFloat,parseInt,Infinity,NaN,undefined,Boolean,String,Symbol,Date," +
      "Promise,RegExp,Error,AggregateError,EvalError,RangeError,ReferenceError,SyntaxError,TypeError,URIError,globalThis,JSON,Math," +
      "Intl,ArrayBuffer,Uint8Array,Int8Array,Uint16Array,Int16Array,Uint32Array,Int32Array,Float32Array,Float64Array," +
      "Uint8ClampedArray,BigUint64Array,BigInt64Array,DataView,Map,BigInt,Set,WeakMap,WeakSet,Proxy,Reflect," +
      "FinalizationRegistry,WeakRef,decodeURI,decodeURIComponent,encodeURI,encodeURIComponent,escape,unescape,eval,isFinite," +
      "isNaN,console").split(","));
    expect(out.globals.filter((g) => !standard.has(g))).toEqual([]);
  });

  it("the constructor routes lead to the isolate's own Function, which has no process", async () => {
    const r = await run(`${PROBES_HELPER}
      const code = "return typeof process === 'undefined' ? 'undefined' : process";
      probe("this.constructor.constructor", () => this.constructor.constructor(code)());
      probe("object literal", () => ({}).constructor.constructor(code)());
      probe("error", () => new Error("x").constructor.constructor(code)());
      probe("caught error", () => { try { null.x; } catch (e) { return e.constructor.constructor(code)(); } });
      probe("promise", () => Promise.resolve().constructor.constructor(code)());
      results["async function"] = await (async function () {}).constructor(code)();
      probe("generator function", () => (function* () {}).constructor(code)().next().value);
      results["async generator"] = (await (async function* () {}).constructor(code)().next()).value;
      probe("ctx", () => ctx.constructor.constructor(code)());
      probe("ctx.log", () => ctx.log.constructor(code)());
      probe("ctx.utils.mean", () => ctx.utils.mean.constructor(code)());
      probe("ctx.config", () => ctx.config.constructor.constructor(code)());
      probe("input", () => input.constructor.constructor(code)());
      probe("globalThis", () => globalThis.constructor.constructor(code)());
      probe("eval", () => eval(code.replace("return ", "")));
      probe("indirect eval", () => (0, eval)("typeof process === 'undefined' ? 'undefined' : process"));
      probe("process via proto of ctx.log", () => Object.getPrototypeOf(ctx.log).constructor(code)());
      return results;
    `);
    expectNoHost(output(r) as Record<string, string>);
  });

  it("Proxy traps invoked by the sandbox's own machinery see only isolate objects", async () => {
    const r = await run(`
      const seen = [];
      const spy = new Proxy({}, {
        get(target) {
          try { seen.push(typeof target.constructor.constructor("return typeof process")()); } catch { seen.push("threw"); }
          try { seen.push(typeof (function () { return new.target; }).constructor("return this")().process); } catch { seen.push("threw"); }
          return undefined;
        },
        ownKeys() { seen.push("ownKeys"); return []; },
      });
      ctx.log(spy);
      ctx.log(new Proxy(function () {}, { apply() { return 1; } }));
      return seen;
    `);
    const seen = output(r) as string[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain("object");
    expect(seen.filter((s) => s !== "ownKeys").every((s) => s === "string" || s === "undefined" || s === "threw")).toBe(true);
  });

  it("arguments.callee.caller never yields a sandbox or host function", async () => {
    const r = await run(`
      const seen = [];
      // A sloppy-mode function (module code is strict): its caller must not be reachable.
      const sloppy = Function("try { const c = arguments.callee.caller; return c === null ? 'null' : typeof c; } catch (e) { return 'threw'; }");
      const value = { valueOf() { seen.push(sloppy()); return 1; } };
      ctx.utils.mean([value, 2, 3]);
      ctx.log({ toJSON() { seen.push(sloppy()); return "x"; } });
      seen.push(sloppy());
      return { seen, valueOfCaller: Function("return typeof arguments.callee.caller")() };
    `);
    const out = output(r) as { seen: string[] };
    expect(out.seen.length).toBe(3);
    for (const s of out.seen) expect(["null", "threw"]).toContain(s);
  });

  it("Error.prepareStackTrace and stack frames reveal no host object", async () => {
    const r = await run(`
      const seen = [];
      Error.prepareStackTrace = (err, frames) => {
        for (const f of frames) {
          try { const t = f.getThis(); seen.push(t && t.process !== undefined ? "process" : "ok"); } catch { seen.push("threw"); }
          try { const fn = f.getFunction(); if (fn) seen.push(typeof fn.constructor("return typeof process")()); } catch { seen.push("threw"); }
          try { seen.push(String(f.getFileName())); } catch { seen.push("threw"); }
        }
        return "custom";
      };
      Error.stackTraceLimit = Infinity;
      try { ctx.log(Object.create(null, { toJSON: { value() { throw new Error("inside"); } } })); } catch {}
      try { ctx.utils.mean(null); } catch (e) { seen.push(String(e.stack)); }
      const e = new Error("outer");
      seen.push(String(e.stack));
      return seen;
    `);
    const seen = output(r) as string[];
    expect(seen).not.toContain("process");
    expect(seen).not.toContain("object");
    expect(seen.join("\n")).not.toMatch(/node:|node_modules|\/work\//);
  });

  it("Error.prepareStackTrace set by the plugin does not disturb error reporting", async () => {
    const r = await run(`
      Error.prepareStackTrace = () => { throw new Error("nope"); };
      throw new Error("real failure");
    `);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("plugin_error");
      expect(r.error.message).toContain("real failure");
    }
  });

  it("prototype pollution and global state do not carry to the next run or to the host", async () => {
    const first = await run(`
      Object.prototype.polluted = "yes";
      Array.prototype.push = function () { return "hijacked"; };
      JSON.stringify = () => "\\"forged\\"";
      JSON.parse = () => ({ forged: true });
      Function.prototype.call = function () { return "hijacked"; };
      Function.prototype.apply = function () { return "hijacked"; };
      globalThis.stash = "previous run's data";
      input.constructor.prototype.fromInput = true;
      return { ok: 1 };
    `);
    expect(output(first)).toEqual({ ok: 1 });
    const second = await run(`
      return { polluted: ({}).polluted ?? null, stash: globalThis.stash ?? null, push: [].push(1), fromInput: ({}).fromInput ?? null,
        stringify: JSON.stringify({ a: 1 }), inputOk: input.a };
    `, { input: { a: 5 } });
    expect(output(second)).toEqual({ polluted: null, stash: null, push: 1, fromInput: null, stringify: '{"a":1}', inputOk: 5 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).fromInput).toBeUndefined();
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it("overriding Function.prototype.call / apply / bind, JSON and Symbol.hasInstance does not subvert ctx or the result", async () => {
    const r = await run(`
      const leaked = [];
      const grab = function (...args) { leaked.push(args.map((a) => typeof a)); return undefined; };
      Function.prototype.call = grab;
      Function.prototype.apply = grab;
      Function.prototype.bind = grab;
      Reflect.apply = grab;
      Array.prototype.join = grab;
      Array.prototype.push = function () { leaked.push("push"); return 0; };
      JSON.stringify = grab;
      Object.defineProperty(Error, Symbol.hasInstance, { value: () => { throw new Error("hasInstance trap"); } });
      Object.defineProperty(Object.prototype, "then", { get() { return undefined; }, configurable: true });
      ctx.log("still", "logged", new Error("err"));
      return { value: ctx.utils.median([5, 1, 3]), leakedCount: leaked.length };
    `);
    expect(output(r)).toEqual({ value: 3, leakedCount: 0 });
    expect(r.logs[0]).toMatch(/^still logged /);
  });

  it("Symbol.toPrimitive, toJSON and getters on the returned value run inside the isolate only", async () => {
    const r = await run(`
      return {
        viaToJSON: { toJSON() { return typeof process; } },
        prim: { [Symbol.toPrimitive]() { return this.constructor.constructor("return typeof process")(); } },
        get viaGetter() { return this.constructor.constructor("return typeof process")(); },
        species: (() => { class Evil extends Array { static get [Symbol.species]() { return function () { return { process: typeof process }; }; } } return Evil.from([1, 2]).map((x) => x); })(),
      };
    `);
    expect(output(r)).toEqual({ viaToJSON: "undefined", prim: {}, viaGetter: "undefined", species: { 0: 1, 1: 2, process: "undefined" } });
    expect((Object.prototype as Record<string, unknown>).toJSON).toBeUndefined();
  });

  it("a Proxy whose traps throw while the result is serialised gives a clean error", async () => {
    const traps = `{
        get() { throw new Error("trap: get"); },
        ownKeys() { throw new Error("trap: ownKeys"); },
        getOwnPropertyDescriptor() { throw new Error("trap: gOPD"); },
      }`;
    // Returned directly, the trap already fires when the action's promise resolves (reading `then`).
    const direct = await run(`return new Proxy({}, ${traps});`);
    expect(direct.ok === false && direct.error.code).toBe("plugin_error");
    const nested = await run(`return { ok: 1, inner: new Proxy({}, ${traps}) };`);
    expect(nested.ok).toBe(false);
    if (!nested.ok) {
      expect(nested.error.code).toBe("invalid_output");
      expect(nested.error.message).toMatch(/trap/);
    }
    const array = await run(`return [new Proxy([], ${traps})];`);
    expect(array.ok === false && array.error.code).toBe("invalid_output");
    const cyclic = await run(`const a = {}; a.self = a; return a;`);
    expect(cyclic.ok).toBe(false);
    if (!cyclic.ok) expect(cyclic.error.code).toBe("invalid_output");
  });

  it("thrown hostile values (Proxy, AggregateError, Error.cause chains, SuppressedError) come back as clean errors", async () => {
    const cases = [
      `throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });`,
      `throw new AggregateError([new Proxy({}, { get() { throw 1; } })], "many");`,
      `const e = new Error("top", { cause: new Proxy({}, { get() { throw 1; } }) }); e.cause2 = e; throw e;`,
      `if (typeof SuppressedError === "function") throw new SuppressedError(new Error("a"), new Error("b"), "suppressed"); throw new Error("suppressed");`,
      `throw Object.create(null);`,
      `throw { get message() { return this.constructor.constructor("return typeof process")(); } };`,
      `throw (function* () {}).constructor;`,
      `throw Symbol("s");`,
    ];
    for (const body of cases) {
      const r = await run(body);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("plugin_error");
        expect(typeof r.error.message).toBe("string");
        expect(r.error.message).not.toMatch(/object/);
      }
    }
  });

  it("SharedArrayBuffer, Atomics and WebAssembly are absent", async () => {
    const r = await run(`
      const viaMemory = (() => { try { return typeof new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }).buffer; } catch (e) { return e.name; } })();
      return { sab: typeof SharedArrayBuffer, atomics: typeof Atomics, wasm: typeof WebAssembly, viaMemory };
    `);
    expect(output(r)).toEqual({ sab: "undefined", atomics: "undefined", wasm: "undefined", viaMemory: "ReferenceError" });
  });

  it("import() and static imports are refused", async () => {
    for (const spec of ["fs", "node:fs", "node:child_process", "./other.js", "file:///etc/passwd", "data:text/javascript,export default 1"]) {
      const dynamic = await run(`return await import(${JSON.stringify(spec)});`);
      expect(dynamic.ok).toBe(false);
      if (!dynamic.ok) expect(dynamic.error.code).toBe("plugin_error");
      const stat = await runInSandbox({ source: `import x from ${JSON.stringify(spec)};\nexport default { actions: { async go() { return typeof x; } } };`, action: "go" });
      expect(stat.ok).toBe(false);
      if (!stat.ok) {
        expect(stat.error.code).toBe("compile_error");
        expect(stat.error.message).toContain("not allowed");
      }
    }
  });

  it("the action must be an own function of default.actions", async () => {
    for (const action of ["constructor", "__proto__", "toString", "hasOwnProperty", "missing"]) {
      const r = await run(`return 1;`, { action });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe("unknown_action");
    }
    const bad = await runInSandbox({ source: `export default 42;`, action: "go" });
    expect(bad.ok === false && bad.error.code).toBe("invalid_module");
  });

  it("only the declared secrets enter, and their values are redacted from logs and errors", async () => {
    const r = await runInSandbox({
      source: plugin(`ctx.log("token is", ctx.secrets.API_TOKEN); throw new Error("failed with " + ctx.secrets.API_TOKEN);`),
      action: "go",
      secrets: { API_TOKEN: "s3cr3t-value-123" },
      config: { region: "eu" },
    });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain("s3cr3t-value-123");
    expect(r.logs[0]).toBe("token is [REDACTED]");
    const frozen = await runInSandbox({
      source: plugin(`"use strict"; try { ctx.secrets.X = 1; } catch (e) { return { frozen: true, keys: Object.keys(ctx.secrets), cfg: ctx.config.region }; } return { frozen: false };`),
      action: "go",
      secrets: { API_TOKEN: "abcd1234" },
      config: { region: "eu" },
    });
    expect(output(frozen)).toEqual({ frozen: true, keys: ["API_TOKEN"], cfg: "eu" });
  });
});

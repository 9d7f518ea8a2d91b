// Escape attempts against the pooled sandbox, with ctx.fetch and ctx.kv present (real host
// APIs: a local HTTP server and PostgreSQL). Each attempt must fail to reach the host: the
// answer to `typeof process` from any route must be "undefined" (or the route must throw),
// no reachable object may be an isolated-vm Reference or Callback, and hostile values
// crossing the boundary are turned into JSON inside the isolate before the host sees them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFetchHost, makeKvHost } from "../../lib/execution/host";
import { SandboxPool, type PooledRunRequest, type SandboxResult } from "../../lib/execution/sandbox";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeInstallation, plugin, startTestServer, testLookup, TRUSTED, type TestServer } from "./helpers/sandbox-host-fixtures";

let server: TestServer;
let t: TestDatabase;
let pool: SandboxPool;
let installationId: string;
const GRANTS = ["network.http.get", "network.http.post", "data.read", "data.write", "data.delete"];

beforeAll(async () => {
  server = await startTestServer();
  t = await createTestDatabase();
  installationId = await makeInstallation(t, GRANTS);
  pool = new SandboxPool({ size: 2, memoryMb: 64 });
});
afterAll(async () => {
  await pool.close();
  await server.close();
  await t.drop();
});

function host() {
  return {
    fetch: makeFetchHost({ grants: GRANTS, allowedDomains: ["api.allowed.test"], correlationId: "cor_escape", lookup: testLookup, testOnlyTrustedAddresses: TRUSTED }),
    kv: makeKvHost(t.db, { installationId, grants: GRANTS }),
  };
}

async function run(body: string, extra: Partial<PooledRunRequest> = {}): Promise<SandboxResult> {
  return pool.run({ source: plugin(body), action: "go", cacheKey: body, grants: GRANTS, host: host(), input: { base: server.base }, limits: { timeoutMs: 5_000 }, ...extra });
}

function output(r: SandboxResult): any {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.output;
}

const PROBES_HELPER = `
  const results = {};
  const probe = (name, f) => {
    try { const v = f(); results[name] = typeof v === "string" ? v : typeof v; }
    catch (e) { results[name] = "threw"; }
  };
  const probeAsync = async (name, f) => {
    try { const v = await f(); results[name] = typeof v === "string" ? v : typeof v; }
    catch (e) { results[name] = "threw"; }
  };
  const code = "return typeof process === 'undefined' ? 'undefined' : process";
`;

function expectNoHost(results: Record<string, string>) {
  expect(Object.keys(results).length).toBeGreaterThan(5);
  for (const [name, seen] of Object.entries(results)) expect([name, seen]).toEqual([name, expect.stringMatching(/^(undefined|threw|null)$/)]);
}

describe("pooled sandbox: nothing of the host is reachable", () => {
  it("has no Node or host globals, and ctx holds only what was granted", async () => {
    const out = output(
      await run(`
        const names = ["process", "require", "module", "exports", "Buffer", "global", "setTimeout", "setInterval", "setImmediate",
          "queueMicrotask", "fetch", "XMLHttpRequest", "SharedArrayBuffer", "Atomics", "WebAssembly", "ivm", "_ivm", "Reference",
          "ExternalCopy", "Callback", "$0", "$4", "hostRef", "hostApply", "hostCall", "__filename", "__dirname", "gc"];
        const seen = {};
        for (const n of names) seen[n] = typeof globalThis[n];
        return { seen, ctx: Object.keys(ctx), kv: Object.keys(ctx.kv), fetchKeys: Object.getOwnPropertyNames(ctx.fetch) };
      `),
    );
    for (const [name, type] of Object.entries(out.seen)) expect([name, type]).toEqual([name, "undefined"]);
    expect(out.ctx).toEqual(["config", "secrets", "log", "utils", "fetch", "kv"]);
    expect(out.kv).toEqual(["get", "set", "delete", "list"]);
    expect(out.fetchKeys.sort()).toEqual(["length", "name"]);
  });

  it("constructor routes through ctx.fetch, ctx.kv, responses, host errors and their promises lead nowhere", async () => {
    const r = await run(`${PROBES_HELPER}
      probe("this.constructor.constructor", () => this.constructor.constructor(code)());
      probe("error", () => new Error("x").constructor.constructor(code)());
      probe("promise", () => Promise.resolve().constructor.constructor(code)());
      results["async function"] = await (async function () {}).constructor(code)();
      probe("generator", () => (function* () {}).constructor(code)().next().value);
      probe("ctx", () => ctx.constructor.constructor(code)());
      // ctx.fetch and the kv methods are async functions: their constructor is the isolate's AsyncFunction.
      await probeAsync("ctx.fetch", () => ctx.fetch.constructor(code)());
      probe("ctx.kv", () => ctx.kv.constructor.constructor(code)());
      await probeAsync("ctx.kv.get", () => ctx.kv.get.constructor(code)());
      await probeAsync("proto of ctx.kv.set", () => Object.getPrototypeOf(ctx.kv.set).constructor(code)());
      probe("ctx.fetch via Function", () => Object.getPrototypeOf(Object.getPrototypeOf(ctx.fetch)).constructor(code)());
      const pending = ctx.fetch(input.base + "/text");
      probe("fetch promise", () => pending.constructor.constructor(code)());
      const res = await pending;
      probe("response", () => res.constructor.constructor(code)());
      probe("response.text", () => res.text.constructor(code)());
      probe("response.headers", () => res.headers.constructor === undefined ? "undefined" : res.headers.constructor.constructor(code)());
      await ctx.kv.set("escape", { nested: [1, { deep: true }] });
      const value = await ctx.kv.get("escape");
      probe("kv value", () => value.constructor.constructor(code)());
      probe("kv nested", () => value.nested[1].constructor.constructor(code)());
      const keys = await ctx.kv.list();
      probe("kv list", () => keys.constructor.constructor(code)());
      let hostError;
      try { await ctx.fetch("http://not-allowed.test/x"); } catch (e) { hostError = e; }
      probe("host error", () => hostError.constructor.constructor(code)());
      probe("host error proto", () => Object.getPrototypeOf(hostError) === Error.prototype ? "undefined" : "object");
      const rejected = ctx.kv.get(5);
      probe("rejected promise", () => rejected.constructor.constructor(code)());
      await probeAsync("rejection value", async () => { try { await rejected; } catch (e) { return e.constructor.constructor(code)(); } });
      return results;
    `);
    expectNoHost(output(r));
  });

  it("no object reachable from globalThis, ctx, responses, kv values or host errors is an isolated-vm handle", async () => {
    const r = await run(`
      const roots = [globalThis, ctx, Function.prototype, Object.prototype];
      roots.push(await ctx.fetch(input.base + "/echo"));
      await ctx.kv.set("walk", { a: [1] });
      roots.push(await ctx.kv.get("walk"), await ctx.kv.list());
      try { await ctx.kv.set("x".repeat(300), 1); } catch (e) { roots.push(e); }
      try { await ctx.fetch("http://10.0.0.1/"); } catch (e) { roots.push(e); }
      roots.push(ctx.fetch(input.base + "/text"), ctx.kv.get("walk"));
      const seen = new Set();
      const queue = [...roots];
      const bad = [];
      const HANDLE = ["derefInto", "applySync", "applySyncPromise", "copySync", "copyInto", "applyIgnored"];
      while (queue.length && seen.size < 20000) {
        const o = queue.shift();
        if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
        seen.add(o);
        let keys = [];
        try { keys = Reflect.ownKeys(o); } catch {}
        for (const k of keys) {
          if (HANDLE.includes(k)) bad.push(String(k));
          let d;
          try { d = Object.getOwnPropertyDescriptor(o, k); } catch { continue; }
          if (!d) continue;
          for (const v of [d.value, d.get, d.set]) if (v !== undefined) queue.push(v);
        }
        try { queue.push(Object.getPrototypeOf(o)); } catch {}
        if (typeof o === "function") {
          let src = "";
          try { src = Function.prototype.toString.call(o); } catch {}
          if (/ivm|hostApply|HOST_CALL_OPTIONS|hostRef/.test(src)) bad.push("function " + src.slice(0, 80));
        }
      }
      return { visited: seen.size, bad };
    `);
    const out = output(r);
    expect(out.visited).toBeGreaterThan(500);
    expect(out.bad).toEqual([]);
  });

  it("Error.prepareStackTrace, stack frames and arguments.callee.caller reveal nothing during host calls", async () => {
    const r = await run(`
      const seen = [];
      const functions = [];
      Error.stackTraceLimit = Infinity;
      Error.prepareStackTrace = (err, frames) => {
        for (const f of frames) {
          try { const t = f.getThis(); if (t !== undefined && t !== null && typeof t.derefInto === "function") seen.push("reference as this"); } catch { seen.push("threw"); }
          try { const fn = f.getFunction(); if (fn) functions.push(fn); } catch { seen.push("threw"); }
        }
        return "custom";
      };
      const sloppy = Function("try { const c = arguments.callee.caller; return c === null ? 'null' : typeof c; } catch (e) { return 'threw'; }");
      const callers = [];
      const init = { get method() { callers.push(sloppy()); new Error("in getter").stack; return "GET"; }, headers: { get accept() { callers.push(sloppy()); return "text/plain"; } } };
      await ctx.fetch({ toString() { callers.push(sloppy()); new Error("in toString").stack; return input.base + "/text"; } }, init);
      await ctx.kv.set("k", { toJSON() { callers.push(sloppy()); new Error("in toJSON").stack; return 1; } });
      try { await ctx.fetch("http://not-allowed.test/x").then(() => {}, (e) => { e.stack; throw e; }); } catch (e) { seen.push(e.code); }
      try { await ctx.fetch(input.base + "/text", { get body() { throw new Error("getter threw"); } }); } catch (e) { e.stack; seen.push(e.message); }
      return { seen, callers, functions: functions.map((f) => Function.prototype.toString.call(f).slice(0, 60)) };
    `);
    const out = output(r);
    expect(out.seen).toEqual(["domain_not_allowed", "getter threw"]);
    expect(out.callers.length).toBe(4);
    for (const c of out.callers) expect(["null", "threw"]).toContain(c);
    // Frames only ever hand out the plugin's own (sloppy/module) functions, never the bootstrap's or the host's.
    for (const f of out.functions as string[]) expect(f).not.toMatch(/hostApply|hostCall|ivm|HOST_CALL/);
  });

  it("prototype pollution aimed at what ctx.fetch and ctx.kv build or read changes nothing outside the plugin", async () => {
    const r = await run(`
      // A Map, not an array: Array.prototype is about to get "0" and "1" accessors.
      const trappedMap = new Map();
      const trapped = { push: (entry) => trappedMap.set(trappedMap.size, entry) };
      // Descriptors without a prototype: Object.prototype is about to grow a "value" accessor.
      const trap = (name) => ({ __proto__: null, configurable: true, set(v) { trapped.push([name, typeof v, v && typeof v.derefInto]); }, get() { trapped.push(["get " + name]); return undefined; } });
      for (const name of ["url", "method", "headers", "body", "key", "value", "prefix", "result", "promise", "copy", "reference", "externalCopy", "arguments", "status", "ok"]) {
        Object.defineProperty(Object.prototype, name, trap(name));
      }
      Object.defineProperty(Array.prototype, "0", trap("[0]"));
      Object.defineProperty(Array.prototype, "1", trap("[1]"));
      Object.defineProperty(Promise.prototype, "constructor", { __proto__: null, configurable: true, get() { trapped.push(["promise constructor"]); return Promise; } });
      Function.prototype.call = Function.prototype.apply = Function.prototype.bind = () => { trapped.push(["call"]); };
      Reflect.apply = () => { trapped.push(["Reflect.apply"]); };
      JSON.stringify = () => '"forged"';
      JSON.parse = () => ({ forged: true });
      Object.defineProperty(Error, Symbol.hasInstance, { __proto__: null, value: () => { throw new Error("hasInstance trap"); } });
      const res = await ctx.fetch(input.base + "/echo", { method: "POST", headers: { "x-a": "1" }, body: "payload" });
      await ctx.kv.set("polluted", { n: 1 });
      const back = await ctx.kv.get("polluted");
      const entries = Array.from(trappedMap.values());
      return { status: res.status, echoed: res.text(), back, trapped: entries.map((x) => x[0]), trappedHandles: entries.filter((x) => x[2] === "function").length };
    `);
    const out = output(r);
    expect(out.trappedHandles).toBe(0);
    expect(out.status).toBe(200);
    expect(out.back).toEqual({ n: 1 });
    expect(JSON.parse(out.echoed)).toMatchObject({ method: "POST", body: "payload" });
    // Neither the bootstrap nor isolated-vm read transfer options or request fields through the polluted prototypes.
    expect(out.trapped.filter((x: string) => x !== "promise constructor")).toEqual([]);
    // The request went out exactly as asked, and the stored value is the real one.
    const hit = server.hits.at(-1)!;
    expect(hit.method).toBe("POST");
    expect(hit.body).toBe("payload");
    expect(hit.headers["x-a"]).toBe("1");
    const stored = await t.db.kvEntry.findUnique({ where: { installationId_key: { installationId, key: "polluted" } } });
    expect(stored?.value).toEqual({ n: 1 });
    expect(({} as Record<string, unknown>).url).toBeUndefined();
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it("Symbol.species, toPrimitive, getters and Proxies crossing the boundary run inside the isolate only", async () => {
    const r = await run(`
      const out = {};
      class Evil extends Array { static get [Symbol.species]() { return function () { return { process: typeof process }; }; } }
      await ctx.kv.set("species", Evil.from([1, 2]).map((x) => x));
      out.species = await ctx.kv.get("species");
      await ctx.kv.set("prim", { [Symbol.toPrimitive]() { return this.constructor.constructor("return typeof process")(); }, get g() { return this.constructor.constructor("return typeof process")(); } });
      out.prim = await ctx.kv.get("prim");
      const res = await ctx.fetch({ [Symbol.toPrimitive]() { return input.base + "/echo?p=" + typeof process; } }, { headers: { "x-v": { toString() { return typeof process; } } } });
      out.echo = res.json().url + " " + res.json().headers["x-v"];
      const throwing = new Proxy({}, { get() { throw new Error("trap: get"); }, ownKeys() { throw new Error("trap: ownKeys"); }, getOwnPropertyDescriptor() { throw new Error("trap: gOPD"); } });
      for (const [name, f] of [["init", () => ctx.fetch(input.base + "/text", throwing)], ["headers", () => ctx.fetch(input.base + "/text", { headers: throwing })],
        ["value", () => ctx.kv.set("proxy", throwing)], ["nested value", () => ctx.kv.set("proxy", { a: throwing })], ["key", () => ctx.kv.get(throwing)]]) {
        try { await f(); out[name] = "sent"; } catch (e) { out[name] = e.message; }
      }
      return out;
    `);
    expect(output(r)).toEqual({
      species: { 0: 1, 1: 2, process: "undefined" },
      prim: { g: "undefined" },
      echo: "/echo?p=undefined undefined",
      init: "trap: get",
      headers: "trap: ownKeys",
      value: "the value cannot be serialised as JSON",
      "nested value": "the value cannot be serialised as JSON",
      key: "a kv key must be a string",
    });
  });

  it("responses and ctx are frozen; mutating them or a returned value affects nothing else", async () => {
    const r = await run(`
      "use strict";
      const res = await ctx.fetch(input.base + "/text");
      const errs = [];
      for (const f of [() => { res.status = 1; }, () => { res.headers.x = 1; }, () => { res.text = () => "forged"; }, () => { ctx.fetch = null; }, () => { ctx.kv.get = null; }, () => { ctx.log = null; }]) {
        try { f(); errs.push("changed"); } catch (e) { errs.push(e.name); }
      }
      const again = await ctx.fetch(input.base + "/text");
      return { errs, text: again.text(), status: res.status };
    `);
    expect(output(r)).toEqual({ errs: Array(6).fill("TypeError"), text: "hello from the test server", status: 200 });
  });

  it("a Proxy whose traps throw while the result is serialised gives a clean error", async () => {
    const traps = `{ get() { throw new Error("trap: get"); }, ownKeys() { throw new Error("trap: ownKeys"); }, getOwnPropertyDescriptor() { throw new Error("trap: gOPD"); } }`;
    const direct = await run(`return new Proxy({}, ${traps});`);
    expect(direct.ok === false && direct.error.code).toBe("plugin_error");
    const nested = await run(`return { ok: 1, inner: new Proxy({}, ${traps}) };`);
    expect(nested.ok === false && nested.error.code).toBe("invalid_output");
    expect(nested.ok === false && nested.error.message).toMatch(/trap/);
    const cyclic = await run(`const a = {}; a.self = a; return a;`);
    expect(cyclic.ok === false && cyclic.error.code).toBe("invalid_output");
  });

  it("thrown hostile values (Proxy, AggregateError, Error.cause chains, SuppressedError) come back as clean errors", async () => {
    const cases = [
      `throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });`,
      `throw new AggregateError([new Proxy({}, { get() { throw 1; } })], "many");`,
      `const e = new Error("top", { cause: new Proxy({}, { get() { throw 1; } }) }); e.cause2 = e; throw e;`,
      `if (typeof SuppressedError === "function") throw new SuppressedError(new Error("a"), new Error("b"), "suppressed"); throw new Error("suppressed");`,
      `try { await ctx.fetch("http://10.0.0.1/"); } catch (e) { throw new AggregateError([e, new Error("x", { cause: e })], "wrapped"); }`,
      `throw Object.create(null);`,
      `throw { get message() { return this.constructor.constructor("return typeof process")(); } };`,
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

  it("SharedArrayBuffer, Atomics and WebAssembly are absent; import() and static imports are refused", async () => {
    const r = await run(`
      const viaMemory = (() => { try { return typeof new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }).buffer; } catch (e) { return e.name; } })();
      return { sab: typeof SharedArrayBuffer, atomics: typeof Atomics, wasm: typeof WebAssembly, viaMemory };
    `);
    expect(output(r)).toEqual({ sab: "undefined", atomics: "undefined", wasm: "undefined", viaMemory: "ReferenceError" });
    for (const spec of ["fs", "node:child_process", "./other.js", "data:text/javascript,export default 1"]) {
      const dynamic = await run(`return await import(${JSON.stringify(spec)});`);
      expect(dynamic.ok === false && dynamic.error.code).toBe("plugin_error");
      const stat = await pool.run({ source: `import x from ${JSON.stringify(spec)};\nexport default { actions: { async go() { return typeof x; } } };`, action: "go", cacheKey: spec });
      expect(stat.ok === false && [stat.error.code, stat.error.message.includes("not allowed")]).toEqual(["compile_error", true]);
    }
  });

  it("only own functions of default.actions run; secrets are redacted from logs and errors", async () => {
    for (const action of ["constructor", "__proto__", "toString", "hasOwnProperty", "missing"]) {
      const r = await run(`return 1;`, { action });
      expect(r.ok === false && r.error.code).toBe("unknown_action");
    }
    const secret = "s3cr3t-value-123";
    const r = await run(`ctx.log("token is", ctx.secrets.API_TOKEN); await ctx.kv.set("leak", ctx.secrets.API_TOKEN); throw new Error("failed with " + ctx.secrets.API_TOKEN);`, { secrets: { API_TOKEN: secret } });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(r.logs[0]).toBe("token is [REDACTED]");
  });
});

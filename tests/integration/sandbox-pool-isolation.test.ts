// No carry-over between executions of a pooled isolate. With a pool of ONE isolate, run A
// pollutes everything it can reach (prototypes, globals, JSON, Function.prototype.call,
// module state) and stashes its input and secrets; run B on the same isolate must see
// pristine built-ins and none of A's data. Isolates that cannot be trusted any more (memory
// kill, timeout, host calls still in flight) are replaced, and the next run works.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeFetchHost, makeKvHost } from "../../lib/execution/host";
import { SandboxPool, type PooledRunRequest, type SandboxResult } from "../../lib/execution/sandbox";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeInstallation, plugin, startTestServer, testLookup, TRUSTED, type TestServer } from "./helpers/sandbox-host-fixtures";

let server: TestServer;
let t: TestDatabase;

beforeAll(async () => {
  server = await startTestServer();
  t = await createTestDatabase();
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

function output(r: SandboxResult): any {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.output;
}

async function withPool<T>(fn: (pool: SandboxPool) => Promise<T>, options: { maxRunsPerIsolate?: number; memoryMb?: number } = {}): Promise<T> {
  const pool = new SandboxPool({ size: 1, memoryMb: options.memoryMb ?? 64, maxRunsPerIsolate: options.maxRunsPerIsolate });
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

// One module for A and B (same cacheKey, so the same compiled code): module-level state
// would carry if a module instance or context were reused.
const SOURCE = `
let counter = 0;
const cache = {};
export default { actions: {
  async pollute(input, ctx) {
    counter += 100;
    cache.secret = ctx.secrets.TOKEN;
    cache.input = input;
    globalThis.stash = { input, secret: ctx.secrets.TOKEN };
    Object.prototype.polluted = "yes";
    Object.defineProperty(Object.prototype, "toJSON", { value() { return "forged"; }, configurable: true, writable: true });
    Array.prototype.push = function () { return "hijacked"; };
    Array.prototype[Symbol.iterator] = function* () { yield "hijacked"; };
    JSON.stringify = () => '"forged"';
    JSON.parse = () => ({ forged: true });
    Function.prototype.call = function () { return "hijacked"; };
    Function.prototype.apply = function () { return "hijacked"; };
    Promise.prototype.then = function () { return "hijacked"; };
    Error.prepareStackTrace = () => "forged stack";
    Error.stackTraceLimit = 0;
    Math.random = () => 4;
    String.prototype.toUpperCase = () => "hijacked";
    delete globalThis.Map;
    globalThis.console = { log() {} };
    try { ctx.utils.mean = () => 0; } catch {}
    return 1;
  },
  async inspect(input, ctx) {
    const e = new Error("x");
    return {
      counter, cache: Object.keys(cache), stash: typeof globalThis.stash, polluted: ({}).polluted ?? null,
      toJSONOwn: Object.prototype.hasOwnProperty("toJSON"), push: [1].push(2), spread: [...[1, 2]],
      stringify: JSON.stringify({ a: 1 }), parse: JSON.parse('{"b":2}'),
      call: typeof Function.prototype.call.call(function () { return "real"; }), then: typeof Promise.resolve().then(() => 1),
      stack: typeof e.stack === "string" && e.stack.includes("plugin.js"), random: Math.random() < 1, upper: "a".toUpperCase(),
      map: typeof Map, secrets: Object.keys(ctx.secrets), secret: ctx.secrets.TOKEN ?? null, input, mean: ctx.utils.mean([1, 3]),
    };
  },
} };`;

describe("no state carries from one execution to the next on the same isolate", () => {
  test("run B sees pristine built-ins, fresh module state and only its own input and secrets", async () => {
    await withPool(async (pool) => {
      const base: Omit<PooledRunRequest, "action"> = { source: SOURCE, cacheKey: "ver_carry" };
      const a = await pool.run({ ...base, action: "pollute", input: { who: "A", card: "4111-1111" }, secrets: { TOKEN: "secret-of-run-A" } });
      expect(output(a)).toBe(1);
      const b = await pool.run({ ...base, action: "inspect", input: { who: "B" }, secrets: { OTHER: "secret-of-run-B" } });
      const out = output(b);
      expect(out).toEqual({
        counter: 0, cache: [], stash: "undefined", polluted: null, toJSONOwn: false, push: 2, spread: [1, 2],
        stringify: '{"a":1}', parse: { b: 2 }, call: "string", then: "object", stack: true, random: true, upper: "A",
        map: "function", secrets: ["OTHER"], secret: null, input: { who: "B" }, mean: 2,
      });
      expect(JSON.stringify(b)).not.toContain("secret-of-run-A");
      expect(JSON.stringify(b)).not.toContain("4111");
      // The same isolate served both (nothing was recycled), and the host is untouched.
      expect(pool.stats()).toMatchObject({ created: 1, recycled: 0, runs: 2 });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
    });
  });

  test("objects handed to run A (ctx, responses, kv values) are fresh in run B", async () => {
    const ins = await makeInstallation(t, ["data.read", "data.write", "network.http.get"]);
    await withPool(async (pool) => {
      const host = () => ({
        kv: makeKvHost(t.db, { installationId: ins, grants: ["data.read", "data.write"] }),
        fetch: makeFetchHost({ grants: ["network.http.get"], allowedDomains: ["api.allowed.test"], correlationId: "cor_x", lookup: testLookup, testOnlyTrustedAddresses: TRUSTED }),
      });
      const grants = ["data.read", "data.write", "network.http.get"];
      const source = plugin(`
        if (input.step === "A") {
          await ctx.kv.set("v", { n: 1 });
          const value = await ctx.kv.get("v");
          const res = await ctx.fetch(input.base + "/text");
          Object.getPrototypeOf(value).injected = "from A";
          Object.getPrototypeOf(res).injectedRes = "from A";
          Object.getPrototypeOf(ctx).injectedCtx = "from A";
          Object.getPrototypeOf(ctx.kv.get).injectedFn = "from A";
          return "polluted";
        }
        const value = await ctx.kv.get("v");
        const res = await ctx.fetch(input.base + "/text");
        return { value, injected: value.injected ?? null, res: res.injectedRes ?? null, ctx: ctx.injectedCtx ?? null, fn: ctx.kv.get.injectedFn ?? null };
      `);
      expect(output(await pool.run({ source, action: "go", cacheKey: "objs", grants, host: host(), input: { step: "A", base: server.base } }))).toBe("polluted");
      const b = await pool.run({ source, action: "go", cacheKey: "objs", grants, host: host(), input: { step: "B", base: server.base } });
      expect(output(b)).toEqual({ value: { n: 1 }, injected: null, res: null, ctx: null, fn: null });
      expect(pool.stats().created).toBe(1);
    });
  });

  test("a FinalizationRegistry or a leftover promise of run A does nothing during run B", async () => {
    await withPool(async (pool) => {
      const a = await pool.run({
        source: plugin(`
          const fr = new FinalizationRegistry(() => { ctx.log("A's cleanup ran"); for (;;) {} });
          for (let i = 0; i < 2000; i++) fr.register({ big: new Array(100).fill(i) }, i);
          globalThis.keep = fr;
          Promise.resolve().then(() => ctx.log("A's microtask"));
          return "done";
        `),
        action: "go",
        cacheKey: "fr",
      });
      expect(output(a)).toBe("done");
      const b = await pool.run({
        source: plugin(`let junk = []; for (let i = 0; i < 300; i++) junk.push(new Array(10000).fill(i)); junk = null; ctx.log("B"); return "B";`),
        action: "go",
        cacheKey: "fr2",
        limits: { timeoutMs: 2_000 },
      });
      expect(output(b)).toBe("B");
      expect(b.logs).toEqual(["B"]);
      expect(a.logs).toEqual(["A's microtask"]);
    });
  });

  test("a host call still in flight when run A ends: the isolate is replaced, and A's continuation never runs", async () => {
    const ins = await makeInstallation(t, ["data.read", "data.write", "network.http.get"]);
    await withPool(async (pool) => {
      const grants = ["data.write", "network.http.get"];
      const kv = makeKvHost(t.db, { installationId: ins, grants });
      const fetch = makeFetchHost({ grants, allowedDomains: ["api.allowed.test"], correlationId: "cor_x", lookup: testLookup, testOnlyTrustedAddresses: TRUSTED, deadline: Date.now() + 400 });
      const a = await pool.run({
        source: plugin(`
          ctx.fetch(input.base + "/slow").then(() => {}, () => ctx.kv.set("late", "A wrote after it ended"));
          return "returned early";
        `),
        action: "go",
        cacheKey: "pending",
        grants,
        input: { base: server.base },
        host: { kv, fetch },
      });
      expect(output(a)).toBe("returned early");
      expect(pool.stats()).toMatchObject({ recycled: 1 });
      const b = await pool.run({ source: plugin(`return "B ran";`), action: "go", cacheKey: "pending2" });
      expect(output(b)).toBe("B ran");
      expect(pool.stats()).toMatchObject({ created: 2 });
      // Wait past the slow request's deadline: the continuation that would write never runs.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await t.db.kvEntry.count({ where: { installationId: ins } })).toBe(0);
    });
  });

  test("an isolate killed by a memory bomb or a timeout is replaced and the next run works", async () => {
    await withPool(
      async (pool) => {
        const bomb = await pool.run({ source: plugin("const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length });"), action: "go", cacheKey: "bomb", limits: { timeoutMs: 20_000 } });
        expect(bomb.ok === false && bomb.error.code).toBe("killed_memory");
        expect(bomb.resources.heapBytes).toBe(32 * 1024 * 1024);
        const next = await pool.run({ source: plugin("return input.a * 2;"), action: "go", cacheKey: "ok", input: { a: 21 } });
        expect(output(next)).toBe(42);
        const spin = await pool.run({ source: plugin("for (;;) {}"), action: "go", cacheKey: "spin", limits: { timeoutMs: 100 } });
        expect(spin.ok === false && spin.error.code).toBe("timed_out");
        const after = await pool.run({ source: plugin("return input.a * 2;"), action: "go", cacheKey: "ok", input: { a: 5 } });
        expect(output(after)).toBe(10);
        expect(pool.stats()).toMatchObject({ size: 1, created: 3, recycled: 2, runs: 4, busy: 0, idle: 1 });
      },
      { memoryMb: 32 },
    );
  });

  test("an isolate is replaced after maxRunsPerIsolate executions", async () => {
    await withPool(
      async (pool) => {
        for (let i = 0; i < 7; i++) expect(output(await pool.run({ source: plugin("return input.i;"), action: "go", cacheKey: "n", input: { i } }))).toBe(i);
        expect(pool.stats()).toMatchObject({ runs: 7, created: 3, recycled: 2 });
      },
      { maxRunsPerIsolate: 3 },
    );
  });
});

describe("pool scheduling", () => {
  test("runs wait for a free isolate, in order, and each is timed from its own start", async () => {
    await withPool(async (pool) => {
      const order: string[] = [];
      const spin = pool.run({ source: plugin("const t = Date.now(); while (Date.now() - t < 150) {} return 'spun';"), action: "go", cacheKey: "s", limits: { timeoutMs: 1_000 } }).then((r) => {
        order.push("spin");
        return r;
      });
      const quick = [1, 2, 3].map((i) =>
        pool.run({ source: plugin("return input.i;"), action: "go", cacheKey: "q", input: { i }, limits: { timeoutMs: 100 } }).then((r) => {
          order.push(`q${i}`);
          return r;
        }),
      );
      expect(pool.stats()).toMatchObject({ busy: 1, idle: 0 });
      const results = await Promise.all([spin, ...quick]);
      expect(results.map(output)).toEqual(["spun", 1, 2, 3]);
      expect(order).toEqual(["spin", "q1", "q2", "q3"]);
      // A waiting run's budget (100 ms) starts when it gets the isolate, not when it was queued.
      for (const r of results.slice(1)) expect(r.resources.wallMs).toBeLessThan(100);
    });
  });

  test("resources are per execution, not cumulative", async () => {
    await withPool(async (pool) => {
      const heavy = await pool.run({ source: plugin("let x = 0; for (let i = 0; i < 3e7; i++) x += i; const keep = new Array(200000).fill(1.5); return keep.length;"), action: "go", cacheKey: "h", limits: { timeoutMs: 5_000 } });
      const light = await pool.run({ source: plugin("return 1;"), action: "go", cacheKey: "l" });
      expect(output(heavy)).toBe(200000);
      expect(heavy.resources.cpuMs).toBeGreaterThan(5);
      expect(heavy.resources.heapBytes).toBeGreaterThan(1_000_000);
      expect(light.resources.cpuMs).toBeLessThan(heavy.resources.cpuMs / 5);
      expect(light.resources.heapBytes).toBeLessThan(500_000);
      expect(light.resources.networkCalls).toBe(0);
    });
  });

  test("a closed pool refuses new runs; parallel pools of several isolates run side by side", async () => {
    const pool = new SandboxPool({ size: 3, memoryMb: 64 });
    const spinners = [0, 1].map(() => pool.run({ source: plugin("for (;;) {}"), action: "go", cacheKey: "spin", limits: { timeoutMs: 200 } }));
    const t0 = performance.now();
    const quick = await pool.run({ source: plugin("return 'quick';"), action: "go", cacheKey: "q" });
    expect(output(quick)).toBe("quick");
    expect(performance.now() - t0).toBeLessThan(150);
    for (const s of await Promise.all(spinners)) expect(s.ok === false && s.error.code).toBe("timed_out");
    await pool.close();
    await expect(pool.run({ source: plugin("return 1;"), action: "go", cacheKey: "q" })).rejects.toThrow(/closed/);
  });
});

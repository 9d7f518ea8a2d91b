// Limits of the pooled sandbox (the executors' path): time, memory, output and log size,
// error locations — the same promises as runInSandbox, held by isolates that are reused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOG_BYTE_LIMIT, LOG_LINE_LIMIT, LOG_TRUNCATED_MARKER, SandboxPool, type PooledRunRequest, type SandboxResult } from "../../lib/execution/sandbox";
import { plugin } from "./helpers/sandbox-host-fixtures";

const TIMEOUT = 200;
const GRACE = 250;
let pool: SandboxPool;
let small: SandboxPool;

beforeAll(async () => {
  pool = new SandboxPool({ size: 2, memoryMb: 64 });
  small = new SandboxPool({ size: 1, memoryMb: 32 });
  await Promise.all([pool.ready(), small.ready()]);
});
afterAll(async () => {
  await Promise.all([pool.close(), small.close()]);
});

async function timed(body: string, extra: Partial<PooledRunRequest> = {}, on: SandboxPool = pool) {
  const t0 = performance.now();
  const r = await on.run({ source: plugin(body), action: "go", cacheKey: body, limits: { timeoutMs: TIMEOUT }, ...extra });
  return { r, ms: performance.now() - t0 };
}

function code(r: SandboxResult): string {
  return r.ok ? "ok" : r.error.code;
}

async function stillHealthy(on: SandboxPool = pool) {
  for (let i = 0; i < on.stats().size + 1; i++) {
    const r = await on.run({ source: plugin("return { sum: input.a + input.b };"), action: "go", cacheKey: "healthy", input: { a: 2, b: i } });
    expect(r.ok && r.output).toEqual({ sum: 2 + i });
  }
}

describe("pooled sandbox limits", () => {
  it("while(true){} ends timed_out within timeout + 250 ms", async () => {
    const { r, ms } = await timed("while (true) {}");
    expect(code(r)).toBe("timed_out");
    expect(ms).toBeLessThan(TIMEOUT + GRACE);
    expect(r.resources.cpuMs).toBeGreaterThan(TIMEOUT * 0.5);
    await stillHealthy();
  });

  it("a spin at the module's top level is stopped too", async () => {
    const t0 = performance.now();
    const r = await pool.run({ source: `for (;;) {}\nexport default { actions: {} };`, action: "go", cacheKey: "top", limits: { timeoutMs: TIMEOUT } });
    expect(code(r)).toBe("timed_out");
    expect(performance.now() - t0).toBeLessThan(TIMEOUT + GRACE);
  });

  it("a never-settling promise and microtask loops end by the watchdog", async () => {
    for (const body of ["await new Promise(() => {});", "for (;;) await null;", "const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});", "const spin = () => Promise.resolve().then(spin); spin(); return 'returned while spinning';"]) {
      const { r, ms } = await timed(body);
      expect([body, code(r)]).toEqual([body, "timed_out"]);
      expect(ms).toBeLessThan(TIMEOUT + GRACE);
    }
    await stillHealthy();
  });

  it("spinning inside a toJSON while the output is serialised is stopped", async () => {
    const { r, ms } = await timed("return { toJSON() { for (;;) {} } };");
    expect(code(r)).toBe("timed_out");
    expect(ms).toBeLessThan(TIMEOUT + GRACE);
  });

  it("memory bombs end killed_memory and the host carries on", async () => {
    const before = process.memoryUsage().rss;
    const bombs = [
      "const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length });",
      "let s = 'xy'; const keep = []; for (;;) { s = s + s.slice(0, 1e6) + Math.random(); keep.push(s.split('')); }",
      "const a = []; for (;;) a.push(new ArrayBuffer(8 * 1024 * 1024));",
    ];
    for (const body of bombs) {
      const { r } = await timed(body, { limits: { timeoutMs: 20_000 } }, small);
      expect(["killed_memory", "plugin_error"]).toContain(code(r));
      if (!r.ok && r.error.code === "plugin_error") expect(r.error.message).toMatch(/allocation failed/i);
    }
    const { r } = await timed(bombs[0]!, { limits: { timeoutMs: 20_000 } }, small);
    expect(code(r)).toBe("killed_memory");
    await stillHealthy(small);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it("deep recursion and huge strings fail inside the isolate only", async () => {
    const rec = await timed("const f = (n) => f(n + 1) + 1; return f(0);", { limits: { timeoutMs: 2_000 } });
    expect(code(rec.r)).toBe("plugin_error");
    expect(!rec.r.ok && rec.r.error.message).toMatch(/call stack/);
    const str = await timed("let s = 'x'; for (;;) s += s;", { limits: { timeoutMs: 2_000 } }, small);
    expect(["plugin_error", "killed_memory"]).toContain(code(str.r));
    await stillHealthy();
    await stillHealthy(small);
  });

  it("an output over 1 MB is rejected; just under passes", async () => {
    expect(code((await timed("return { data: 'x'.repeat(1024 * 1024 + 10) };", { limits: { timeoutMs: 2_000 } })).r)).toBe("output_too_large");
    expect(code((await timed("return 'é'.repeat(600 * 1024);", { limits: { timeoutMs: 2_000 } })).r)).toBe("output_too_large");
    expect(code((await timed("return 'x'.repeat(1000 * 1000);", { limits: { timeoutMs: 2_000 } })).r)).toBe("ok");
  });

  it("a log flood is truncated at 1,000 lines and at 256 KB", async () => {
    const seen: string[] = [];
    const lines = await pool.run({ source: plugin("for (let i = 0; i < 100000; i++) ctx.log('line', i); return 'done';"), action: "go", cacheKey: "flood", log: (l) => seen.push(l) });
    expect(lines.ok && lines.output).toBe("done");
    expect(lines.logs.length).toBe(LOG_LINE_LIMIT + 1);
    expect(lines.logs[0]).toBe("line 0");
    expect(lines.logs.at(-1)).toBe(LOG_TRUNCATED_MARKER);
    expect(seen).toEqual(lines.logs);
    const bytes = await pool.run({ source: plugin("const s = 'y'.repeat(10000); for (let i = 0; i < 1000; i++) console.log(s); return 1;"), action: "go", cacheKey: "flood2" });
    expect(bytes.logs.at(-1)).toBe(LOG_TRUNCATED_MARKER);
    const total = bytes.logs.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l), 0);
    expect(total).toBeLessThanOrEqual(LOG_BYTE_LIMIT);
    expect(total).toBeGreaterThan(LOG_BYTE_LIMIT - 10_001);
  });

  it("errors report the plugin's own line and column", async () => {
    const source = [
      "// a comment",
      "function helper(x) {",
      "  if (x > 1) {",
      "    throw new RangeError('x is too big: ' + x);",
      "  }",
      "}",
      "export default { actions: {",
      "  async go(input) { helper(input.x); return 1; },",
      "  async typo(input) { return input.missing.field; },",
      "} };",
    ].join("\n");
    const r = await pool.run({ source, action: "go", cacheKey: "lines", input: { x: 5 } });
    expect(!r.ok && r.error).toEqual({ code: "plugin_error", message: "RangeError: x is too big: 5", line: 4, column: 11 });
    const typo = await pool.run({ source, action: "typo", cacheKey: "lines" });
    expect(!typo.ok && { line: typo.error.line, column: typo.error.column }).toEqual({ line: 9, column: 44 });
    const syntax = await pool.run({ source: "export default {\n  actions: {\n    async go() { return 1 +; }\n  },\n};", action: "go", cacheKey: "syntax" });
    expect(!syntax.ok && [syntax.error.code, syntax.error.line]).toEqual(["compile_error", 3]);
    expect(!syntax.ok && syntax.error.message).toMatch(/SyntaxError/);
  });

  it("the compute grant chooses the default budget", async () => {
    const t0 = performance.now();
    const r = await pool.run({ source: plugin("while (true) {}"), action: "go", cacheKey: "grant", grants: ["compute.light"] });
    expect(code(r)).toBe("timed_out");
    expect(performance.now() - t0).toBeLessThan(1_000 + GRACE);
  });

  it("spinners do not hold up the other isolate", async () => {
    const spinner = timed("while (true) {}", { limits: { timeoutMs: 600 } });
    const quick: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const r = await pool.run({ source: plugin("return input.i * 2;"), action: "go", cacheKey: "q", input: { i } });
      expect(r.ok && r.output).toBe(i * 2);
      quick.push(performance.now() - t0);
    }
    expect(Math.max(...quick)).toBeLessThan(300);
    expect(code((await spinner).r)).toBe("timed_out");
  });
});

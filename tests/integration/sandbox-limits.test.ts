// Limits of the plugin sandbox: time, memory, output and log size, and error locations.
import { describe, expect, it } from "vitest";
import { LOG_BYTE_LIMIT, LOG_LINE_LIMIT, LOG_TRUNCATED_MARKER, runInSandbox, type SandboxResult } from "@/lib/execution/sandbox";

function plugin(body: string): string {
  return `export default { actions: { async go(input, ctx) {\n${body}\n} } };`;
}

const TIMEOUT = 200;
const GRACE = 250;

async function timed(body: string, limits: { timeoutMs?: number; memoryMb?: number } = { timeoutMs: TIMEOUT }) {
  const t0 = performance.now();
  const r = await runInSandbox({ source: plugin(body), action: "go", limits });
  return { r, ms: performance.now() - t0 };
}

function code(r: SandboxResult): string {
  return r.ok ? "ok" : r.error.code;
}

async function stillHealthy() {
  const r = await runInSandbox({ source: plugin("return { sum: input.a + input.b };"), action: "go", input: { a: 2, b: 3 } });
  expect(r.ok && r.output).toEqual({ sum: 5 });
}

describe("sandbox limits", () => {
  it("while(true){} ends timed_out within timeout + 250 ms", async () => {
    const { r, ms } = await timed("while (true) {}");
    expect(code(r)).toBe("timed_out");
    expect(ms).toBeLessThan(TIMEOUT + GRACE);
    expect(r.resources.cpuMs).toBeGreaterThan(TIMEOUT * 0.5);
    await stillHealthy();
  });

  it("a spin at the module's top level is also stopped", async () => {
    const t0 = performance.now();
    const r = await runInSandbox({ source: `for (;;) {}\nexport default { actions: {} };`, action: "go", limits: { timeoutMs: TIMEOUT } });
    expect(code(r)).toBe("timed_out");
    expect(performance.now() - t0).toBeLessThan(TIMEOUT + GRACE);
  });

  it("a never-settling promise ends by the watchdog", async () => {
    const { r, ms } = await timed("await new Promise(() => {});");
    expect(code(r)).toBe("timed_out");
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
    expect(ms).toBeLessThan(TIMEOUT + GRACE);
  });

  it("a microtask loop ends by the watchdog", async () => {
    const loops = ["for (;;) await null;", "const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});"];
    for (const body of loops) {
      const { r, ms } = await timed(body);
      expect(code(r)).toBe("timed_out");
      expect(ms).toBeLessThan(TIMEOUT + GRACE);
    }
    await stillHealthy();
  });

  it("spinning inside a toJSON while the output is serialised is stopped too", async () => {
    const { r, ms } = await timed("return { toJSON() { for (;;) {} } };");
    expect(code(r)).toBe("timed_out");
    expect(ms).toBeLessThan(TIMEOUT + GRACE);
  });

  it("an array memory bomb ends killed_memory and the host carries on", async () => {
    const before = process.memoryUsage().rss;
    const { r } = await timed("const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length });", { timeoutMs: 20_000, memoryMb: 32 });
    expect(code(r)).toBe("killed_memory");
    const buffers = await timed("const a = []; for (;;) a.push(new Array(1e6).fill(1.5));", { timeoutMs: 20_000, memoryMb: 32 });
    expect(["killed_memory", "plugin_error"]).toContain(code(buffers.r));
    const strings = await timed("let s = 'xy'; const keep = []; for (;;) { s = s + s.slice(0, 1e6) + Math.random(); keep.push(s.split('')); }", { timeoutMs: 20_000, memoryMb: 32 });
    expect(code(strings.r)).toBe("killed_memory");
    await stillHealthy();
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it("ArrayBuffers count against the memory limit", async () => {
    const { r } = await timed("const a = []; for (;;) a.push(new ArrayBuffer(8 * 1024 * 1024));", { timeoutMs: 5_000, memoryMb: 32 });
    expect(["killed_memory", "plugin_error"]).toContain(code(r));
    if (!r.ok && r.error.code === "plugin_error") expect(r.error.message).toMatch(/allocation failed/i);
    await stillHealthy();
  });

  it("deep recursion and huge strings fail inside the isolate only", async () => {
    const rec = await timed("const f = (n) => f(n + 1) + 1; return f(0);", { timeoutMs: 2_000 });
    expect(code(rec.r)).toBe("plugin_error");
    expect(!rec.r.ok && rec.r.error.message).toMatch(/call stack/);
    const str = await timed("let s = 'x'; for (;;) s += s; ", { timeoutMs: 2_000, memoryMb: 64 });
    expect(["plugin_error", "killed_memory"]).toContain(code(str.r));
    await stillHealthy();
  });

  it("an output over 1 MB is rejected", async () => {
    const big = await timed("return { data: 'x'.repeat(1024 * 1024 + 10) };", { timeoutMs: 2_000 });
    expect(code(big.r)).toBe("output_too_large");
    // Multi-byte characters count by their UTF-8 size.
    const wide = await timed("return 'é'.repeat(600 * 1024);", { timeoutMs: 2_000 });
    expect(code(wide.r)).toBe("output_too_large");
    const justUnder = await timed("return 'x'.repeat(1000 * 1000);", { timeoutMs: 2_000 });
    expect(code(justUnder.r)).toBe("ok");
  });

  it("a log flood is truncated at 1,000 lines", async () => {
    const seen: string[] = [];
    const r = await runInSandbox({ source: plugin("for (let i = 0; i < 100000; i++) ctx.log('line', i); return 'done';"), action: "go", log: (l) => seen.push(l) });
    expect(r.ok && r.output).toBe("done");
    expect(r.logs.length).toBe(LOG_LINE_LIMIT + 1);
    expect(r.logs[0]).toBe("line 0");
    expect(r.logs.at(-1)).toBe(LOG_TRUNCATED_MARKER);
    expect(seen).toEqual(r.logs);
  });

  it("a log flood is truncated at 256 KB", async () => {
    const r = await runInSandbox({ source: plugin("const s = 'y'.repeat(10000); for (let i = 0; i < 1000; i++) console.log(s); return 1;"), action: "go" });
    expect(r.ok).toBe(true);
    expect(r.logs.at(-1)).toBe(LOG_TRUNCATED_MARKER);
    const bytes = r.logs.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l), 0);
    expect(bytes).toBeLessThanOrEqual(LOG_BYTE_LIMIT);
    expect(bytes).toBeGreaterThan(LOG_BYTE_LIMIT - 10_001);
    const single = await runInSandbox({ source: plugin("ctx.log('z'.repeat(5e6)); return 1;"), action: "go" });
    expect(single.logs.reduce((n, l) => n + l.length, 0)).toBeLessThan(LOG_BYTE_LIMIT + 200);
  });

  it("a thrown error reports the plugin's own line and column", async () => {
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
    const r = await runInSandbox({ source, action: "go", input: { x: 5 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ code: "plugin_error", message: "RangeError: x is too big: 5", line: 4, column: 11 });
    const t = await runInSandbox({ source, action: "typo" });
    expect(t.ok === false && { line: t.error.line, column: t.error.column }).toEqual({ line: 9, column: 44 });
  });

  it("a syntax error reports compile_error with its line and column", async () => {
    const r = await runInSandbox({ source: "export default {\n  actions: {\n    async go() { return 1 +; }\n  },\n};", action: "go" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("compile_error");
      expect(r.error.message).toMatch(/SyntaxError/);
      expect(r.error.line).toBe(3);
    }
  });

  it("the compute grant chooses the default timeout", async () => {
    const t0 = performance.now();
    const r = await runInSandbox({ source: plugin("while (true) {}"), action: "go", grants: ["compute.light"] });
    const ms = performance.now() - t0;
    expect(code(r)).toBe("timed_out");
    // compute.light is 1 s; the next tier is 10 s. Far from both tiers' edges so load on the machine cannot flip it.
    expect(ms).toBeGreaterThanOrEqual(1_000 - 5);
    expect(ms).toBeLessThan(3_000);
    expect(r.resources.cpuMs).toBeGreaterThan(500);
  });

  it("records resources", async () => {
    const r = await runInSandbox({ source: plugin("let x = 0; for (let i = 0; i < 1e6; i++) x += i; return x;"), action: "go" });
    expect(r.ok).toBe(true);
    expect(r.resources.wallMs).toBeGreaterThan(0);
    expect(r.resources.cpuMs).toBeGreaterThan(0);
    expect(r.resources.heapBytes).toBeGreaterThan(0);
  });

  it("parallel executions do not disturb one another", async () => {
    const spinners = Array.from({ length: 3 }, () => timed("while (true) {}"));
    const quick = Array.from({ length: 10 }, (_, i) => runInSandbox({ source: plugin("return input.i * 2;"), action: "go", input: { i } }));
    const results = await Promise.all(quick);
    expect(results.map((r) => r.ok && r.output)).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    for (const s of await Promise.all(spinners)) expect(code(s.r)).toBe("timed_out");
  });
});

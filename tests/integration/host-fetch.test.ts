// ctx.fetch end to end: plugin code in a pooled isolate → the host bridge → makeFetchHost →
// guardedFetch → a real HTTP server started here. Grants are checked on every call,
// allowed_domains and the SSRF guard hold (names resolved by a fixed test resolver; only
// 127.0.0.1 is trusted, through guardedFetch's test-only option), at most 10 calls, and
// every request is recorded without its query string or secrets.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { makeFetchHost, type MakeFetchHostOptions } from "../../lib/execution/host";
import { SandboxPool, type SandboxResult } from "../../lib/execution/sandbox";
import type { OutboundRequest } from "../../lib/execution/types";
import { plugin, startTestServer, testLookup, TRUSTED, type TestServer } from "./helpers/sandbox-host-fixtures";

let server: TestServer;
let pool: SandboxPool;
const COR = "cor_0000000000testcorrelation01";

beforeAll(async () => {
  server = await startTestServer();
  pool = new SandboxPool({ size: 2, memoryMb: 64 });
  await pool.ready();
});
afterAll(async () => {
  await pool.close();
  await server.close();
});
beforeEach(() => {
  server.hits.length = 0;
});

interface Run {
  r: SandboxResult;
  requests: OutboundRequest[];
}

async function run(body: string, o: { grants?: string[]; allowedDomains?: string[]; input?: unknown; secrets?: Record<string, string>; fetch?: Partial<MakeFetchHostOptions>; timeoutMs?: number } = {}): Promise<Run> {
  const requests: OutboundRequest[] = [];
  const grants = o.grants ?? ["network.http.get"];
  const fetch = makeFetchHost({
    grants,
    allowedDomains: o.allowedDomains ?? ["api.allowed.test", "*.allowed.test"],
    correlationId: COR,
    secrets: o.secrets,
    onRequest: (req) => requests.push(req),
    lookup: testLookup,
    testOnlyTrustedAddresses: TRUSTED,
    ...o.fetch,
  });
  const r = await pool.run({
    source: plugin(body),
    action: "go",
    cacheKey: `fetch-${body.length}`,
    input: { base: server.base, port: server.port, ...(o.input as object) },
    grants,
    secrets: o.secrets,
    host: { fetch },
    limits: { timeoutMs: o.timeoutMs ?? 8_000 },
  });
  return { r, requests };
}

function output(r: SandboxResult): any {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.output;
}

describe("ctx.fetch: what the plugin gets", () => {
  test("a granted GET reaches the server and resolves to a frozen plain response built in the isolate", async () => {
    const { r, requests } = await run(`
      const res = await ctx.fetch(input.base + "/echo?token=abc&q=1", { headers: { accept: "application/json", "x-plugin": 42, "X-Correlation-Id": "forged" } });
      const body = res.json();
      return {
        ok: res.ok, status: res.status, url: res.url, header: res.headers["x-test"], contentType: res.headers["content-type"],
        frozen: Object.isFrozen(res) && Object.isFrozen(res.headers), textIsString: typeof res.text() === "string",
        echoed: body, twice: res.json() !== body, proto: Object.getPrototypeOf(res) === Object.prototype,
        ownKeys: Object.keys(res).sort(),
      };
    `);
    const out = output(r);
    expect(out).toMatchObject({ ok: true, status: 200, url: `${server.base}/echo?token=abc&q=1`, header: "yes", contentType: "application/json", frozen: true, textIsString: true, twice: true, proto: true });
    expect(out.ownKeys).toEqual(["headers", "json", "ok", "status", "text", "url"]);
    expect(out.echoed.method).toBe("GET");
    expect(out.echoed.url).toBe("/echo?token=abc&q=1");
    expect(out.echoed.headers["x-plugin"]).toBe("42");
    // The execution's correlation id goes out; the plugin cannot forge it.
    expect(out.echoed.headers["x-correlation-id"]).toBe(COR);
    expect(server.hits).toHaveLength(1);
    expect(r.resources.networkCalls).toBe(1);
    // Recorded without the query string.
    expect(requests).toEqual([{ method: "GET", url: `${server.base}/echo`, status: 200, ms: expect.any(Number), correlationId: COR }]);
  });

  test("a POST with network.http.post sends its body; text responses and error statuses come back as they are", async () => {
    const { r } = await run(`
      const posted = await ctx.fetch(input.base + "/echo", { method: "post", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: 1 }) });
      const text = await ctx.fetch(input.base + "/text");
      const missing = await ctx.fetch(input.base + "/status/404");
      return { posted: posted.json(), text: text.text(), missing: { ok: missing.ok, status: missing.status, body: missing.json() } };
    `, { grants: ["network.http.get", "network.http.post"] });
    const out = output(r);
    expect(out.posted).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(out.text).toBe("hello from the test server");
    expect(out.missing).toEqual({ ok: false, status: 404, body: { status: "404" } });
    expect(r.resources.networkCalls).toBe(3);
  });

  test("refusals reject with an Error carrying .code, which the plugin can catch", async () => {
    const { r } = await run(`
      const seen = [];
      try { await ctx.fetch(input.base + "/echo", { method: "POST", body: "x" }); } catch (e) { seen.push([e.name, e.code, e instanceof Error, e.message]); }
      try { await ctx.fetch("http://not-allowed.test:" + input.port + "/echo"); } catch (e) { seen.push([e.name, e.code]); }
      try { await ctx.fetch("file:///etc/passwd"); } catch (e) { seen.push([e.name, e.code]); }
      try { await ctx.fetch(input.base + "/echo", { body: 5 }); } catch (e) { seen.push([e.name, e.code ?? null]); }
      return seen;
    `);
    const seen = output(r);
    expect(seen[0]).toEqual(["HostApiError", "permission_denied", true, expect.stringContaining("network.http.post")]);
    expect(seen[1]).toEqual(["HostApiError", "domain_not_allowed"]);
    expect(seen[2]).toEqual(["HostApiError", "bad_url"]);
    expect(seen[3]).toEqual(["TypeError", null]);
    expect(server.hits).toHaveLength(0);
  });

  test("an uncaught refusal fails the execution with the plugin's line", async () => {
    const { r } = await run(`await ctx.fetch(input.base + "/echo", { method: "DELETE" });`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("plugin_error");
      expect(r.error.message).toMatch(/^HostApiError: .*network\.http\.post/);
      expect(r.error.line).toBe(2);
    }
    expect(server.hits).toHaveLength(0);
  });

  test("the 11th call of an execution is refused with too_many_requests", async () => {
    const { r, requests } = await run(`
      const codes = [];
      for (let i = 0; i < 12; i++) {
        try { const res = await ctx.fetch(input.base + "/text?i=" + i); codes.push(res.status); } catch (e) { codes.push(e.code); }
      }
      return codes;
    `);
    expect(output(r)).toEqual([...Array(10).fill(200), "too_many_requests", "too_many_requests"]);
    expect(server.hits).toHaveLength(10);
    expect(r.resources.networkCalls).toBe(12);
    expect(requests.filter((q) => q.error === "too_many_requests")).toHaveLength(2);
    // The budget is per execution: the next one starts again.
    const next = await run(`return (await ctx.fetch(input.base + "/text")).status;`);
    expect(output(next.r)).toBe(200);
  });

  test("ctx.fetch exists only with a network grant and a fetch host", async () => {
    const fetch = makeFetchHost({ grants: [], allowedDomains: ["api.allowed.test"], correlationId: COR, lookup: testLookup, testOnlyTrustedAddresses: TRUSTED });
    const without = await pool.run({ source: plugin("return typeof ctx.fetch;"), action: "go", cacheKey: "k", grants: ["data.read"], host: { fetch } });
    expect(output(without)).toBe("undefined");
    const noHost = await pool.run({ source: plugin("return typeof ctx.fetch;"), action: "go", cacheKey: "k", grants: ["network.http.get"] });
    expect(output(noHost)).toBe("undefined");
    // Even if the bridge were reached, the host checks the grant on the call itself.
    await expect(fetch({ url: `${server.base}/echo`, method: "GET", headers: {} })).rejects.toMatchObject({ code: "permission_denied" });
    expect(server.hits).toHaveLength(0);
  });

  test("responses over 1 MB are refused; the deadline bounds a slow server", async () => {
    const big = await run(`try { await ctx.fetch(input.base + "/big"); return "got it"; } catch (e) { return e.code; }`);
    expect(output(big.r)).toBe("response_too_large");
    const t0 = performance.now();
    const slow = await run(`try { await ctx.fetch(input.base + "/slow"); return "answered"; } catch (e) { return e.code; }`, { fetch: { deadline: Date.now() + 300 } });
    expect(output(slow.r)).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  test("an awaited request counts against the wall budget, not CPU; the watchdog ends it", async () => {
    const t0 = performance.now();
    const { r } = await run(`await ctx.fetch(input.base + "/slow"); return 1;`, { timeoutMs: 300 });
    const ms = performance.now() - t0;
    expect(r.ok === false && r.error.code).toBe("timed_out");
    expect(ms).toBeLessThan(300 + 250);
    expect(r.resources.cpuMs).toBeLessThan(100);
    // Spinning after an awaited host call is stopped too.
    const t1 = performance.now();
    const spin = await run(`await ctx.fetch(input.base + "/text"); for (;;) {}`, { timeoutMs: 300 });
    expect(spin.r.ok === false && spin.r.error.code).toBe("timed_out");
    expect(performance.now() - t1).toBeLessThan(300 + 250);
  });

  test("secrets never reach the recorded requests or error messages", async () => {
    const secret = "sk-live-0123456789abcdef";
    const { r, requests } = await run(`
      await ctx.fetch(input.base + "/echo/" + ctx.secrets.KEY + "?key=" + ctx.secrets.KEY, { headers: { authorization: "Bearer " + ctx.secrets.KEY } });
      await ctx.fetch("http://" + ctx.secrets.KEY + ".not-allowed.test/x");
    `, { secrets: { KEY: secret } });
    expect(r.ok).toBe(false);
    expect(server.hits[0]?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(JSON.stringify(requests)).not.toContain(secret);
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(requests[0]?.url).toBe(`${server.base}/echo/[REDACTED]`);
  });
});

describe("ctx.fetch: the SSRF guard", () => {
  // Every literal and name is in allowed_domains, so each refusal is the address guard's.
  // Nothing is trusted here (not even the test server's 127.0.0.1), except in the redirect
  // cases, whose first hop must reach the test server.
  const p = () => server.port;
  const cases: [string, () => string][] = [
    ["127.0.0.1", () => `http://127.0.0.1:${p()}/echo`],
    ["127.0.0.2", () => `http://127.0.0.2:${p()}/echo`],
    ["localhost", () => `http://localhost:${p()}/echo`],
    ["[::1]", () => `http://[::1]:${p()}/echo`],
    ["0.0.0.0", () => `http://0.0.0.0:${p()}/echo`],
    ["169.254.169.254", () => "http://169.254.169.254/latest/meta-data/"],
    ["10.0.0.1", () => `http://10.0.0.1:${p()}/echo`],
    ["172.16.0.1", () => `http://172.16.0.1:${p()}/echo`],
    ["192.168.1.1", () => `http://192.168.1.1:${p()}/echo`],
    ["100.64.0.1", () => `http://100.64.0.1:${p()}/echo`],
    ["[fc00::1]", () => `http://[fc00::1]:${p()}/echo`],
    ["[::ffff:127.0.0.1]", () => `http://[::ffff:127.0.0.1]:${p()}/echo`],
    ["2130706433", () => `http://2130706433:${p()}/echo`],
    ["0x7f000001", () => `http://0x7f000001:${p()}/echo`],
    ["0177.0.0.1", () => `http://0177.0.0.1:${p()}/echo`],
    ["a name resolving to 10.0.0.1", () => `http://private.allowed.test:${p()}/echo`],
    ["a name resolving to 169.254.169.254", () => `http://metadata.allowed.test/x`],
    ["a name resolving to fd00::1", () => `http://v6private.allowed.test:${p()}/echo`],
    ["a redirect from an allowed host to a private one", () => `${server.base}/redirect?to=${encodeURIComponent(`http://private.allowed.test:${p()}/echo`)}`],
    ["a redirect to a loopback literal", () => `${server.base}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${p()}/echo`)}`],
  ];
  const literals = ["127.0.0.2", "localhost", "[::1]", "0.0.0.0", "169.254.169.254", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "[fc00::1]", "[::ffff:7f00:1]", "127.0.0.1", "*.allowed.test", "api.allowed.test"];

  test.each(cases)("%s is refused", async (name, url) => {
    const trusted = name.startsWith("a redirect") ? TRUSTED : [];
    const { r, requests } = await run(`try { await ctx.fetch(input.url); return "reached"; } catch (e) { return e.code; }`, {
      input: { url: url() },
      allowedDomains: literals,
      fetch: { testOnlyTrustedAddresses: trusted },
    });
    expect(output(r)).toBe("blocked_address");
    expect(requests[0]?.error).toBe("blocked_address");
    // The redirect case reaches the allowed host first; nothing ever reaches a refused address.
    expect(server.hits.filter((h) => !h.url.startsWith("/redirect"))).toHaveLength(0);
  });

  test("more than 3 redirects are refused", async () => {
    const hop = (to: string) => `/redirect?to=${encodeURIComponent(to)}`;
    const chain = hop(hop(hop(hop("/echo"))));
    const { r } = await run(`try { await ctx.fetch(input.base + input.chain); return "reached"; } catch (e) { return e.code; }`, { input: { chain } });
    expect(output(r)).toBe("too_many_redirects");
    const three = await run(`return (await ctx.fetch(input.base + input.chain)).json().method;`, { input: { chain: hop(hop(hop("/echo"))) } });
    expect(output(three.r)).toBe("GET");
  });
});

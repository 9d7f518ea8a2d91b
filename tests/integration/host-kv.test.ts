// ctx.kv end to end against a real PostgreSQL: plugin code in a pooled isolate → the host
// bridge → makeKvHost → kv_entries. Round trip, caps (key length, value size, 1,000 keys,
// 1 MB per installation, also under concurrent sets), grants checked on every call, and one
// installation never reaching another's keys.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HostApiError, KV_MAX_KEYS, KV_MAX_TOTAL_BYTES, KV_MAX_VALUE_BYTES, makeKvHost } from "../../lib/execution/host";
import { SandboxPool, type SandboxResult } from "../../lib/execution/sandbox";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeInstallation, plugin } from "./helpers/sandbox-host-fixtures";

let t: TestDatabase;
let pool: SandboxPool;
const ALL = ["data.read", "data.write", "data.delete"];

beforeAll(async () => {
  t = await createTestDatabase();
  pool = new SandboxPool({ size: 2, memoryMb: 64 });
});
afterAll(async () => {
  await pool.close();
  await t.drop();
});

function run(installationId: string, body: string, grants: string[] = ALL, input: unknown = {}): Promise<SandboxResult> {
  return pool.run({ source: plugin(body), action: "go", cacheKey: "kv", grants, input, host: { kv: makeKvHost(t.db, { installationId, grants }) }, limits: { timeoutMs: 10_000 } });
}

function output(r: SandboxResult): any {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.output;
}

async function rows(installationId: string) {
  return t.db.kvEntry.findMany({ where: { installationId }, orderBy: { key: "asc" }, select: { key: true, value: true, bytes: true } });
}

describe("ctx.kv from plugin code", () => {
  test("set / get / list / delete round trip", async () => {
    const ins = await makeInstallation(t, ALL);
    const r = await run(ins, `
      await ctx.kv.set("city:paris", { temp: 21, tags: ["a", "b"], nested: { ok: true } });
      await ctx.kv.set("city:oslo", 3);
      await ctx.kv.set("other", null);
      await ctx.kv.set("city:oslo", "overwritten");
      const got = await ctx.kv.get("city:paris");
      got.temp = 99; // a copy: changing it changes nothing stored
      return {
        paris: await ctx.kv.get("city:paris"), oslo: await ctx.kv.get("city:oslo"), other: await ctx.kv.get("other"),
        missing: await ctx.kv.get("nope"), missingIsUndefined: (await ctx.kv.get("nope")) === undefined,
        all: await ctx.kv.list(), cities: await ctx.kv.list("city:"),
        deleted: await ctx.kv.delete("city:oslo"), deletedAgain: await ctx.kv.delete("city:oslo"),
        after: await ctx.kv.list(),
      };
    `);
    expect(output(r)).toEqual({
      paris: { temp: 21, tags: ["a", "b"], nested: { ok: true } },
      oslo: "overwritten",
      other: null,
      missingIsUndefined: true,
      all: ["city:oslo", "city:paris", "other"],
      cities: ["city:oslo", "city:paris"],
      deleted: true,
      deletedAgain: false,
      after: ["city:paris", "other"],
    });
    const stored = await rows(ins);
    expect(stored.map((s) => s.key)).toEqual(["city:paris", "other"]);
    expect(stored[0]!.bytes).toBe(Buffer.byteLength("city:paris") + Buffer.byteLength(JSON.stringify({ temp: 21, tags: ["a", "b"], nested: { ok: true } })));
    expect(r.resources.networkCalls).toBe(0);
  });

  test("values are plain JSON data: functions, undefined and cycles are refused inside the isolate", async () => {
    const ins = await makeInstallation(t, ALL);
    const r = await run(ins, `
      const errs = [];
      for (const v of [undefined, () => 1, (() => { const a = {}; a.a = a; return a; })(), 10n]) {
        try { await ctx.kv.set("k", v); errs.push("stored"); } catch (e) { errs.push(e.name); }
      }
      try { await ctx.kv.get(42); } catch (e) { errs.push(e.name); }
      await ctx.kv.set("d", { when: new Date(0), nan: NaN, skip: undefined, arr: [undefined] });
      return { errs, d: await ctx.kv.get("d") };
    `);
    expect(output(r)).toEqual({ errs: ["TypeError", "TypeError", "TypeError", "TypeError", "TypeError"], d: { when: "1970-01-01T00:00:00.000Z", nan: null, arr: [null] } });
    expect((await rows(ins)).map((s) => s.key)).toEqual(["d"]);
  });

  test("keys are 1–256 characters; values at most 64 KB", async () => {
    const ins = await makeInstallation(t, ALL);
    const r = await run(ins, `
      const codes = {};
      const tryIt = async (name, f) => { try { await f(); codes[name] = "ok"; } catch (e) { codes[name] = e.code ?? e.name; } };
      await tryIt("empty key", () => ctx.kv.set("", 1));
      await tryIt("256", () => ctx.kv.set("k".repeat(256), 1));
      await tryIt("257", () => ctx.kv.set("k".repeat(257), 1));
      await tryIt("nul key", () => ctx.kv.set("a\\u0000b", 1));
      await tryIt("nul value", () => ctx.kv.set("nul", { s: "a\\u0000b" }));
      await tryIt("64 KB", () => ctx.kv.set("fits", "x".repeat(${KV_MAX_VALUE_BYTES} - 2)));
      await tryIt("64 KB + 1", () => ctx.kv.set("big", "x".repeat(${KV_MAX_VALUE_BYTES} - 1)));
      await tryIt("multi-byte", () => ctx.kv.set("wide", "é".repeat(${KV_MAX_VALUE_BYTES} / 2)));
      await tryIt("huge", () => ctx.kv.set("huge", "x".repeat(3 * 1024 * 1024)));
      return codes;
    `);
    expect(output(r)).toEqual({
      "empty key": "invalid_argument",
      "256": "ok",
      "257": "invalid_argument",
      "nul key": "invalid_argument",
      "nul value": "invalid_argument",
      "64 KB": "ok",
      "64 KB + 1": "value_too_large",
      "multi-byte": "value_too_large",
      huge: "payload_too_large",
    });
    expect((await rows(ins)).map((s) => s.key).sort()).toEqual(["fits", "k".repeat(256)]);
  });

  test("at most 1,000 keys per installation; overwriting a key is still allowed at the cap", async () => {
    const ins = await makeInstallation(t, ALL);
    // Fill to the cap directly (fast), then let the plugin hit it.
    await t.db.kvEntry.createMany({ data: Array.from({ length: KV_MAX_KEYS }, (_, i) => ({ installationId: ins, key: `k${i}`, value: i, bytes: 10 })) });
    const r = await run(ins, `
      let newKey, overwrite;
      try { await ctx.kv.set("one-more", 1); newKey = "stored"; } catch (e) { newKey = e.code; }
      try { await ctx.kv.set("k5", "changed"); overwrite = await ctx.kv.get("k5"); } catch (e) { overwrite = e.code; }
      await ctx.kv.delete("k0");
      await ctx.kv.set("one-more", 1);
      return { newKey, overwrite, count: (await ctx.kv.list()).length };
    `);
    expect(output(r)).toEqual({ newKey: "quota_exceeded", overwrite: "changed", count: KV_MAX_KEYS });
  });

  test("at most 1 MB per installation, also when many sets race", async () => {
    const ins = await makeInstallation(t, ALL);
    const kv = makeKvHost(t.db, { installationId: ins, grants: ALL });
    const value = "v".repeat(60 * 1024); // ~60 KB each: 17 fit in 1 MB
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => kv.set(`key-${i}`, value)));
    const ok = results.filter((x) => x.status === "fulfilled").length;
    const refused = results.filter((x) => x.status === "rejected");
    const stored = await rows(ins);
    const total = stored.reduce((n, s) => n + s.bytes, 0);
    expect(total).toBeLessThanOrEqual(KV_MAX_TOTAL_BYTES);
    expect(ok).toBe(Math.floor(KV_MAX_TOTAL_BYTES / (60 * 1024 + 2 + "key-00".length)));
    expect(stored).toHaveLength(ok);
    for (const x of refused) expect((x as PromiseRejectedResult).reason).toMatchObject({ code: "quota_exceeded" });
    // The plugin sees the same refusal.
    const r = await run(ins, `try { await ctx.kv.set("late", "x".repeat(60000)); return "stored"; } catch (e) { return e.code; }`);
    expect(output(r)).toBe("quota_exceeded");
  });

  test("an installation reaches only its own keys: the id comes from the host", async () => {
    const a = await makeInstallation(t, ALL);
    const b = await makeInstallation(t, ALL);
    expect(output(await run(a, `await ctx.kv.set("shared-name", "A's secret"); await ctx.kv.set("only-a", 1); return 1;`))).toBe(1);
    const fromB = await run(b, `
      return {
        read: await ctx.kv.get("shared-name") ?? null, list: await ctx.kv.list(), del: await ctx.kv.delete("only-a"),
        // Nothing the plugin passes can name another installation.
        sneaky: await ctx.kv.get("${a}/shared-name") ?? null, prefix: await ctx.kv.list("${a}"),
      };
    `);
    expect(output(fromB)).toEqual({ read: null, list: [], del: false, sneaky: null, prefix: [] });
    expect((await rows(a)).map((s) => [s.key, s.value])).toEqual([["only-a", 1], ["shared-name", "A's secret"]]);
    expect(await rows(b)).toEqual([]);
  });

  test("host calls fired without awaiting are bounded: at most 32 in flight per execution", async () => {
    const ins = await makeInstallation(t, ALL);
    const r = await run(ins, `
      const settled = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ctx.kv.get("k" + i)));
      const refused = settled.filter((s) => s.status === "rejected");
      return { fulfilled: settled.length - refused.length, refused: refused.length, codes: [...new Set(refused.map((s) => s.reason.code))] };
    `);
    const out = output(r);
    expect(out.fulfilled).toBeGreaterThanOrEqual(32);
    expect(out.refused).toBeGreaterThan(0);
    expect(out.codes).toEqual(["too_many_requests"]);
    // Awaited one after another, many calls are fine.
    const sequential = await run(ins, `for (let i = 0; i < 100; i++) await ctx.kv.set("k" + (i % 5), i); return (await ctx.kv.list()).length;`);
    expect(output(sequential)).toBe(5);
  });

  test("grants are checked on every call", async () => {
    const ins = await makeInstallation(t, ALL);
    await makeKvHost(t.db, { installationId: ins, grants: ALL }).set("existing", "v");
    const readOnly = await run(ins, `
      const out = { kind: typeof ctx.kv, value: await ctx.kv.get("existing"), keys: await ctx.kv.list() };
      try { await ctx.kv.set("x", 1); } catch (e) { out.set = [e.name, e.code, e.message]; }
      try { await ctx.kv.delete("existing"); } catch (e) { out.del = e.code; }
      return out;
    `, ["data.read"]);
    expect(output(readOnly)).toEqual({ kind: "object", value: "v", keys: ["existing"], set: ["HostApiError", "permission_denied", expect.stringContaining("data.write")], del: "permission_denied" });
    const writeOnly = await run(ins, `
      await ctx.kv.set("w", 1);
      const out = {};
      try { await ctx.kv.get("w"); } catch (e) { out.get = e.code; }
      try { await ctx.kv.list(); } catch (e) { out.list = e.code; }
      return out;
    `, ["data.write"]);
    expect(output(writeOnly)).toEqual({ get: "permission_denied", list: "permission_denied" });
    const none = await run(ins, `return typeof ctx.kv;`, ["network.http.get"]);
    expect(output(none)).toBe("undefined");
    expect((await rows(ins)).map((s) => s.key)).toEqual(["existing", "w"]);
    // The host API itself refuses without the grant, whatever calls it.
    await expect(makeKvHost(t.db, { installationId: ins, grants: [] }).get("existing")).rejects.toBeInstanceOf(HostApiError);
  });
});

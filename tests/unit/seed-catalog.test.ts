// The seed catalog is real: every manifest validates, the offline code capabilities pass
// their own examples. (Here the modules run in a plain Node test process, as a check of
// our own code; the product runs them only in isolates — see the execution engine.)
import { describe, expect, test } from "vitest";
import { matchesExpected, readSeedCatalog } from "../../lib/registry/seed-catalog";

const catalog = readSeedCatalog();

test("at least 12 capabilities across the types, at least 6 that need no network", () => {
  expect(catalog.length).toBeGreaterThanOrEqual(12);
  const types = new Set(catalog.map((c) => c.manifest.type));
  expect([...types].sort()).toEqual(["api-connector", "code", "declarative", "workflow"]);
  const offline = catalog.filter((c) => !c.manifest.permissions.some((p) => p.startsWith("network.")));
  expect(offline.length).toBeGreaterThanOrEqual(6);
});

const ctx = { log: () => {}, config: {}, secrets: {} };

describe.each(catalog.filter((c) => c.manifest.type === "code").map((c) => [c.manifest.slug, c] as const))("%s", (_slug, entry) => {
  test("passes its examples", async () => {
    if (entry.manifest.type !== "code") throw new Error("unreachable");
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(entry.manifest.source).toString("base64")}`)) as {
      default: { actions: Record<string, (input: unknown, c: typeof ctx) => Promise<unknown>> };
    };
    expect(entry.manifest.examples.length).toBeGreaterThan(0);
    for (const ex of entry.manifest.examples) {
      const action = ex.action ?? entry.manifest.actions[0]!.id;
      const fn = mod.default.actions[action];
      expect(fn, `action ${action} is exported`).toBeTypeOf("function");
      const out = await fn!(ex.input, ctx);
      expect(matchesExpected(ex.expected_output, out), `${action}(${JSON.stringify(ex.input)}) → ${JSON.stringify(out)}`).toBe(true);
    }
    for (const a of entry.manifest.actions) expect(mod.default.actions[a.id], `declared action ${a.id} is exported`).toBeTypeOf("function");
  });
});

test("matchesExpected compares as a subset, numbers with tolerance", () => {
  expect(matchesExpected({ a: 1 }, { a: 1, b: 2 })).toBe(true);
  expect(matchesExpected({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
  expect(matchesExpected({ a: 0.30000000000000004 }, { a: 0.3 })).toBe(true);
  expect(matchesExpected({ a: "x" }, { a: "y" })).toBe(false);
});

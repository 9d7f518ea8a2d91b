// The seed catalog is real: every manifest validates and the mix of types is there. Its
// code capabilities pass their own examples in real isolates: tests/integration/sandbox-catalog.test.ts.
import { expect, test } from "vitest";
import { matchesExpected, readSeedCatalog } from "../../lib/registry/seed-catalog";

const catalog = readSeedCatalog();

test("at least 12 capabilities across the types, at least 6 that need no network", () => {
  expect(catalog.length).toBeGreaterThanOrEqual(12);
  const types = new Set(catalog.map((c) => c.manifest.type));
  expect([...types].sort()).toEqual(["api-connector", "code", "declarative", "workflow"]);
  const offline = catalog.filter((c) => !c.manifest.permissions.some((p) => p.startsWith("network.")));
  expect(offline.length).toBeGreaterThanOrEqual(6);
});

test("matchesExpected compares as a subset, numbers with tolerance", () => {
  expect(matchesExpected({ a: 1 }, { a: 1, b: 2 })).toBe(true);
  expect(matchesExpected({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
  expect(matchesExpected({ a: 0.30000000000000004 }, { a: 0.3 })).toBe(true);
  expect(matchesExpected({ a: "x" }, { a: "y" })).toBe(false);
});

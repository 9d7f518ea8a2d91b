// The seed catalog's code capabilities, run in the sandbox: every example must pass.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runInSandbox } from "@/lib/execution/sandbox";
import { checkManifestText } from "@/lib/registry/parse-manifest";
import { matchesExpected, readSeedCatalog } from "@/lib/registry/seed-catalog";
import type { Manifest } from "@/lib/registry/manifest-schema";

type CodeManifest = Extract<Manifest, { type: "code" }>;

const codeCapabilities = readSeedCatalog()
  .map((e) => e.manifest)
  .filter((m): m is CodeManifest => m.type === "code");

async function runExamples(m: CodeManifest) {
  expect(m.examples.length).toBeGreaterThan(0);
  for (const ex of m.examples) {
    const action = ex.action ?? m.actions[0]?.id;
    if (!action) throw new Error(`${m.slug} has no action`);
    const r = await runInSandbox({ source: m.source, action, input: ex.input, grants: m.permissions, limits: { timeoutMs: 5_000 } });
    const label = `${m.slug}.${action} ${JSON.stringify(ex.input).slice(0, 80)}`;
    if (!r.ok) throw new Error(`${label}: ${r.error.code}: ${r.error.message}`);
    if (ex.expected_output !== undefined && !matchesExpected(ex.expected_output, r.output)) {
      throw new Error(`${label}: expected ${JSON.stringify(ex.expected_output)}, got ${JSON.stringify(r.output)}`);
    }
  }
}

describe("seed catalog code capabilities in the sandbox", () => {
  it("there are code capabilities to run", () => {
    expect(codeCapabilities.length).toBeGreaterThanOrEqual(5);
  });

  for (const m of codeCapabilities) {
    it(`${m.slug}: its examples pass`, async () => {
      await runExamples(m);
    });
  }

  it("the seed's data-analyzer example (ctx.utils) passes", async () => {
    const report = checkManifestText(readFileSync(path.resolve("tests/fixtures/manifests/data-analyzer.yaml"), "utf8"));
    expect(report.valid).toBe(true);
    const m = report.manifest;
    if (m?.type !== "code") throw new Error("expected a code manifest");
    await runExamples(m);
  });
});

// The seed catalog: real capabilities written by us (prisma/seed/catalog/*.yaml), which
// the seed publishes as public versions. Reading and validating them is pure; publishing
// them is the registry's job.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Manifest } from "./manifest-schema";
import { checkManifestText } from "./parse-manifest";

export const SEED_CATALOG_DIR = path.resolve(process.cwd(), "prisma/seed/catalog");

export interface CatalogEntry {
  file: string;
  manifest: Manifest;
  contentHash: string;
}

export function readSeedCatalog(dir = SEED_CATALOG_DIR): CatalogEntry[] {
  return readdirSync(/*turbopackIgnore: true*/ dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((file) => {
      const report = checkManifestText(readFileSync(/*turbopackIgnore: true*/ path.join(dir, file), "utf8"));
      if (!report.valid || !report.manifest || !report.contentHash) {
        throw new Error(`seed catalog ${file} is invalid: ${report.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
      }
      return { file, manifest: report.manifest, contentHash: report.contentHash };
    });
}

/** Whether `actual` contains everything `expected` says (objects by key, arrays item by item). */
export function matchesExpected(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== "object") {
    if (typeof expected === "number" && typeof actual === "number") return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
    return Object.is(expected, actual);
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesExpected(e, actual[i]));
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  return Object.entries(expected).every(([k, v]) => matchesExpected(v, (actual as Record<string, unknown>)[k]));
}

/** Dependencies first, so every capability is published after what it needs. */
export function orderByDependencies(entries: CatalogEntry[]): CatalogEntry[] {
  const bySlug = new Map(entries.map((e) => [e.manifest.slug, e]));
  const done = new Set<string>();
  const out: CatalogEntry[] = [];
  const visit = (e: CatalogEntry, trail: string[]) => {
    if (done.has(e.manifest.slug)) return;
    if (trail.includes(e.manifest.slug)) throw new Error(`seed catalog dependency cycle: ${[...trail, e.manifest.slug].join(" → ")}`);
    for (const d of e.manifest.dependencies) {
      const dep = bySlug.get(d.slug);
      if (dep) visit(dep, [...trail, e.manifest.slug]);
    }
    done.add(e.manifest.slug);
    out.push(e);
  };
  for (const e of entries) visit(e, []);
  return out;
}

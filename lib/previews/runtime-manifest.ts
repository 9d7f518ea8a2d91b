// The built preview runtime (.runtime/manifest.json, written by
// scripts/build-preview-runtime.mjs): which content-hashed file serves each dependency, its
// sha384 integrity and size; and the URL a preview loads it from (PREVIEW_CDN_BASE when set,
// else the app). Read once and cached. The integrity always comes from our own build, never
// from wherever the bytes are served, so a CDN that changes a byte gets the script blocked.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "../env";
import { RUNTIME_PRESETS, type RuntimeDependency } from "./presets";

const FILE_NAME = /^[a-z0-9-]+\.[0-9a-f]{16}\.js$/;

const ManifestSchema = z.object({
  generatedAt: z.string().optional(),
  deps: z.record(
    z.string(),
    z.object({
      file: z.string().regex(FILE_NAME),
      version: z.string(),
      integrity: z.string().regex(/^sha384-[A-Za-z0-9+/]{64}$/),
      bytes: z.number().int().positive(),
    }),
  ),
});

export type RuntimeManifest = z.infer<typeof ManifestSchema>;
export type RuntimeManifestEntry = RuntimeManifest["deps"][string];

/** Where the runtime files are: `<cwd>/.runtime` (the server and the tests run from the repo root). */
export function runtimeDir(): string {
  return path.join(process.cwd(), ".runtime");
}

let cached: { manifest: RuntimeManifest; byFile: Map<string, string> } | undefined;

function load() {
  if (cached) return cached;
  const file = path.join(runtimeDir(), "manifest.json");
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch {
    throw new Error(`the preview runtime is not built (${file} is missing): run \`npm run build:runtime\``);
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${file} is not a valid runtime manifest: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const byFile = new Map(Object.entries(parsed.data.deps).map(([id, d]) => [d.file, id]));
  cached = { manifest: parsed.data, byFile };
  return cached;
}

export function getRuntimeManifest(): RuntimeManifest {
  return load().manifest;
}

/** The manifest entry of a dependency; throws when the build does not have it (run the build). */
export function getRuntimeEntry(depId: string): RuntimeManifestEntry {
  const entry = load().manifest.deps[depId];
  if (!entry) throw new Error(`the preview runtime has no bundle for "${depId}": run \`npm run build:runtime\``);
  return entry;
}

/** The dependency id served under `file`, or undefined when `file` is not a runtime file. */
export function findRuntimeFile(file: string): { depId: string; entry: RuntimeManifestEntry } | undefined {
  if (!FILE_NAME.test(file)) return undefined;
  const depId = load().byFile.get(file);
  return depId ? { depId, entry: load().manifest.deps[depId]! } : undefined;
}

/**
 * Base the runtime scripts load from: PREVIEW_CDN_BASE, else APP_URL, else `fallbackOrigin`
 * (the request's origin, for installations without APP_URL), else "" (URLs relative to the
 * document that loads them, i.e. the origin serving the frame).
 */
export function runtimeBase(fallbackOrigin?: string): string {
  const env = getEnv();
  return (env.PREVIEW_CDN_BASE ?? env.APP_URL ?? fallbackOrigin ?? "").replace(/\/+$/, "");
}

/** Origin of the runtime scripts (for a CSP script-src), or null when the URLs are relative. */
export function runtimeOrigin(fallbackOrigin?: string): string | null {
  const base = runtimeBase(fallbackOrigin);
  return base ? new URL(base).origin : null;
}

/** `${PREVIEW_CDN_BASE ?? APP_URL ?? fallbackOrigin ?? ""}/runtime/<file>` of a dependency. */
export function runtimeScriptUrl(depId: string, fallbackOrigin?: string): string {
  return `${runtimeBase(fallbackOrigin)}/runtime/${getRuntimeEntry(depId).file}`;
}

export interface ResolvedRuntimeDependency {
  id: string;
  version: string;
  order: number;
  core: boolean;
  patterns: string[];
  global: string;
  url: string;
  integrity: string;
  bytes: number;
}

/** A declared dependency with where it is served from, its integrity and size (from the build). */
export function resolveRuntimeDependency(dep: RuntimeDependency, fallbackOrigin?: string): ResolvedRuntimeDependency {
  const entry = getRuntimeEntry(dep.id);
  return {
    id: dep.id,
    version: dep.version,
    order: dep.order,
    core: dep.core,
    patterns: [...dep.patterns],
    global: dep.global,
    url: runtimeScriptUrl(dep.id, fallbackOrigin),
    integrity: entry.integrity,
    bytes: entry.bytes,
  };
}

/** Every preset with its resolved dependencies, for GET /api/presets and the preset picker. */
export function listPresets(fallbackOrigin?: string) {
  return RUNTIME_PRESETS.map((p) => ({
    id: p.id,
    label: p.label,
    description: p.description,
    dependencies: p.dependencies.map((d) => resolveRuntimeDependency(d, fallbackOrigin)),
    autoInjectRules: p.autoInjectRules ?? {},
  }));
}

/** For tests and after a rebuild in development. */
export function resetRuntimeManifestCache(): void {
  cached = undefined;
}

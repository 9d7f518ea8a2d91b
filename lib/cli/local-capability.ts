// Reads a capability folder from disk: its manifest (capability.yaml / .yml / .json) and,
// for code capabilities, the source file the manifest names with `source_file:` (inlined
// into `source`, as the server's manifests carry it). Then validates it with the registry's
// own validator (lib/registry/parse-manifest.ts), so `validate`, `discover`, `test` and
// `publish` all judge a manifest exactly as the server will. Reads files only: never runs
// anything it finds, and never reads outside the capability's folder.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { FieldError } from "../errors";
import { parseManifestText, validateManifest, type ManifestReport } from "../registry/parse-manifest";
import { CliError, EXIT } from "./cli-error";

export const MANIFEST_NAMES = ["capability.yaml", "capability.yml", "capability.json"] as const;
const MAX_SOURCE_BYTES = 512 * 1024;
const MAX_MANIFEST_BYTES = 768 * 1024;

export interface LocalCapability {
  dir: string;
  manifestPath: string;
  /** The manifest file's name inside dir. */
  manifestFile: string;
  /** The source file inlined into `source` (code capabilities), relative to dir. */
  sourceFile?: string;
  /** The document as parsed, with the source inlined: what is sent to the server. */
  document?: Record<string, unknown>;
  report: ManifestReport;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A path argument → the manifest file: the file itself, or the manifest inside the folder. */
export function resolveManifestPath(cwd: string, target = "."): string {
  const p = path.resolve(cwd, target);
  if (!existsSync(p)) throw new CliError(EXIT.notFound, `${target}: no such file or folder`, { hint: "give a capability folder or its capability.yaml" });
  if (statSync(p).isFile()) return p;
  const found = MANIFEST_NAMES.map((n) => path.join(p, n)).filter((f) => existsSync(f));
  if (!found.length) {
    throw new CliError(EXIT.notFound, `${target}: no ${MANIFEST_NAMES.join(" / ")} in this folder`, {
      hint: "run `capreg init` to create one, or `capreg discover` to find capability folders below",
    });
  }
  return found[0]!;
}

function inlineSource(doc: Record<string, unknown>, dir: string, errors: FieldError[]): string | undefined {
  // The seed's `capability:` wrapper is accepted by the registry; look inside it too.
  const target = isObject(doc.capability) ? doc.capability : doc;
  const prefix = target === doc ? "" : "capability.";
  const ref = target.source_file;
  if (ref === undefined) return undefined;
  if (typeof ref !== "string" || !ref.trim()) {
    errors.push({ path: `${prefix}source_file`, message: "expected a file name, e.g. index.js" });
    return undefined;
  }
  if (target.source !== undefined) {
    errors.push({ path: `${prefix}source_file`, message: "give either source (inline) or source_file, not both" });
    return undefined;
  }
  const file = path.resolve(dir, ref);
  const rel = path.relative(dir, file);
  if (path.isAbsolute(ref) || rel.startsWith("..") || path.isAbsolute(rel)) {
    errors.push({ path: `${prefix}source_file`, message: `${ref} is outside the capability's folder: keep the source next to the manifest` });
    return undefined;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    errors.push({ path: `${prefix}source_file`, message: `${ref} does not exist (relative to ${dir})` });
    return undefined;
  }
  // A symlink may point anywhere: what is read must still live inside the folder.
  const real = path.relative(realpathSync(dir), realpathSync(file));
  if (real.startsWith("..") || path.isAbsolute(real)) {
    errors.push({ path: `${prefix}source_file`, message: `${ref} links outside the capability's folder` });
    return undefined;
  }
  if (statSync(file).size > MAX_SOURCE_BYTES) {
    errors.push({ path: `${prefix}source_file`, message: `${ref} is larger than ${MAX_SOURCE_BYTES / 1024} KB` });
    return undefined;
  }
  const { source_file: _ref, ...rest } = target;
  const inlined = { ...rest, source: readFileSync(file, "utf8") };
  if (target === doc) {
    for (const k of Object.keys(doc)) delete doc[k];
    Object.assign(doc, inlined);
  } else doc.capability = inlined;
  return rel;
}

/** Reads and validates one capability; errors come back in the report, with their paths. */
export function readLocalCapability(manifestPath: string): LocalCapability {
  const dir = path.dirname(manifestPath);
  const manifestFile = path.basename(manifestPath);
  const base: Omit<LocalCapability, "report"> = { dir, manifestPath, manifestFile };
  const fail = (errors: FieldError[]): LocalCapability => ({ ...base, report: { valid: false, errors, warnings: [], needsConfig: [] } });
  if (statSync(manifestPath).size > MAX_MANIFEST_BYTES) return fail([{ path: "(document)", message: `larger than ${MAX_MANIFEST_BYTES / 1024} KB` }]);
  const text = readFileSync(manifestPath, "utf8");
  const format = manifestFile.endsWith(".json") ? "json" : "yaml";
  const parsed = parseManifestText(text, format);
  if (parsed.errors.length) return fail(parsed.errors);
  if (!isObject(parsed.value)) return fail([{ path: "(document)", message: "expected an object (a capability manifest)" }]);
  const document = structuredClone(parsed.value);
  const errors: FieldError[] = [];
  const sourceFile = inlineSource(document, dir, errors);
  if (errors.length) return { ...fail(errors), document };
  return { ...base, sourceFile, document, report: validateManifest(document) };
}

/** Reads a capability and insists that it is valid (exit 1 listing every error otherwise). */
export function requireValidCapability(cap: LocalCapability): Required<Pick<LocalCapability, "document">> & LocalCapability & { report: ManifestReport & { manifest: NonNullable<ManifestReport["manifest"]> } } {
  if (!cap.report.valid || !cap.report.manifest || !cap.document) {
    throw new CliError(EXIT.failure, `${cap.manifestPath} is not valid: ${cap.report.errors.length} error${cap.report.errors.length === 1 ? "" : "s"}`, {
      errors: cap.report.errors,
      hint: "fix the paths listed (`capreg validate` shows them all), then try again",
    });
  }
  return cap as never;
}

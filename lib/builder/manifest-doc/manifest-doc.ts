// The core of the builder's two-way manifest panel: a manifest (the form's state) to YAML
// or JSON text, and text back to a manifest through the registry's own validation, each
// error with its field path and, where the path can be found in the text, its line and
// column. Key order is fixed (identity first, the long `source` last), so a valid
// manifest's text survives a round trip unchanged. It must never validate differently
// from an upload: validateManifest (lib/registry/parse-manifest.ts) is the only judge.
// Pure: no I/O.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node } from "yaml";
import { z } from "zod";
import type { Manifest, ManifestInput } from "../../registry/manifest-schema";
import { validateManifest } from "../../registry/parse-manifest";

export const ManifestDocFormatSchema = z.enum(["yaml", "json"]);
export type ManifestDocFormat = z.infer<typeof ManifestDocFormatSchema>;

export interface ManifestDocError {
  /** The field path, as the registry reports it: `actions[0].inputs[1].type`, `(document)` for the text as a whole. */
  path: string;
  /** 1-based line and column in the text, when the path (or its nearest ancestor) was found there. */
  line?: number;
  column?: number;
  message: string;
}

export interface ManifestDocResult {
  /** The validated, normalised manifest; absent when there is any error. */
  manifest?: Manifest;
  errors: ManifestDocError[];
  /** What validation added or assumed (implied permissions, domains, secrets). */
  warnings: ManifestDocError[];
}

/**
 * Keys in this order at every level, then any other key in the order it already has (so a
 * header map or an example's input keeps the author's order). Names of things first, bulk last.
 */
const KEY_ORDER = [
  "schema_version",
  "type",
  "id",
  "key",
  "slug",
  "name",
  "label",
  "icon",
  "version",
  "author",
  "summary",
  "description",
  "category",
  "tags",
  "license",
  "homepage",
  "risk",
  "runtime",
  "required",
  "default",
  "enum",
  "help_url",
  "api",
  "base_url",
  "auth",
  "method",
  "endpoint",
  "path",
  "permissions",
  "allowed_domains",
  "configuration",
  "dependencies",
  "actions",
  "endpoints",
  "triggers",
  "inputs",
  "outputs",
  "integration",
  "workflow",
  "examples",
  "source",
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/** A copy with keys in KEY_ORDER (stable for the rest), undefined values dropped, shared objects copied. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const rank = (k: string) => RANK.get(k) ?? KEY_ORDER.length;
  // Array.prototype.sort is stable: unranked keys keep their relative order.
  entries.sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/** The manifest as text, in a fixed key order; YAML keeps multi-line source as a block. */
export function manifestToText(manifest: Manifest | ManifestInput, format: ManifestDocFormat): string {
  const value = ordered(manifest);
  if (ManifestDocFormatSchema.parse(format) === "json") return `${JSON.stringify(value, null, 2)}\n`;
  // No anchors/aliases (an api-connector's actions share arrays with its endpoints) and no
  // line folding: the text must read as the form shows it.
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}

type Segment = string | number;

/** `actions[0].inputs[1].type` → ["actions", 0, "inputs", 1, "type"]; null for `(root)`, `(document)`. */
export function pathSegments(path: string): Segment[] | null {
  if (path.startsWith("(")) return null;
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

interface Located {
  line: number;
  column: number;
}

/**
 * Where a path is in the document: the key of its last segment when there is one, else its
 * value node; the nearest ancestor that exists when the path does not (a missing field).
 * Indexes into a map count its pairs, since inputs and dependencies may be written as maps.
 */
function locate(doc: Document, counter: LineCounter, segments: Segment[]): Located | undefined {
  const at = (offset: number | undefined) => (offset === undefined ? undefined : { line: counter.linePos(offset).line, column: counter.linePos(offset).col });
  let node: unknown = doc.contents;
  // The seed's `capability:` wrapper: paths are relative to its content.
  if (isMap(node) && !node.has("slug") && isMap(node.get("capability", true))) node = node.get("capability", true);
  let found = at((node as Node | null)?.range?.[0]);
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = typeof seg === "number" ? node.items[seg] : node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === seg);
      if (!pair) return found;
      const keyNode = pair.key as Node | null;
      found = at(keyNode?.range?.[0]) ?? at((pair.value as Node | null)?.range?.[0]) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item) return found;
      found = at(item.range?.[0]) ?? found;
      node = item;
    } else return found;
  }
  return found;
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): Located {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Where JSON text first goes wrong (a character offset), for the line of a syntax error:
 * JSON.parse's message carries no position in every Node version. Only called on text
 * JSON.parse refused; undefined when this scanner finds nothing wrong.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return void literal("true");
    if (c === "f") return void literal("false");
    if (c === "n") return void literal("null");
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === "number" ? Math.min(at, text.length) : undefined;
  }
}

/** Text to a manifest through the registry's validation; every error with its path and, when found, its place. */
export function textToManifest(text: string, format: ManifestDocFormat): ManifestDocResult {
  const fmt = ManifestDocFormatSchema.parse(format);
  if (!text.trim()) return { errors: [{ path: "(document)", message: "the document is empty" }], warnings: [] };

  let value: unknown;
  if (fmt === "json") {
    try {
      value = JSON.parse(text);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const offset = jsonErrorOffset(text);
      return { errors: [{ path: "(document)", ...(offset !== undefined ? positionOf(text, offset) : {}), message: `not valid JSON: ${message}` }], warnings: [] };
    }
  }
  // JSON is YAML too: one parse gives the ranges that place errors in either format.
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: fmt === "yaml", prettyErrors: false });
  if (fmt === "yaml") {
    if (doc.errors.length) {
      return {
        errors: doc.errors.map((e) => {
          const pos = counter.linePos(e.pos[0]);
          return { path: "(document)", line: pos.line, column: pos.col, message: e.message.split("\n")[0]! };
        }),
        warnings: [],
      };
    }
    value = doc.toJS({ maxAliasCount: 100 });
  }

  const report = validateManifest(value);
  const place = (e: { path: string; message: string }): ManifestDocError => {
    const segments = pathSegments(e.path);
    const pos = segments && !doc.errors.length ? locate(doc, counter, segments) : undefined;
    return { path: e.path, ...(pos ?? {}), message: e.message };
  };
  return {
    ...(report.valid && report.manifest ? { manifest: report.manifest } : {}),
    errors: report.errors.map(place),
    warnings: report.warnings.map(place),
  };
}

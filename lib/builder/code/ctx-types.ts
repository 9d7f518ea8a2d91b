// Type definitions for the code editor of the capability builder: from a manifest's
// actions, configuration and permissions, one .d.ts text (for Monaco's addExtraLib) that
// types each action's `input`, the `ctx` the sandbox hands it and the module it must
// export. It mirrors what the sandbox really offers (lib/execution/sandbox/bootstrap.ts,
// host-bridge.ts, executor/version-cache.ts), so it must never declare an API the sandbox
// does not put on ctx: ctx.fetch only with a network permission, ctx.kv only with data.*.
// Pure and deterministic: the same manifest gives the same text, byte for byte.
import { z } from "zod";

/** The namespace every declaration lives in: action names cannot collide with DOM or lib globals. */
export const CODE_TYPES_NAMESPACE = "Capability";

const FieldSchema = z.object({
  name: z.string().min(1),
  type: z.string().default("string"),
  required: z.boolean().default(false),
  description: z.string().optional(),
  default: z.unknown().optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
});

/** What codeTypeDefinitions reads: a validated Manifest fits, and so does a draft from the builder's form. */
export const CodeTypesManifestSchema = z.object({
  actions: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().optional(),
        description: z.string().optional(),
        inputs: z.array(FieldSchema).default([]),
        outputs: z.array(FieldSchema).default([]),
      }),
    )
    .default([]),
  configuration: z
    .array(
      z.object({
        key: z.string().min(1),
        type: z.string().default("string"),
        required: z.boolean().default(false),
        description: z.string().optional(),
        default: z.unknown().optional(),
      }),
    )
    .default([]),
  permissions: z.array(z.string()).default([]),
});
export type CodeTypesManifest = z.input<typeof CodeTypesManifestSchema>;
type ParsedField = z.infer<typeof FieldSchema>;

const NETWORK_PERMISSIONS = ["network.http.get", "network.http.post"];
const DATA_PERMISSIONS = ["data.read", "data.write", "data.delete"];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A property key as written in a declaration: bare when it is an identifier, quoted otherwise. */
const propertyKey = (key: string) => (IDENTIFIER.test(key) ? key : JSON.stringify(key));

/** "get-user" → "GetUser", "2fa" → "_2fa": a valid type-name stem. */
export function typeNameStem(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const stem = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  if (!stem) return "_";
  return /^[0-9]/.test(stem) ? `_${stem}` : stem;
}

/** A JSDoc block (indented), or nothing; `*\/` in a description cannot end the comment early. */
function jsDoc(lines: (string | undefined)[], indent: string): string[] {
  const text = lines
    .filter((l): l is string => typeof l === "string" && l.trim() !== "")
    .flatMap((l) => l.replace(/\*\//g, "*\\/").split(/\r?\n/))
    .map((l) => l.trimEnd());
  if (!text.length) return [];
  if (text.length === 1) return [`${indent}/** ${text[0]} */`];
  return [`${indent}/**`, ...text.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

function valueType(field: Pick<ParsedField, "type" | "enum">): string {
  if (field.enum?.length) return [...new Set(field.enum.map((v) => JSON.stringify(v)))].join(" | ");
  switch (field.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "unknown[]";
    case "object":
      return "Record<string, unknown>";
    default:
      // "file", "any" and anything a draft invents: the sandbox does not check them.
      return "unknown";
  }
}

function fieldLines(fields: ParsedField[], isPresent: (f: ParsedField) => boolean, indent: string): string[] {
  return fields.flatMap((f) => [
    ...jsDoc([f.description, f.type === "integer" ? "An integer." : undefined, f.default !== undefined ? `@default ${JSON.stringify(f.default)}` : undefined], indent),
    `${indent}${propertyKey(f.name)}${isPresent(f) ? "" : "?"}: ${valueType(f)};`,
  ]);
}

const CTX_BASE = `  /** What a host call rejects with when it is refused; \`code\` says why (permission_denied, timeout, domain_not_allowed…). */
  interface HostApiError extends Error {
    name: "HostApiError";
    code: string;
  }

  /** ctx.log: one line in the execution's log (at most 1,000 lines / 256 KB). console.* writes to the same log. */
  type Log = (...values: unknown[]) => void;

  /** Pure helpers that run inside the sandbox. */
  interface Utils {
    /** Parses CSV text; the first row names the columns unless header is false. The separator is guessed (, or ;) when not given. */
    parseCSV(text: string, options: { separator?: string; header: false }): string[][];
    parseCSV(text: string, options?: { separator?: string; header?: true }): Record<string, string>[];
    /** Values that are not finite numbers (after Number()) are skipped; NaN for none. */
    mean(values: readonly unknown[]): number;
    median(values: readonly unknown[]): number;
    /** Sample standard deviation; 0 for fewer than two values. */
    standardDeviation(values: readonly unknown[]): number;
    /** Values outside [Q1 − k·IQR, Q3 + k·IQR], sorted; k defaults to 1.5. */
    findOutliers(values: readonly unknown[], k?: number): number[];
  }`;

const FETCH_TYPES = `
  interface FetchInit {
    /** Defaults to GET. GET and HEAD need network.http.get; every other method needs network.http.post. */
    method?: string;
    /** Values are turned into strings; null and undefined are left out. */
    headers?: Record<string, string | number | boolean | null | undefined>;
    /** A string only: use JSON.stringify for JSON. */
    body?: string | null;
  }

  interface FetchResponse {
    /** status is 2xx. */
    readonly ok: boolean;
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** The final URL, after redirects. */
    readonly url: string;
    /** The body as text (synchronous: the body has already been read). */
    text(): string;
    /** The body parsed as JSON (synchronous); throws when it is not JSON. */
    json(): unknown;
  }

  /** Fetches a URL on one of the manifest's allowed_domains (at most 10 calls a run, 5 s, 1 MB); rejects with a HostApiError. */
  type Fetch = (url: string, init?: FetchInit) => Promise<FetchResponse>;`;

const KV_TYPES = `
  /** The capability's own key-value store for this installation; each call rejects with a HostApiError when its permission is missing. */
  interface Kv {
    /** The stored value, or undefined (needs data.read). */
    get(key: string): Promise<unknown>;
    /** Stores JSON data (needs data.write); keys up to 256 characters, values up to 64 KB of JSON. */
    set(key: string, value: unknown): Promise<void>;
    /** Whether a value was deleted (needs data.delete). */
    delete(key: string): Promise<boolean>;
    /** The keys starting with prefix (all keys without one). */
    list(prefix?: string): Promise<string[]>;
  }`;

/**
 * The .d.ts text for a manifest's code. Everything is declared in the global namespace
 * `Capability`; the editor types the module with
 * `export default /** @satisfies {Capability.Module} *\/ ({ actions: { … } })`.
 * Throws a ZodError (every issue with its path) when the manifest-like value has the wrong shape.
 */
export function codeTypeDefinitions(manifestLike: CodeTypesManifest): string {
  const m = CodeTypesManifestSchema.parse(manifestLike);
  const hasFetch = m.permissions.some((p) => NETWORK_PERMISSIONS.includes(p));
  const hasKv = m.permissions.some((p) => DATA_PERMISSIONS.includes(p));
  const config = m.configuration.filter((c) => c.type !== "secret");
  const secrets = m.configuration.filter((c) => c.type === "secret");

  // Two ids may give one stem ("get-user", "get_user"): later ones get a number, in declared order.
  const used = new Set<string>();
  const stems = m.actions.map((a) => {
    const base = typeNameStem(a.id);
    let stem = base;
    for (let n = 2; used.has(stem); n++) stem = `${base}${n}`;
    used.add(stem);
    return stem;
  });

  const out: string[] = [
    "// Generated from the capability's manifest: do not edit.",
    `declare namespace ${CODE_TYPES_NAMESPACE} {`,
    CTX_BASE,
  ];
  if (hasFetch) out.push(FETCH_TYPES);
  if (hasKv) out.push(KV_TYPES);

  out.push("", "  /** Configuration the installer entered (or its declared default); read-only. */", "  interface Config {");
  out.push(...fieldLines(config.map((c) => ({ name: c.key, type: c.type, required: c.required, description: c.description, default: c.default })), (f) => f.required || f.default !== undefined, "    "));
  out.push("  }", "", "  /** Secrets the installer entered; read-only, never logged. */", "  interface Secrets {");
  out.push(...fieldLines(secrets.map((c) => ({ name: c.key, type: "string", required: c.required, description: c.description })), (f) => f.required, "    "));
  out.push("  }");

  out.push("", "  /** The second argument of every action, exactly as the sandbox builds it (frozen). */", "  interface Ctx {");
  out.push("    readonly config: Readonly<Config>;", "    readonly secrets: Readonly<Secrets>;", "    readonly log: Log;", "    readonly utils: Utils;");
  if (hasFetch) out.push("    readonly fetch: Fetch;");
  if (hasKv) out.push("    readonly kv: Kv;");
  out.push("  }");

  m.actions.forEach((a, i) => {
    const stem = stems[i]!;
    out.push("", ...jsDoc([`Input of ${a.id}${a.name ? ` (${a.name})` : ""}; declared defaults are filled in before the action runs.`], "  "), `  interface ${stem}Input {`);
    out.push(...fieldLines(a.inputs, (f) => f.required || f.default !== undefined, "    "));
    out.push("  }", "", ...jsDoc([`Output of ${a.id}: declared fields are checked, extra fields pass.`], "  "), `  interface ${stem}Output {`);
    out.push(...fieldLines(a.outputs, (f) => f.required, "    "));
    out.push("    [key: string]: unknown;", "  }");
  });

  out.push("", "  /** `export default { actions: { … } }`: one function per declared action; it may be async. */", "  interface Actions {");
  m.actions.forEach((a, i) => {
    const stem = stems[i]!;
    out.push(...jsDoc([a.description], "    "), `    ${propertyKey(a.id)}(input: ${stem}Input, ctx: Ctx): ${stem}Output | Promise<${stem}Output>;`);
  });
  out.push("  }", "", "  interface Module {", "    actions: Actions;", "  }", "}", "");
  return out.join("\n");
}

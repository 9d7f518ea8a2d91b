// The security report of a version, computed once at publish time and stored with it:
// permissions requested vs. host abilities the code actually uses (a token-level scan of
// code capabilities that ignores strings and comments), the domains it can reach, use of
// dynamic code (eval, Function, import(), with, string timers), size, dependencies, and a
// verdict. It describes; it never blocks a publish. Pure: no I/O, never runs the code.
import { z } from "zod";
import { canonicalJson } from "../events/canonical-json";
import type { Manifest } from "./manifest-schema";
import { PERMISSIONS, type Permission } from "./permissions";
import { tokenizeJs, type Token } from "./tokenize-js";

export const SECURITY_REPORT_VERSION = 1;

const FindingSchema = z.object({
  severity: z.enum(["info", "warning"]),
  code: z.enum([
    "unused_permission",
    "use_without_permission",
    "dynamic_code",
    "dynamic_host_access",
    "undeclared_domain",
    "network_without_domains",
    "module_import",
    "global_fetch",
    "high_risk_permission",
    "not_analyzed",
  ]),
  message: z.string(),
  /** Where: `source:12` (line of the code) or a manifest path. */
  location: z.string().optional(),
  permission: z.string().optional(),
});
export type SecurityFinding = z.infer<typeof FindingSchema>;

const AbilityUseSchema = z.object({
  /** e.g. `ctx.fetch`, `ctx.kv.set`, `ctx.log`. */
  ability: z.string(),
  /** The permission the host checks for it; null when none is needed (log, config, utils…). */
  permission: z.string().nullable(),
  lines: z.array(z.number().int()),
});

export const SecurityReportSchema = z.object({
  reportVersion: z.number().int(),
  verdict: z.enum(["clean", "warnings"]),
  findings: z.array(FindingSchema),
  /** Whether the code was statically analyzed (code capabilities) or the uses were derived from the manifest. */
  analysis: z.enum(["code", "manifest", "none"]),
  permissions: z.object({
    requested: z.array(z.string()),
    used: z.array(z.string()),
    unused: z.array(z.string()),
    usedWithoutPermission: z.array(z.string()),
  }),
  abilities: z.array(AbilityUseSchema),
  domains: z.array(z.string()),
  dynamicCode: z.array(z.object({ kind: z.enum(["eval", "Function", "import()", "with", "string-timer", "constructor"]), line: z.number().int() })),
  sizeBytes: z.number().int(),
  sourceBytes: z.number().int().nullable(),
  dependencies: z.array(z.object({ slug: z.string(), version: z.string(), optional: z.boolean() })),
});
export type SecurityReport = z.infer<typeof SecurityReportSchema>;
type DynamicUse = SecurityReport["dynamicCode"][number];

// Permissions whose use the scanner can see; others (ai.*, compute.*, …) are not judged.
const OBSERVABLE = new Set<string>(["data.read", "data.write", "data.delete", "network.http.get", "network.http.post"]);
const KV_PERMISSION: Record<string, Permission> = {
  get: "data.read",
  list: "data.read",
  has: "data.read",
  keys: "data.read",
  set: "data.write",
  put: "data.write",
  increment: "data.write",
  delete: "data.delete",
  del: "data.delete",
  remove: "data.delete",
};
const PLAIN_ABILITIES = new Set(["log", "secrets", "config", "utils"]);
// Objects whose `.log`, `.config`… are not the host context.
const NOT_HOST = new Set(["console", "Math", "JSON", "Object", "Array", "Promise", "Number", "String", "Date", "Reflect", "input", "inputs", "args", "params"]);

interface AbilityUse {
  ability: string;
  permission: Permission | null;
  lines: Set<number>;
}

interface CodeScan {
  abilities: Map<string, AbilityUse>;
  dynamic: DynamicUse[];
  findings: SecurityFinding[];
  fetchedHosts: { host: string; line: number }[];
}

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
};

/** Index of the token closing the bracket opened at `open`, or the last token. */
function closing(tokens: Token[], open: number): number {
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const want = pairs[tokens[open]!.value];
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "punct") continue;
    if (t.value === tokens[open]!.value) depth++;
    else if (t.value === want && --depth === 0) return k;
  }
  return tokens.length - 1;
}

function scanCode(source: string): CodeScan {
  const tokens = tokenizeJs(source);
  const scan: CodeScan = { abilities: new Map(), dynamic: [], findings: [], fetchedHosts: [] };
  const at = (k: number) => tokens[k];
  const is = (k: number, kind: Token["kind"], value?: string) => at(k)?.kind === kind && (value === undefined || at(k)!.value === value);
  const isDot = (k: number) => is(k, "punct", ".") || is(k, "punct", "?.");
  // Keyed by ability and permission: a GET fetch and a POST fetch need different ones.
  const recordUse = (ability: string, permission: Permission | null, line: number) => {
    const key = `${ability}|${permission ?? ""}`;
    const entry = scan.abilities.get(key) ?? { ability, permission, lines: new Set<number>() };
    entry.lines.add(line);
    scan.abilities.set(key, entry);
  };

  // Names that hold the host context or parts of it: ctx/context, plus simple aliases
  // (`const c = ctx`, `const kv = ctx.kv`, `const { fetch, kv: store } = ctx`).
  const hosts = new Set(["ctx", "context"]);
  const kvs = new Set<string>();
  const fetches = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    tokens.forEach((t, k) => {
      if (t.kind !== "punct" || t.value !== "=") return;
      const rhs = at(k + 1);
      if (rhs?.kind !== "ident" || !hosts.has(rhs.value)) return;
      const member = isDot(k + 2) && is(k + 3, "ident") ? at(k + 3)!.value : null;
      if (is(k - 1, "ident")) {
        const name = at(k - 1)!.value;
        if (member === null) hosts.add(name);
        else if (member === "kv") kvs.add(name);
        else if (member === "fetch") fetches.add(name);
      } else if (is(k - 1, "punct", "}") && member === null) {
        // Destructuring: walk back to the matching `{` and read `a`, `a: b`, `a = d` entries.
        let depth = 0;
        let open = k - 1;
        for (; open >= 0; open--) {
          const v = at(open)!;
          if (v.kind === "punct" && v.value === "}") depth++;
          if (v.kind === "punct" && v.value === "{" && --depth === 0) break;
        }
        for (let j = open + 1; j < k - 1; j++) {
          if (!is(j, "ident") || !(is(j - 1, "punct", "{") || is(j - 1, "punct", ","))) continue;
          const key = at(j)!.value;
          const alias = is(j + 1, "punct", ":") && is(j + 2, "ident") ? at(j + 2)!.value : key;
          if (key === "kv") kvs.add(alias);
          else if (key === "fetch") fetches.add(alias);
          else if (PLAIN_ABILITIES.has(key)) recordUse(`ctx.${key}`, null, at(j)!.line);
        }
      }
    });
  }

  const fetchCall = (open: number, line: number, ability = "ctx.fetch") => {
    // GET unless the options name another method; a method we cannot read counts as a write.
    const end = closing(tokens, open);
    let permission: Permission = "network.http.get";
    for (let j = open + 1; j < end; j++) {
      if ((is(j, "ident", "method") || is(j, "string", "method")) && is(j + 1, "punct", ":")) {
        const v = at(j + 2)!;
        permission = v.kind === "string" && v.value.toUpperCase() === "GET" ? "network.http.get" : "network.http.post";
      }
    }
    const first = at(open + 1);
    if (first && (first.kind === "string" || first.kind === "template") && /^https?:\/\//i.test(first.value)) {
      const host = hostOf(first.value.replace(/\$\{.*$/, ""));
      if (host) scan.fetchedHosts.push({ host, line });
    }
    recordUse(ability, permission, line);
  };

  tokens.forEach((t, k) => {
    const prevDot = isDot(k - 1);
    if (t.kind === "ident") {
      const next = at(k + 1);
      const calls = next?.kind === "punct" && next.value === "(";
      // Dynamic code.
      // `eval(…)`, `globalThis.eval(…)`, `const e = eval`; not `{ eval: 1 }` or `o.eval`.
      if (t.value === "eval" && !is(k + 1, "punct", ":") && (!prevDot || calls)) scan.dynamic.push({ kind: "eval", line: t.line });
      else if (t.value === "Function" && (calls || is(k - 1, "ident", "new"))) scan.dynamic.push({ kind: "Function", line: t.line });
      else if (t.value === "import" && calls && !prevDot) scan.dynamic.push({ kind: "import()", line: t.line });
      else if (t.value === "with" && calls && !prevDot) scan.dynamic.push({ kind: "with", line: t.line });
      else if (t.value === "constructor" && prevDot && calls) scan.dynamic.push({ kind: "constructor", line: t.line });
      else if ((t.value === "setTimeout" || t.value === "setInterval") && calls && (is(k + 2, "string") || is(k + 2, "template"))) {
        scan.dynamic.push({ kind: "string-timer", line: t.line });
      }
      if ((t.value === "import" && !calls && !prevDot && (is(k + 1, "string") || is(k + 1, "ident") || is(k + 1, "punct", "{") || is(k + 1, "punct", "*"))) || (t.value === "require" && calls && !prevDot)) {
        scan.findings.push({ severity: "warning", code: "module_import", message: "imports a module; the sandbox provides no modules, only ctx", location: `source:${t.line}` });
      }

      // Host abilities through aliases: fetch(...), kv.set(...).
      if (!prevDot && calls && fetches.has(t.value)) fetchCall(k + 1, t.line);
      if (!prevDot && calls && t.value === "fetch" && !fetches.has(t.value)) {
        scan.findings.push({ severity: "warning", code: "global_fetch", message: "calls the global fetch, which the sandbox does not provide; use ctx.fetch", location: `source:${t.line}` });
        fetchCall(k + 1, t.line, "fetch");
      }
      if (!prevDot && kvs.has(t.value) && isDot(k + 1) && is(k + 2, "ident")) {
        const op = at(k + 2)!.value;
        recordUse(`ctx.kv.${op}`, KV_PERMISSION[op] ?? "data.read", t.line);
      }

      // Host abilities through the context object: ctx.fetch, ctx?.kv.get, ctx["fetch"], this.fetch.
      // Any other object's .fetch/.kv counts too: in the sandbox only the context has them.
      const isHost = hosts.has(t.value) || t.value === "this" || (!NOT_HOST.has(t.value) && isDot(k + 1) && (is(k + 2, "ident", "fetch") || is(k + 2, "ident", "kv")));
      if (!isHost) return;
      let member: string | null = null;
      let after = k + 3;
      if (isDot(k + 1) && is(k + 2, "ident")) member = at(k + 2)!.value;
      else if (is(k + 1, "punct", "[")) {
        const end = closing(tokens, k + 1);
        if (end === k + 3 && is(k + 2, "string")) {
          member = at(k + 2)!.value;
          after = end + 1;
        } else if (hosts.has(t.value)) {
          scan.findings.push({ severity: "warning", code: "dynamic_host_access", message: `reads ${t.value}[…] with a computed key: the abilities it uses cannot be checked`, location: `source:${t.line}` });
          return;
        }
      }
      if (member === null) return;
      if (member === "fetch") {
        if (is(after, "punct", "(")) fetchCall(after, t.line);
        // Passed around without a call (a callback): counts as a GET. An alias assignment
        // (`const f = ctx.fetch`) does not: the alias's calls are counted where they happen.
        else if ((hosts.has(t.value) || t.value === "this") && !is(k - 1, "punct", "=")) recordUse("ctx.fetch", "network.http.get", t.line);
      } else if (member === "kv") {
        if (isDot(after) && is(after + 1, "ident")) {
          const op = at(after + 1)!.value;
          recordUse(`ctx.kv.${op}`, KV_PERMISSION[op] ?? "data.read", t.line);
        } else if (is(after, "punct", "[")) {
          scan.findings.push({ severity: "warning", code: "dynamic_host_access", message: "calls ctx.kv[…] with a computed key: the abilities it uses cannot be checked", location: `source:${t.line}` });
        }
      } else if (PLAIN_ABILITIES.has(member) && (hosts.has(t.value) || t.value === "this")) {
        recordUse(`ctx.${member}`, null, t.line);
      }
    }
  });
  return scan;
}

/** Permissions a non-code manifest implies by its structure (its HTTP calls). */
function manifestUses(m: Manifest): Map<string, AbilityUse> {
  const out = new Map<string, AbilityUse>();
  const add = (ability: string, permission: Permission) => out.set(ability, { ability, permission, lines: new Set() });
  const method = (mm: string) => (mm === "GET" ? "network.http.get" : "network.http.post");
  if (m.type === "declarative") {
    for (const a of m.actions) {
      const integration = a.integration ?? m.integration;
      if (integration) add(`http.${integration.method}`, method(integration.method));
    }
  }
  if (m.type === "api-connector") {
    for (const e of m.endpoints) add(`http.${e.method}`, method(e.method));
    if (m.api.auth.type === "oauth2") add("http.POST", "network.http.post");
  }
  return out;
}

/** Computes the report of a validated, normalised manifest. */
export function computeSecurityReport(m: Manifest): SecurityReport {
  const findings: SecurityFinding[] = [];
  const requested = [...new Set(m.permissions)];
  let analysis: SecurityReport["analysis"] = "none";
  let abilities = new Map<string, AbilityUse>();
  let dynamicCode: DynamicUse[] = [];
  const domains = [...new Set(m.allowed_domains)].sort();

  if (m.type === "code") {
    analysis = "code";
    const scan = scanCode(m.source);
    abilities = scan.abilities;
    dynamicCode = scan.dynamic;
    findings.push(...scan.findings);
    for (const d of dynamicCode) {
      const what = {
        eval: "calls eval",
        Function: "uses the Function constructor",
        "import()": "loads code with import()",
        with: "uses a with statement",
        "string-timer": "passes a string of code to a timer",
        constructor: "calls .constructor(…), which can reach the Function constructor",
      }[d.kind];
      findings.push({ severity: "warning", code: "dynamic_code", message: `${what}: code built at run time cannot be reviewed`, location: `source:${d.line}` });
    }
    const allowed = (host: string) => domains.some((d) => d === host || (d.startsWith("*.") && host.endsWith(d.slice(1))));
    for (const { host, line } of scan.fetchedHosts) {
      if (!allowed(host)) findings.push({ severity: "warning", code: "undeclared_domain", message: `fetches ${host}, which is not in allowed_domains: the call will be refused`, location: `source:${line}` });
    }
    const needsNetwork = [...abilities.values()].some((a) => a.permission?.startsWith("network."));
    if (needsNetwork && domains.length === 0) {
      findings.push({ severity: "warning", code: "network_without_domains", message: "uses ctx.fetch but lists no allowed_domains: every request will be refused", location: "allowed_domains" });
    }
  } else if (m.type === "declarative" || m.type === "api-connector") {
    analysis = "manifest";
    abilities = manifestUses(m);
  } else {
    findings.push({
      severity: "info",
      code: "not_analyzed",
      message: m.type === "workflow" ? "a workflow's permissions come from the actions its steps call; they are checked when those run" : "a built-in capability is part of the product and is not analyzed",
    });
  }

  const used = [...new Set([...abilities.values()].map((a) => a.permission).filter((p): p is Permission => p !== null))];
  const requestedSet = new Set<string>(requested);
  // A POST permission also covers GET requests for the purpose of "used without".
  const covers = (p: string) => requestedSet.has(p) || (p === "network.http.get" && requestedSet.has("network.http.post"));
  const usedWithoutPermission = analysis === "none" ? [] : used.filter((p) => !covers(p)).sort();
  const usedSet = new Set<string>(used);
  const unused =
    analysis === "code"
      ? requested.filter((p) => OBSERVABLE.has(p) && !usedSet.has(p))
      : analysis === "manifest"
        ? requested.filter((p) => !usedSet.has(p) && !p.startsWith("compute.") && p !== "file.temporary")
        : [];

  for (const p of usedWithoutPermission) {
    const where = [...abilities.values()].filter((a) => a.permission === p);
    const lines = where.flatMap((a) => [...a.lines]).sort((a, b) => a - b);
    findings.push({
      severity: "warning",
      code: "use_without_permission",
      message: `uses ${[...new Set(where.map((a) => a.ability))].join(", ")} without requesting ${p}: those calls will be refused`,
      location: lines.length ? `source:${lines[0]}` : "permissions",
      permission: p,
    });
  }
  for (const p of unused) {
    findings.push({ severity: "warning", code: "unused_permission", message: `requests ${p} but never uses it: ask only for what it needs`, location: "permissions", permission: p });
  }
  for (const p of requested) {
    const info = PERMISSIONS[p];
    if (info.risk === "high" || info.risk === "critical") {
      findings.push({ severity: "info", code: "high_risk_permission", message: `requests ${p} (${info.risk} risk): ${info.explanation}`, location: "permissions", permission: p });
    }
  }

  const sizeBytes = Buffer.byteLength(canonicalJson(m));
  return {
    reportVersion: SECURITY_REPORT_VERSION,
    verdict: findings.some((f) => f.severity === "warning") ? "warnings" : "clean",
    findings,
    analysis,
    permissions: { requested: [...requested].sort(), used: [...used].sort(), unused: [...unused].sort(), usedWithoutPermission },
    abilities: [...abilities.values()]
      .map((a) => ({ ability: a.ability, permission: a.permission, lines: [...a.lines].sort((x, y) => x - y) }))
      .sort((a, b) => a.ability.localeCompare(b.ability) || String(a.permission).localeCompare(String(b.permission))),
    domains,
    dynamicCode,
    sizeBytes,
    sourceBytes: m.type === "code" ? Buffer.byteLength(m.source) : null,
    dependencies: m.dependencies.map((d) => ({ slug: d.slug, version: d.version, optional: d.optional })),
  };
}

// Turns uploaded text (JSON or YAML) into a validated, normalised manifest, or into every
// error with its path (`actions[0].inputs[1].type: expected one of …`), never just the
// first. Also derives what a manifest implies (network permissions and domains of its
// HTTP calls) and what an installer must supply. Pure: no I/O.
import { createHash } from "node:crypto";
import { parseDocument } from "yaml";
import type { FieldError } from "../errors";
import { canonicalJson } from "../events/canonical-json";
import { validateWorkflow } from "../execution/workflows/plan-workflow";
import { zodFieldErrors } from "../http/problem";
import { ManifestSchema, type ConfigField, type Manifest } from "./manifest-schema";
import { capabilityRisk, type Permission, type RiskLevel } from "./permissions";

export interface ManifestReport {
  valid: boolean;
  manifest?: Manifest;
  errors: FieldError[];
  warnings: FieldError[];
  /** Configuration an installer must enter (required fields; secrets masked in forms). */
  needsConfig: ConfigField[];
  risk?: RiskLevel;
  contentHash?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses JSON or YAML text; syntax errors come back with line and column. */
export function parseManifestText(text: string, format: "json" | "yaml" | "auto" = "auto"): { value?: unknown; errors: FieldError[] } {
  const trimmed = text.trim();
  if (!trimmed) return { errors: [{ path: "(document)", message: "the document is empty" }] };
  if (format === "json" || (format === "auto" && (trimmed.startsWith("{") || trimmed.startsWith("[")))) {
    try {
      return { value: JSON.parse(trimmed), errors: [] };
    } catch (err) {
      if (format === "json") return { errors: [{ path: "(document)", message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }] };
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      errors: doc.errors.map((e) => ({ path: e.linePos ? `(line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "(document)", message: e.message.split("\n")[0]! })),
    };
  }
  return { value: doc.toJS({ maxAliasCount: 100 }), errors: [] };
}

/** Accepts the seed's spellings and infers the type, before schema validation. */
export function normaliseManifestInput(value: unknown): unknown {
  if (!isObject(value)) return value;
  let m: Json = isObject(value.capability) ? { ...value.capability } : { ...value };
  if (m.slug === undefined && typeof m.id === "string") m.slug = m.id;
  delete m.id;
  if (m.type === undefined) {
    if (m.workflow !== undefined) m.type = "workflow";
    else if (m.endpoints !== undefined || m.api !== undefined || m.base_url !== undefined) m.type = "api-connector";
    else if (m.source !== undefined || m.code !== undefined) m.type = "code";
    else m.type = "declarative";
  }
  if (m.type === "code" && m.source === undefined && typeof m.code === "string") {
    m.source = m.code;
    delete m.code;
  }
  if (m.type === "api-connector" && m.api === undefined && (m.base_url !== undefined || m.auth !== undefined)) {
    m = { ...m, api: { base_url: m.base_url, auth: m.auth } };
    delete m.base_url;
    delete m.auth;
  }
  if (m.version === undefined) m.version = "0.1.0";
  if (Array.isArray(m.configuration)) {
    m.configuration = m.configuration.map((c) => (isObject(c) && c.label === undefined && typeof c.key === "string" ? { ...c, label: c.key } : c));
  }
  return m;
}

const TEMPLATE = /\$\{\s*([^}]+?)\s*\}|\{\{\s*([^}]+?)\s*\}\}/g;

function templateRefs(value: unknown, path: string, out: { path: string; ref: string }[] = []): { path: string; ref: string }[] {
  if (typeof value === "string") {
    for (const m of value.matchAll(TEMPLATE)) out.push({ path, ref: (m[1] ?? m[2])! });
  } else if (Array.isArray(value)) value.forEach((v, i) => templateRefs(v, `${path}[${i}]`, out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) templateRefs(v, path ? `${path}.${k}` : k, out);
  return out;
}

function hostOf(url: string): string | null {
  try {
    // Templates in the host are not allowed: the host must be known at install time.
    const u = new URL(url.replace(TEMPLATE, "__tpl__"));
    return u.hostname.includes("__tpl__") ? null : u.hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Cross-field rules the schema cannot express; adds implied permissions and domains. */
function checkManifest(m: Manifest, errors: FieldError[], warnings: FieldError[]): Manifest {
  const actions = [...m.actions];
  const permissions = new Set<Permission>(m.permissions);
  const domains = new Set(m.allowed_domains);
  const configuration = [...m.configuration];
  const configKeys = new Set(configuration.map((c) => c.key));

  const dup = <T>(items: T[], key: (t: T) => string, path: (i: number) => string, what: string) => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      const k = key(it);
      if (seen.has(k)) errors.push({ path: path(i), message: `duplicate ${what} ${JSON.stringify(k)}` });
      seen.add(k);
    });
  };

  const needHttp = (method: string, url: string, path: string) => {
    permissions.add(method === "GET" ? "network.http.get" : "network.http.post");
    if (!m.permissions.includes(method === "GET" ? "network.http.get" : "network.http.post")) {
      warnings.push({ path, message: `makes ${method} requests: ${method === "GET" ? "network.http.get" : "network.http.post"} added to its permissions` });
    }
    const host = hostOf(url);
    if (!host) errors.push({ path, message: "expected an absolute http(s) URL whose host has no template" });
    else if (!/^https?:/.test(url)) errors.push({ path, message: "only http and https URLs are allowed" });
    else if (![...domains].some((d) => d === host || (d.startsWith("*.") && host.endsWith(d.slice(1))))) {
      domains.add(host);
      if (m.allowed_domains.length) warnings.push({ path, message: `calls ${host}, which is not in allowed_domains: added` });
    }
  };

  const checkRefs = (value: unknown, path: string, allowed: (ref: string) => string | null) => {
    for (const { path: p, ref } of templateRefs(value, path)) {
      const problem = allowed(ref);
      if (problem) errors.push({ path: p, message: problem });
    }
  };
  const configOrInput = (inputs: Set<string>) => (ref: string) => {
    const [head, ...rest] = ref.split(".");
    if (head === "input" || head === "inputs") return inputs.has(rest[0] ?? "") || inputs.size === 0 ? null : `unknown input ${JSON.stringify(rest[0])}`;
    if (head === "config" || head === "secrets") return configKeys.has(rest[0] ?? "") ? null : `unknown configuration key ${JSON.stringify(rest[0])}; declare it under configuration`;
    if (rest.length === 0 && /^[A-Z][A-Z0-9_]*$/.test(ref)) return configKeys.has(ref) ? null : `unknown configuration key ${JSON.stringify(ref)}; declare it under configuration`;
    if (rest.length === 0 && inputs.has(ref)) return null;
    return `unknown reference ${JSON.stringify(ref)}: use input.<name> or config.<KEY>`;
  };

  if (m.type === "api-connector") {
    // Its actions are derived from its endpoints. A normalised manifest already lists them
    // (validation must accept its own output, e.g. a stored draft); anything else is an error.
    const endpointIds = new Set(m.endpoints.map((e) => e.id));
    if (m.actions.some((a) => !endpointIds.has(a.id))) errors.push({ path: "actions", message: "an api-connector's actions are its endpoints; remove actions" });
    actions.length = 0;
    dup(m.endpoints, (e) => e.id, (i) => `endpoints[${i}].id`, "endpoint id");
    m.endpoints.forEach((e, i) => {
      needHttp(e.method, m.api.base_url.replace(/\/$/, "") + e.path, `endpoints[${i}].path`);
      const inputs = new Set(e.inputs.map((f) => f.name));
      checkRefs({ path: e.path, query: e.query, headers: e.headers, body: e.body }, `endpoints[${i}]`, configOrInput(inputs));
      actions.push({ id: e.id, name: e.name, description: e.description, inputs: e.inputs, outputs: e.outputs });
    });
    const auth = m.api.auth;
    const authKeys = auth.type === "api_key" ? [auth.value_from] : auth.type === "bearer" ? [auth.token_from] : auth.type === "basic" ? [auth.username_from, auth.password_from] : auth.type === "oauth2" ? [auth.client_id_from, auth.client_secret_from] : [];
    for (const key of authKeys) {
      if (configKeys.has(key)) continue;
      // The auth kind implies its credentials: ask the installer for them as secrets.
      configuration.push({ key, label: key, type: "secret", required: true });
      configKeys.add(key);
      warnings.push({ path: "api.auth", message: `needs ${key}: added to configuration as a required secret` });
    }
    if (auth.type === "oauth2") needHttp("POST", auth.token_url, "api.auth.token_url");
  }

  if (m.type === "declarative") {
    if (!actions.length) errors.push({ path: "actions", message: "declare at least one action" });
    actions.forEach((a, i) => {
      const integration = a.integration ?? m.integration;
      if (!integration) {
        errors.push({ path: `actions[${i}].integration`, message: "a declarative action needs an integration (here or at the top level)" });
        return;
      }
      const where = a.integration ? `actions[${i}].integration` : "integration";
      needHttp(integration.method, integration.endpoint, `${where}.endpoint`);
      checkRefs(integration, where, configOrInput(new Set(a.inputs.map((f) => f.name))));
    });
  }

  if (m.type === "code" && !actions.length) errors.push({ path: "actions", message: "declare the actions the module exports" });
  if (m.type === "code" && (permissions.has("network.http.get") || permissions.has("network.http.post")) && !domains.size) {
    warnings.push({ path: "allowed_domains", message: "asks for network access but lists no allowed_domains: ctx.fetch will refuse every URL" });
  }

  if (m.type === "workflow") {
    const steps = m.workflow.steps;
    dup(steps, (s) => s.id, (i) => `workflow.steps[${i}].id`, "step id");
    const ids = new Set(steps.map((s) => s.id));
    steps.forEach((s, i) =>
      s.depends_on.forEach((d, j) => {
        if (!ids.has(d)) errors.push({ path: `workflow.steps[${i}].depends_on[${j}]`, message: `no step ${JSON.stringify(d)}` });
        if (d === s.id) errors.push({ path: `workflow.steps[${i}].depends_on[${j}]`, message: "a step cannot depend on itself" });
      }),
    );
    const cycle = findCycle(steps.map((s) => ({ id: s.id, deps: s.depends_on.filter((d) => ids.has(d)) })));
    if (cycle) errors.push({ path: "workflow.steps", message: `steps depend on each other in a cycle: ${cycle.join(" → ")}` });
    if (!actions.length) actions.push({ id: "run", name: "Run workflow", description: m.description || undefined, inputs: [], outputs: [] });
    // What the workflow runner would refuse (unknown steps, inputs or config keys in templates,
    // bad expressions, reads of secrets) is refused at upload, not at the first run.
    if (!errors.length) errors.push(...validateWorkflow({ ...m, actions } as Manifest));
  }

  dup(actions, (a) => a.id, (i) => `actions[${i}].id`, "action id");
  actions.forEach((a, i) => dup(a.inputs, (f) => f.name, (j) => `actions[${i}].inputs[${j}].name`, "input"));
  dup(m.configuration, (c) => c.key, (i) => `configuration[${i}].key`, "configuration key");
  dup(m.dependencies, (d) => d.slug, (i) => `dependencies[${i}].slug`, "dependency");
  m.dependencies.forEach((d, i) => {
    if (d.slug === m.slug) errors.push({ path: `dependencies[${i}].slug`, message: "a capability cannot depend on itself" });
  });
  const actionIds = new Set(actions.map((a) => a.id));
  m.examples.forEach((e, i) => {
    if (e.action && !actionIds.has(e.action)) errors.push({ path: `examples[${i}].action`, message: `no action ${JSON.stringify(e.action)}` });
    if (!e.action && actions.length > 1) errors.push({ path: `examples[${i}].action`, message: "name the action this example is for" });
  });
  const compute = ["compute.light", "compute.moderate", "compute.heavy"].filter((p) => permissions.has(p as Permission));
  if (compute.length > 1) warnings.push({ path: "permissions", message: `several compute levels (${compute.join(", ")}): the highest applies` });

  return { ...m, actions, configuration, permissions: [...permissions], allowed_domains: [...domains] } as Manifest;
}

function findCycle(nodes: { id: string; deps: string[] }[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const d of byId.get(id)?.deps ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const n of nodes) {
    const c = visit(n.id);
    if (c) return c;
  }
  return null;
}

export function manifestContentHash(m: Manifest): string {
  return "sha256:" + createHash("sha256").update(canonicalJson(m)).digest("hex");
}

/** Validates a parsed document. Every error is reported, each with its path. */
export function validateManifest(value: unknown): ManifestReport {
  const input = normaliseManifestInput(value);
  if (!isObject(input)) return { valid: false, errors: [{ path: "(document)", message: "expected an object (a capability manifest)" }], warnings: [], needsConfig: [] };
  const parsed = ManifestSchema.safeParse(input);
  if (!parsed.success) return { valid: false, errors: zodFieldErrors(parsed.error.issues), warnings: [], needsConfig: [] };
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const original = isObject(value) && isObject(value.capability) ? value.capability : value;
  if (isObject(original) && original.version === undefined) warnings.push({ path: "version", message: "no version given: 0.1.0 assumed" });
  const manifest = checkManifest(parsed.data, errors, warnings);
  if (errors.length) return { valid: false, errors, warnings, needsConfig: [] };
  return {
    valid: true,
    manifest,
    errors: [],
    warnings,
    needsConfig: manifest.configuration.filter((c) => c.required),
    risk: capabilityRisk(manifest.permissions, manifest.risk),
    contentHash: manifestContentHash(manifest),
  };
}

/** Text in, report out: the whole path from an upload to a validation report. */
export function checkManifestText(text: string, format: "json" | "yaml" | "auto" = "auto"): ManifestReport {
  const { value, errors } = parseManifestText(text, format);
  if (errors.length) return { valid: false, errors, warnings: [], needsConfig: [] };
  return validateManifest(value);
}

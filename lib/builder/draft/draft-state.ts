// The builder's state (issue 7): what the wizard's forms hold and what a draft stores —
// basics, the method, actions with their inputs/outputs and per-method logic (a flow per
// action, code source, API-connector form, uploaded text), configuration, permissions,
// allowed domains, test cases and where the author was (step). Parsing is tolerant, so an
// old or partial draft still opens. stateToManifest turns it into a registry manifest
// (every problem with its manifest path, and the flow node when there is one);
// manifestToState goes back, for the manifest panel's two-way editing and /builder/[slug].
// The registry's validateManifest is the only judge of validity. Pure: runs in the browser.
import { z } from "zod";
import { compileFlow } from "../flow/compile-flow";
import type { FlowGraphInput } from "../flow/flow-types";
import { manifestToText } from "../manifest-doc/manifest-doc";
import { starterFlow } from "../flow/starter-flows";
import { codeTemplate } from "../code/code-template";
import { ConnectorDraftSchema, connectorToManifestFields, emptyConnector, manifestToConnector } from "../connector/connector-draft";
import { examplesToTestCases, testCasesToExamples, TestCaseSchema } from "../test/test-cases";
import { CONFIG_TYPES, VALUE_TYPES, type Manifest, type ManifestInput } from "../../registry/manifest-schema";
import { parseManifestText, validateManifest } from "../../registry/parse-manifest";

export const BUILDER_METHODS = ["visual", "code", "connector", "upload"] as const;
export type BuilderMethod = (typeof BUILDER_METHODS)[number];
export const BUILDER_STEPS = ["basics", "actions", "configuration", "test"] as const;
export type BuilderStep = (typeof BUILDER_STEPS)[number];

/** A stable key for list items (React keys, reorder), never part of the manifest. */
export function newKey(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === "function" ? c.randomUUID() : `k${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

const str = (fallback = "") => z.string().catch(fallback).default(fallback);
const bool = (fallback = false) => z.boolean().catch(fallback).default(fallback);

/** An input or output as the step-2 tables hold it; `default` is the text typed in the form. */
export const BuilderFieldSchema = z.object({
  key: z.string().catch(() => newKey()).default(() => newKey()),
  name: str(),
  type: z.enum(VALUE_TYPES).catch("string").default("string"),
  required: bool(),
  description: str(),
  default: str(),
});
export type BuilderFieldState = z.infer<typeof BuilderFieldSchema>;

export const BuilderActionSchema = z.object({
  key: z.string().catch(() => newKey()).default(() => newKey()),
  id: str(),
  name: str(),
  description: str(),
  inputs: z.array(BuilderFieldSchema).catch([]).default([]),
  outputs: z.array(BuilderFieldSchema).catch([]).default([]),
  /** Visual method: the canvas of this action (kept as drawn; compileFlow validates it). */
  flow: z.unknown().optional(),
});
export type BuilderAction = z.infer<typeof BuilderActionSchema>;

export const BuilderConfigSchema = z.object({
  key: z.string().catch(() => newKey()).default(() => newKey()),
  name: str(),
  label: str(),
  type: z.enum(CONFIG_TYPES).catch("string").default("string"),
  required: bool(),
  description: str(),
  helpUrl: str(),
  default: str(),
});
export type BuilderConfig = z.infer<typeof BuilderConfigSchema>;

export const BuilderStateSchema = z.object({
  version: z.literal(1).catch(1).default(1),
  method: z.enum(BUILDER_METHODS).catch("visual").default("visual"),
  step: z.enum(BUILDER_STEPS).catch("basics").default("basics"),
  basics: z
    .object({
      name: str(),
      slug: str(),
      description: str(),
      icon: str("🧩"),
      category: str("utilities"),
      version: str("0.1.0"),
      tags: z.array(z.string()).catch([]).default([]),
    })
    .catch(() => ({ name: "", slug: "", description: "", icon: "🧩", category: "utilities", version: "0.1.0", tags: [] }))
    .default(() => ({ name: "", slug: "", description: "", icon: "🧩", category: "utilities", version: "0.1.0", tags: [] })),
  actions: z.array(BuilderActionSchema).catch([]).default([]),
  code: z.object({ source: str() }).catch({ source: "" }).default({ source: "" }),
  connector: ConnectorDraftSchema.catch(() => emptyConnector()).default(() => emptyConnector()),
  upload: z.object({ text: str(), filename: str("manifest.yaml") }).catch({ text: "", filename: "manifest.yaml" }).default({ text: "", filename: "manifest.yaml" }),
  configuration: z.array(BuilderConfigSchema).catch([]).default([]),
  permissions: z.array(z.string()).catch([]).default([]),
  allowedDomains: z.array(z.string()).catch([]).default([]),
  testCases: z.array(TestCaseSchema).catch([]).default([]),
});
export type BuilderState = z.infer<typeof BuilderStateSchema>;

/** Any stored value (old, partial, hostile) to a usable state; never throws. */
export function parseBuilderState(value: unknown): BuilderState {
  const r = BuilderStateSchema.safeParse(value && typeof value === "object" ? value : {});
  return r.success ? r.data : BuilderStateSchema.parse({});
}

export function emptyField(name = ""): BuilderFieldState {
  return { key: newKey(), name, type: "string", required: false, description: "", default: "" };
}

export function emptyAction(id = "run", name = "Run"): BuilderAction {
  const action: BuilderAction = {
    key: newKey(),
    id,
    name,
    description: "",
    inputs: [{ ...emptyField("value"), required: true }],
    outputs: [emptyField("result")],
    flow: starterFlow(),
  };
  return syncFlowFromFields(action);
}

/** A new draft: one action whose starter flow already compiles; only name and slug are missing. */
export function emptyBuilderState(method: BuilderMethod = "visual"): BuilderState {
  const state = BuilderStateSchema.parse({ method });
  state.actions = [emptyAction()];
  state.code.source = codeTemplate(state.actions.map(codeTemplateAction));
  return state;
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/g, "");
}

// ── fields ↔ manifest values ────────────────────────────────────────────────

type Problem = { path: string; message: string; nodeId?: string };

/** The form's default text to the manifest value, by type; a problem when it does not fit. */
export function parseDefault(type: string, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (t === "") return {};
  if (type === "number" || type === "integer") {
    const n = Number(t);
    if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) return { error: `expected ${type === "integer" ? "an integer" : "a number"}` };
    return { value: n };
  }
  if (type === "boolean") {
    if (t === "true" || t === "false") return { value: t === "true" };
    return { error: "expected true or false" };
  }
  if (type === "object" || type === "array" || type === "any") {
    try {
      const v: unknown = JSON.parse(t);
      if (type === "object" && (typeof v !== "object" || v === null || Array.isArray(v))) return { error: "expected a JSON object" };
      if (type === "array" && !Array.isArray(v)) return { error: "expected a JSON array" };
      return { value: v };
    } catch {
      return type === "any" ? { value: text } : { error: `expected JSON (${type})` };
    }
  }
  return { value: text };
}

export function formatDefault(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function fieldToManifest(f: BuilderFieldState, path: string, problems: Problem[]): Record<string, unknown> {
  const out: Record<string, unknown> = { name: f.name, type: f.type, required: f.required };
  if (f.description.trim()) out.description = f.description.trim();
  const d = parseDefault(f.type, f.default);
  if (d.error) problems.push({ path: `${path}.default`, message: d.error });
  else if (d.value !== undefined) out.default = d.value;
  return out;
}

function fieldFromManifest(f: { name: string; type?: string; required?: boolean; description?: string; default?: unknown }): BuilderFieldState {
  return BuilderFieldSchema.parse({ name: f.name, type: f.type, required: f.required ?? false, description: f.description ?? "", default: formatDefault(f.default) });
}

function codeTemplateAction(a: BuilderAction) {
  const plain = (f: BuilderFieldState) => ({ name: f.name, type: f.type, required: f.required, ...(f.description ? { description: f.description } : {}) });
  return { id: a.id, inputs: a.inputs.map(plain), outputs: a.outputs.map(plain) };
}

/** The actions as D's code editor and connector form want them. */
export function plainActions(state: BuilderState) {
  return state.actions.map((a) => ({ ...codeTemplateAction(a), ...(a.name.trim() ? { name: a.name.trim() } : {}), ...(a.description.trim() ? { description: a.description.trim() } : {}) }));
}

// ── visual: keep the canvas's Input/Output nodes and the step-2 tables in step ─

type LooseNode = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };

function flowOf(action: BuilderAction): FlowGraphInput {
  const g = action.flow as FlowGraphInput | undefined;
  return g && Array.isArray(g.nodes) && Array.isArray(g.edges) ? g : starterFlow();
}

/** Step-2 tables → the flow's Input node fields and Output node fields. */
export function syncFlowFromFields(action: BuilderAction): BuilderAction {
  const g = flowOf(action);
  const inputFields = action.inputs.map((f) => {
    const d = parseDefault(f.type, f.default);
    return { name: f.name, type: f.type, required: f.required, ...(f.description ? { description: f.description } : {}), ...(d.value !== undefined ? { default: d.value } : {}) };
  });
  const outputFields = action.outputs.map((f) => ({ name: f.name, type: f.type, ...(f.description ? { description: f.description } : {}) }));
  const nodes = (g.nodes as LooseNode[]).map((n) =>
    n.type === "input" ? { ...n, data: { ...n.data, fields: inputFields } } : n.type === "output" ? { ...n, data: { ...n.data, fields: outputFields } } : n,
  );
  return { ...action, flow: { ...g, nodes } as FlowGraphInput };
}

/** The canvas changed: take its Input/Output fields into the step-2 tables (keeping row keys). */
export function syncFieldsFromFlow(action: BuilderAction, flow: FlowGraphInput): BuilderAction {
  const nodes = (flow.nodes ?? []) as LooseNode[];
  const fieldsOf = (type: string) => {
    const node = nodes.find((n) => n.type === type);
    const fields = node && Array.isArray(node.data?.fields) ? (node.data.fields as { name?: unknown; type?: unknown; required?: unknown; description?: unknown; default?: unknown }[]) : null;
    return fields;
  };
  const merge = (current: BuilderFieldState[], fields: ReturnType<typeof fieldsOf>): BuilderFieldState[] => {
    if (!fields) return current;
    return fields.map((f, i) =>
      BuilderFieldSchema.parse({
        key: current[i]?.key ?? newKey(),
        name: typeof f.name === "string" ? f.name : "",
        type: f.type,
        required: f.required ?? current[i]?.required ?? false,
        description: typeof f.description === "string" ? f.description : "",
        default: f.default !== undefined ? formatDefault(f.default) : (current[i]?.default ?? ""),
      }),
    );
  };
  return { ...action, flow, inputs: merge(action.inputs, fieldsOf("input")), outputs: merge(action.outputs, fieldsOf("output")) };
}

// ── state → manifest ────────────────────────────────────────────────────────

export interface StateToManifestResult {
  manifest?: Manifest;
  /** The candidate sent to validation (shown in the panel even when invalid). */
  candidate?: ManifestInput | Record<string, unknown>;
  errors: Problem[];
  warnings: { path: string; message: string }[];
}

function commonFields(state: BuilderState, problems: Problem[]): Record<string, unknown> {
  const b = state.basics;
  const configuration = state.configuration.map((c, i) => {
    const out: Record<string, unknown> = { key: c.name, type: c.type, required: c.required };
    if (c.label.trim()) out.label = c.label.trim();
    if (c.description.trim()) out.description = c.description.trim();
    if (c.helpUrl.trim()) out.help_url = c.helpUrl.trim();
    if (c.default.trim()) {
      const d = parseDefault(c.type === "secret" ? "string" : c.type, c.default);
      if (d.error) problems.push({ path: `configuration[${i}].default`, message: d.error });
      else out.default = d.value;
    }
    return out;
  });
  return {
    schema_version: 1,
    slug: b.slug,
    name: b.name,
    icon: b.icon || "🧩",
    version: b.version,
    description: b.description,
    category: b.category,
    tags: b.tags,
    configuration,
    permissions: state.permissions,
    allowed_domains: state.allowedDomains,
    examples: testCasesToExamples(state.testCases),
  };
}

function actionsToManifest(state: BuilderState, problems: Problem[]) {
  return state.actions.map((a, i) => {
    const out: Record<string, unknown> = {
      id: a.id,
      ...(a.name.trim() ? { name: a.name.trim() } : {}),
      ...(a.description.trim() ? { description: a.description.trim() } : {}),
      inputs: a.inputs.map((f, j) => fieldToManifest(f, `actions[${i}].inputs[${j}]`, problems)),
      outputs: a.outputs.map((f, j) => fieldToManifest(f, `actions[${i}].outputs[${j}]`, problems)),
    };
    return out;
  });
}

const PLACEHOLDER = { slug: "draft", name: "Draft", version: "0.1.0" };

function visualCandidate(state: BuilderState, common: Record<string, unknown>, problems: Problem[]): Record<string, unknown> | null {
  const actions = actionsToManifest(state, problems);
  if (!state.actions.length) return { type: "workflow", ...common, actions: [], workflow: { steps: [] } };
  const compiled = state.actions.map((a, i) => {
    const r = compileFlow(syncFlowFromFields(a).flow, {
      ...PLACEHOLDER,
      actionId: /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(a.id) ? a.id : "run",
      configuration: (common.configuration as { key: string }[]).filter((c) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(c.key)),
    });
    for (const e of r.errors) {
      // Errors of the compiled manifest's own common fields come from the placeholders: the
      // final validation below reports the real ones.
      const p = e.path.startsWith("manifest.") ? e.path.slice("manifest.".length) : `flow.${e.path}`;
      if (/^(slug|name|version|configuration)\b/.test(p)) continue;
      problems.push({ path: `actions[${i}].${p.startsWith("actions[0].") ? p.slice("actions[0].".length) : p}`, message: e.message, ...(e.nodeId ? { nodeId: e.nodeId } : {}) });
    }
    return r;
  });
  if (compiled.some((r) => !r.manifest)) return null;
  const manifests = compiled.map((r) => r.manifest!);
  if (manifests.length > 1 && manifests.some((m) => m.type !== "declarative")) {
    problems.push({ path: "actions[1]", message: "a visual capability whose flow is a workflow (computed values, conditions) has exactly one action; remove the others or use HTTP-only flows" });
    return null;
  }
  const union = (key: "permissions" | "allowed_domains") => [...new Set([...(common[key] as string[]), ...manifests.flatMap((m) => m[key] as string[])])];
  const mergedActions = manifests.map((m, i) => ({ ...m.actions[0], ...actions[i], ...(m.actions[0]?.integration ? { integration: m.actions[0].integration } : {}) }));
  const first = manifests[0]!;
  if (first.type === "declarative") {
    // One action: its integration may live at the top (compileFlow's shape); several: per action.
    const integrations = manifests.map((m) => (m.type === "declarative" ? m.integration : undefined));
    const withIntegration = mergedActions.map((a, i) => (integrations[i] && manifests.length > 1 ? { ...a, integration: integrations[i] } : a));
    return {
      type: "declarative",
      ...common,
      permissions: union("permissions"),
      allowed_domains: union("allowed_domains"),
      actions: withIntegration,
      ...(manifests.length === 1 && integrations[0] ? { integration: integrations[0] } : {}),
    };
  }
  return { type: first.type, ...common, permissions: union("permissions"), allowed_domains: union("allowed_domains"), actions: mergedActions, ...(first.type === "workflow" ? { workflow: first.workflow } : {}) };
}

/** The manifest the state stands for, every problem with its manifest path (and node). */
export function stateToManifest(state: BuilderState): StateToManifestResult {
  const problems: Problem[] = [];
  const common = commonFields(state, problems);
  let candidate: Record<string, unknown> | null = null;

  if (state.method === "visual") {
    candidate = visualCandidate(state, common, problems);
  } else if (state.method === "code") {
    candidate = { type: "code", ...common, actions: actionsToManifest(state, problems), runtime: "javascript", source: state.code.source };
  } else if (state.method === "connector") {
    const actions = actionsToManifest(state, problems);
    const configuration = common.configuration as { key: string }[];
    const r = connectorToManifestFields(state.connector, plainActions(state), { configKeys: configuration.map((c) => c.key) });
    problems.push(...r.errors);
    // The auth's credentials are configuration the installer enters: listed unless declared.
    const implied = r.secrets.filter((sec) => !configuration.some((c) => c.key === sec.key)).map((sec) => ({ key: sec.key, label: sec.label, type: "secret", required: true }));
    candidate = { type: "api-connector", ...common, configuration: [...configuration, ...implied], actions, ...r.fields };
  } else {
    if (!state.upload.text.trim()) {
      return { errors: [{ path: "(document)", message: "upload or paste a manifest (YAML or JSON)" }], warnings: [] };
    }
    const parsed = parseManifestText(state.upload.text);
    if (parsed.errors.length) return { errors: parsed.errors, warnings: [] };
    const base = validateManifest(parsed.value);
    // The forms are edited on top of the uploaded text: their fields win, its logic stays.
    const raw = base.manifest ?? (parsed.value as Record<string, unknown>);
    const rawActions = Array.isArray((raw as { actions?: unknown }).actions) ? ((raw as { actions: Record<string, unknown>[] }).actions) : [];
    const actions = actionsToManifest(state, problems).map((a, i) => ({ ...(rawActions[i] ?? {}), ...a }));
    candidate = { ...(raw as Record<string, unknown>), ...common, actions };
    if ((raw as { type?: unknown }).type === "api-connector") delete candidate.actions;
  }

  if (!candidate) return { errors: problems, warnings: [] };
  const report = validateManifest(candidate);
  const errors = [...problems, ...report.errors.filter((e) => !problems.some((p) => p.path === e.path))];
  if (errors.length || !report.manifest) return { candidate, errors, warnings: report.warnings };
  return { manifest: report.manifest, candidate, errors: [], warnings: report.warnings };
}

// ── manifest → state ────────────────────────────────────────────────────────

const METHOD_OF_TYPE: Record<string, BuilderMethod> = { code: "code", "api-connector": "connector" };

/** The method a manifest is edited with when nothing else is known. */
export function methodForManifest(m: Pick<Manifest, "type">): BuilderMethod {
  return METHOD_OF_TYPE[m.type] ?? "upload";
}

/**
 * A manifest to a state. `method` (default: the manifest's own) chooses where the logic goes:
 * code source, connector form, or the uploaded text (declarative, workflow, builtin: the
 * canvas cannot be rebuilt from a manifest). `base` keeps what the manifest cannot say:
 * the visual flows, row keys, the step.
 */
export function manifestToState(manifest: Manifest, method?: BuilderMethod, base?: BuilderState, text?: string): BuilderState {
  const target = method ?? methodForManifest(manifest);
  const state = base ? structuredClone(base) : emptyBuilderState(target);
  state.method = target;
  state.basics = {
    name: manifest.name,
    slug: manifest.slug,
    description: manifest.description ?? "",
    icon: manifest.icon ?? "🧩",
    category: manifest.category ?? "utilities",
    version: manifest.version,
    tags: [...(manifest.tags ?? [])],
  };
  const byIndex = base?.actions ?? [];
  state.actions = manifest.actions.map((a, i) => {
    const prev = byIndex[i];
    const keep = (rows: BuilderFieldState[] | undefined, fields: typeof a.inputs) =>
      fields.map((f, j) => ({ ...fieldFromManifest(f), key: rows?.[j]?.key ?? newKey() }));
    const action: BuilderAction = {
      key: prev?.key ?? newKey(),
      id: a.id,
      name: a.name ?? "",
      description: a.description ?? "",
      inputs: keep(prev?.inputs, a.inputs),
      outputs: keep(prev?.outputs, a.outputs),
      ...(target === "visual" ? { flow: prev?.flow ?? starterFlow() } : prev?.flow !== undefined ? { flow: prev.flow } : {}),
    };
    return target === "visual" ? syncFlowFromFields(action) : action;
  });
  state.configuration = manifest.configuration.map((c, i) =>
    BuilderConfigSchema.parse({
      key: base?.configuration[i]?.key ?? newKey(),
      name: c.key,
      label: c.label ?? "",
      type: c.type,
      required: c.required,
      description: c.description ?? "",
      helpUrl: c.help_url ?? "",
      default: formatDefault(c.default),
    }),
  );
  state.permissions = [...manifest.permissions];
  state.allowedDomains = [...manifest.allowed_domains];
  state.testCases = examplesToTestCases(manifest.examples, manifest.actions[0]?.id ?? "");
  if (manifest.type === "code") state.code = { source: manifest.source };
  if (manifest.type === "api-connector") state.connector = manifestToConnector(manifest);
  if (target === "upload") state.upload = { text: text ?? manifestDocText(manifest), filename: base?.upload.filename ?? "manifest.yaml" };
  return parseBuilderState(state);
}

function manifestDocText(manifest: Manifest): string {
  return manifestToText(manifest, "yaml");
}

// ── where a problem lives in the wizard ─────────────────────────────────────

/** The wizard step a manifest path belongs to. */
export function stepOfPath(path: string): BuilderStep {
  if (/^(configuration|permissions|allowed_domains)\b/.test(path)) return "configuration";
  if (/^examples\b/.test(path)) return "test";
  if (path === "(document)" || /^(actions|endpoints|workflow|integration|source|api|runtime|type)\b/.test(path)) return "actions";
  return "basics";
}

/** Problems per step, for the tabs' badges. */
export function problemsByStep(errors: readonly { path: string }[]): Record<BuilderStep, number> {
  const out: Record<BuilderStep, number> = { basics: 0, actions: 0, configuration: 0, test: 0 };
  for (const e of errors) out[stepOfPath(e.path)]++;
  return out;
}

// Compiles a canvas graph into a capability manifest the registry accepts:
//   Input → HTTP → (Transform of response paths) → Output  →  a declarative manifest
//     (the HTTP node is the integration, the mappings become its response_mapping);
//   anything else without HTTP (computed values, conditions)  →  a workflow manifest of
//     built-in steps: a Transform node is a `transform` step, a Condition node a
//     `condition` step whose branches carry `condition: steps.<id>.output.value` (or its
//     negation), an Output node a `transform` step picking its fields.
// The manifest is then run through the registry's validateManifest; its errors come back
// with the node id of the step that caused them. Pure: no I/O, nothing is evaluated here.
//
// Computed mappings (`input.km * 0.621371`) go into the transform step's
// `expressions` parameter (TRANSFORM_EXPRESSIONS_KEY), which the engine's transform step
// (lib/execution/workflows/builtin-steps.ts) evaluates with the safe expression language;
// plain paths (`input.km`, `steps.x.output.a`) compile to templates.
import { z } from "zod";
import { formatPath, parsePath, type PathSegment } from "../../execution/templates/parse-path";
import type { ExpressionNode } from "../../execution/workflows/expression";
import type { ManifestInput, Manifest } from "../../registry/manifest-schema";
import { validateManifest } from "../../registry/parse-manifest";
import { zodFieldErrors } from "../../http/problem";
import type { FlowGraph, FlowNode, FlowNodeOf, FlowOutputField } from "./flow-types";
import { ancestorsOf, flowStructure, parseFlowExpression, validateFlow, type FlowError, type FlowStructure } from "./validate-flow";

/** The transform step parameter that holds computed mappings: target → expression. */
export const TRANSFORM_EXPRESSIONS_KEY = "expressions";

export const CompileFlowMetaSchema = z.object({
  slug: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  icon: z.string().optional(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** The one action the flow implements. */
  actionId: z.string().default("run"),
  actionName: z.string().optional(),
  /** Configuration fields (manifest shape); templates and expressions may read their keys. */
  configuration: z.array(z.object({ key: z.string() }).catchall(z.unknown())).default([]),
});
export type CompileFlowMeta = z.input<typeof CompileFlowMetaSchema>;

export interface CompileFlowResult {
  manifest?: Manifest;
  kind?: "declarative" | "workflow";
  errors: FlowError[];
  /** The registry's warnings (implied permissions, domains…), paths in the manifest. */
  warnings: { path: string; message: string }[];
}

const PATH_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** `input.a.b` or `steps.x.output[0]`: a path with literal keys only, or null when computed. */
export function expressionPath(tree: ExpressionNode): PathSegment[] | null {
  const keys: PathSegment[] = [];
  let cur: ExpressionNode = tree;
  while (cur.kind === "member") {
    if (typeof cur.key === "object") return null;
    if (typeof cur.key === "string" && (!PATH_KEY.test(cur.key) || FORBIDDEN.has(cur.key))) return null;
    keys.unshift(cur.key);
    cur = cur.object;
  }
  return cur.kind === "name" ? [cur.name, ...keys] : null;
}

/** The nearest node above `id` that produces data (skipping condition nodes). */
function dataSource(structure: FlowStructure, id: string): FlowNode | undefined {
  return ancestorsOf(structure, id)
    .map((a) => structure.byId.get(a)!)
    .find((n) => n.type !== "condition");
}

/** Nodes from the input down, parents before children. */
function order(structure: FlowStructure, inputId: string): FlowNode[] {
  const out: FlowNode[] = [];
  const queue = [inputId];
  const seen = new Set(queue);
  while (queue.length) {
    const id = queue.shift()!;
    out.push(structure.byId.get(id)!);
    for (const e of structure.children.get(id) ?? []) {
      if (seen.has(e.target)) continue;
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return out;
}

function actionOf(meta: z.output<typeof CompileFlowMetaSchema>, input: FlowNodeOf<"input">, outputs: FlowNodeOf<"output">[]) {
  const outs = new Map<string, FlowOutputField>();
  for (const o of outputs) for (const f of o.data.fields) if (!outs.has(f.name)) outs.set(f.name, f);
  return { id: meta.actionId, ...(meta.actionName ? { name: meta.actionName } : {}), inputs: input.data.fields, outputs: [...outs.values()] };
}

function common(meta: z.output<typeof CompileFlowMetaSchema>) {
  const { actionId: _a, actionName: _n, ...rest } = meta;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/** The declarative shape, or null when the flow is not a plain Input → HTTP → (Transform) → Output chain. */
function compileDeclarative(graph: FlowGraph, s: FlowStructure, meta: z.output<typeof CompileFlowMetaSchema>, errors: FlowError[]): ManifestInput | null {
  const nodes = order(s, graph.nodes.find((n) => n.type === "input")!.id);
  if (nodes.length !== graph.nodes.length) return null;
  const types = nodes.map((n) => n.type).join(" ");
  if (types !== "input http output" && types !== "input http transform output") return null;
  if (nodes.some((n) => (s.children.get(n.id)?.length ?? 0) > 1)) return null;
  const input = nodes[0] as FlowNodeOf<"input">;
  const http = nodes[1] as FlowNodeOf<"http">;
  const transform = nodes.length === 4 ? (nodes[2] as FlowNodeOf<"transform">) : undefined;
  const output = nodes[nodes.length - 1] as FlowNodeOf<"output">;

  const httpMap = http.data.responseMapping;
  const hasHttpMap = Object.keys(httpMap).length > 0;
  /** A path into the HTTP node's output → the path into the raw response body. */
  const bodyPath = (segments: PathSegment[]): PathSegment[] | null => {
    if (!hasHttpMap) return segments;
    const [head, ...rest] = segments;
    const mapped = typeof head === "string" && Object.hasOwn(httpMap, head) ? httpMap[head] : undefined;
    return mapped === undefined ? null : [...parsePath(mapped), ...rest];
  };

  let mapping: Record<string, PathSegment[]> = {};
  if (transform) {
    for (const m of transform.data.mappings) {
      const parsed = parseFlowExpression(m.expression);
      const path = "tree" in parsed ? expressionPath(parsed.tree) : null;
      // Only paths into the response fit response_mapping; anything else needs a workflow.
      if (!path || path[0] !== "steps" || path[1] !== http.id || path[2] !== "output") return null;
      const body = bodyPath(path.slice(3));
      if (!body) return null;
      mapping[m.target] = body;
    }
  } else if (hasHttpMap) {
    mapping = Object.fromEntries(Object.entries(httpMap).map(([k, v]) => [k, parsePath(v)]));
  }

  const outputIndex = s.indexOf.get(output.id)!;
  const responseMapping: Record<string, string> = {};
  output.data.fields.forEach((f, j) => {
    const path = transform || hasHttpMap ? mapping[f.name] : [f.name];
    if (!path) {
      errors.push({ path: `nodes[${outputIndex}].data.fields[${j}].name`, nodeId: output.id, message: `${JSON.stringify(f.name)} is not produced by ${transform ? `transform ${JSON.stringify(transform.id)}` : `the response mapping of ${JSON.stringify(http.id)}`}` });
      return;
    }
    // An empty path (the whole body) cannot be a response_mapping entry: map the field itself.
    responseMapping[f.name] = path.length ? formatPath(path) : f.name;
  });

  return {
    type: "declarative",
    ...common(meta),
    actions: [actionOf(meta, input, [output])],
    integration: {
      type: "api",
      endpoint: http.data.url,
      method: http.data.method,
      ...(Object.keys(http.data.headers).length ? { headers: http.data.headers } : {}),
      ...(http.data.body !== undefined ? { body: http.data.body } : {}),
      response_mapping: responseMapping,
    },
  } as ManifestInput;
}

function compileWorkflow(graph: FlowGraph, s: FlowStructure, meta: z.output<typeof CompileFlowMetaSchema>, errors: FlowError[]): ManifestInput {
  const input = graph.nodes.find((n) => n.type === "input") as FlowNodeOf<"input">;
  const steps: Record<string, unknown>[] = [];
  for (const node of order(s, input.id)) {
    if (node.type === "input") continue;
    const index = s.indexOf.get(node.id)!;
    if (node.type === "http") {
      errors.push({
        path: `nodes[${index}]`,
        nodeId: node.id,
        message: "an HTTP request compiles only in a plain Input → HTTP → Transform (response paths) → Output chain; with conditions or computed values, call an API-connector capability instead",
      });
      continue;
    }
    const parent = s.parent.get(node.id)!;
    const parentNode = s.byId.get(parent.source)!;
    const step: Record<string, unknown> = { id: node.id };
    // An explicit dependency on the previous step: a skipped branch skips everything after it.
    if (parentNode.type !== "input") step.depends_on = [parentNode.id];
    if (parentNode.type === "condition") {
      step.condition = parent.edge.sourceHandle === "false" ? `!steps.${parentNode.id}.output.value` : `steps.${parentNode.id}.output.value`;
    }
    if (node.type === "condition") {
      step.action = "condition";
      step.if = node.data.expression;
    } else if (node.type === "transform") {
      step.action = "transform";
      const inputs: Record<string, string> = {};
      const expressions: Record<string, string> = {};
      for (const m of node.data.mappings) {
        const parsed = parseFlowExpression(m.expression);
        const path = "tree" in parsed ? expressionPath(parsed.tree) : null;
        if (path) inputs[m.target] = `\${${formatPath(path)}}`;
        else expressions[m.target] = m.expression;
      }
      if (Object.keys(inputs).length) step.inputs = inputs;
      if (Object.keys(expressions).length) step[TRANSFORM_EXPRESSIONS_KEY] = expressions;
    } else {
      step.action = "transform";
      const source = dataSource(s, node.id);
      const from = (name: string) => (!source || source.type === "input" ? `\${input.${name}}` : `\${steps.${source.id}.output.${name}}`);
      step.inputs = Object.fromEntries(node.data.fields.map((f) => [f.name, from(f.name)]));
    }
    steps.push(step);
  }
  const outputs = graph.nodes.filter((n): n is FlowNodeOf<"output"> => n.type === "output");
  return { type: "workflow", ...common(meta), actions: [actionOf(meta, input, outputs)], workflow: { steps } } as ManifestInput;
}

/** Maps `workflow.steps[3].…` back to the node that step came from. */
function nodeOfManifestPath(path: string, manifest: ManifestInput): string | undefined {
  const m = /^workflow\.steps\[(\d+)\]/.exec(path);
  if (!m || manifest.type !== "workflow") return undefined;
  const step = manifest.workflow.steps[Number(m[1])] as { id?: unknown } | undefined;
  return typeof step?.id === "string" ? step.id : undefined;
}

/** Validates the graph, compiles it and checks the manifest with the registry's own validation. */
export function compileFlow(graph: unknown, meta: CompileFlowMeta): CompileFlowResult {
  const parsedMeta = CompileFlowMetaSchema.safeParse(meta);
  if (!parsedMeta.success) return { errors: zodFieldErrors(parsedMeta.error.issues, "meta"), warnings: [] };
  const m = parsedMeta.data;
  const validation = validateFlow(graph, { configKeys: m.configuration.map((c) => c.key) });
  if (validation.errors.length || !validation.graph) return { errors: validation.errors, warnings: [] };
  const flow = validation.graph;
  const structure = flowStructure(flow);
  const errors: FlowError[] = [];

  const hasCondition = flow.nodes.some((n) => n.type === "condition");
  const declarative = hasCondition ? null : compileDeclarative(flow, structure, m, errors);
  if (errors.length) return { errors, warnings: [] };
  const candidate = declarative ?? compileWorkflow(flow, structure, m, errors);
  if (errors.length) return { errors, warnings: [] };

  const report = validateManifest(candidate);
  if (!report.valid || !report.manifest) {
    return {
      errors: report.errors.map((e) => {
        const nodeId = nodeOfManifestPath(e.path, candidate);
        return { path: `manifest.${e.path}`, ...(nodeId ? { nodeId } : {}), message: e.message };
      }),
      warnings: report.warnings,
    };
  }
  return { manifest: report.manifest, kind: candidate.type === "declarative" ? "declarative" : "workflow", errors: [], warnings: report.warnings };
}

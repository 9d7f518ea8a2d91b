// Checks a canvas graph before it is compiled, and says exactly where each problem is: every
// error has a path (`nodes[2].data.mappings[0].expression`) and, when it belongs to one, the
// id of the node or edge, so the canvas can highlight it. Rules: one input, at least one
// output, edges between existing nodes, one incoming connection per node, no cycles, every
// node reachable from the input and reaching an output, both branches of a condition wired,
// expressions that parse (with their column) and read only known names, HTTP templates that
// read only declared inputs and configuration. Pure: parses, never evaluates anything.
import type { core } from "zod";
import { collectPlaceholders } from "../../execution/templates/render-value";
import { TemplateError } from "../../execution/templates/template-error";
import { ExpressionError, expressionReferences, parseExpression, type ExpressionNode } from "../../execution/workflows/expression";
import { findCycle } from "../../execution/workflows/plan-workflow";
import { zodFieldErrors } from "../../http/problem";
import { FlowGraphSchema, type FlowEdge, type FlowGraph, type FlowNode } from "./flow-types";

export interface FlowError {
  path: string;
  nodeId?: string;
  edgeId?: string;
  /** 0-based offset in the expression, for expression errors. */
  position?: number;
  message: string;
}

export interface ValidateFlowOptions {
  /** Configuration keys the capability declares: templates and expressions may read them. */
  configKeys?: readonly string[];
}

export interface FlowValidation {
  errors: FlowError[];
  /** The parsed graph (defaults filled in), when it matched the schema. */
  graph?: FlowGraph;
}

/** How nodes hang together: the single parent of each node, and the edges out of each. */
export interface FlowStructure {
  byId: Map<string, FlowNode>;
  indexOf: Map<string, number>;
  parent: Map<string, { edge: FlowEdge; source: string }>;
  children: Map<string, FlowEdge[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function schemaErrors(value: unknown, issues: readonly core.$ZodIssue[]): FlowError[] {
  const rawNodes = isObject(value) && Array.isArray(value.nodes) ? value.nodes : [];
  const rawEdges = isObject(value) && Array.isArray(value.edges) ? value.edges : [];
  return zodFieldErrors(issues).map((e, k) => {
    const [kind, index] = issues[k]!.path;
    const raw = typeof index === "number" ? (kind === "nodes" ? rawNodes[index] : kind === "edges" ? rawEdges[index] : undefined) : undefined;
    const id = isObject(raw) && typeof raw.id === "string" ? raw.id : undefined;
    return { ...e, ...(id !== undefined && kind === "nodes" ? { nodeId: id } : {}), ...(id !== undefined && kind === "edges" ? { edgeId: id } : {}) };
  });
}

/** Builds the parent/children maps from edges that point at existing nodes. */
export function flowStructure(graph: FlowGraph): FlowStructure {
  const byId = new Map<string, FlowNode>();
  const indexOf = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (!byId.has(n.id)) {
      byId.set(n.id, n);
      indexOf.set(n.id, i);
    }
  });
  const parent = new Map<string, { edge: FlowEdge; source: string }>();
  const children = new Map<string, FlowEdge[]>();
  for (const e of graph.edges) {
    if (!byId.has(e.source) || !byId.has(e.target) || e.source === e.target) continue;
    if (!parent.has(e.target)) parent.set(e.target, { edge: e, source: e.source });
    children.set(e.source, [...(children.get(e.source) ?? []), e]);
  }
  return { byId, indexOf, parent, children };
}

/** The nodes above `id`, nearest first (stops at a cycle). */
export function ancestorsOf(structure: FlowStructure, id: string): string[] {
  const out: string[] = [];
  let cur = structure.parent.get(id)?.source;
  while (cur !== undefined && !out.includes(cur) && cur !== id) {
    out.push(cur);
    cur = structure.parent.get(cur)?.source;
  }
  return out;
}

/** A cycle of the canvas' edges, through the workflow planner's own cycle search. */
function flowCycle(graph: FlowGraph, byId: Map<string, FlowNode>): string[] | null {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (byId.has(e.source) && byId.has(e.target)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  return findCycle(byId.keys(), next);
}

function reach(start: string[], step: (id: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length) {
    for (const n of step(queue.shift()!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

/** Parses an expression, or returns the error with its position. */
export function parseFlowExpression(text: string): { tree: ExpressionNode } | { error: ExpressionError } {
  try {
    return { tree: parseExpression(text) };
  } catch (err) {
    if (err instanceof ExpressionError) return { error: err };
    throw err;
  }
}

/** Validates a canvas graph; `errors` is empty when it can be compiled. */
export function validateFlow(value: unknown, options: ValidateFlowOptions = {}): FlowValidation {
  const parsed = FlowGraphSchema.safeParse(value);
  if (!parsed.success) return { errors: schemaErrors(value, parsed.error.issues) };
  const graph = parsed.data;
  const errors: FlowError[] = [];
  const configKeys = new Set(options.configKeys ?? []);
  const at = (id: string, i: number) => ({ nodeId: id, path: `nodes[${i}]` });

  const seenNodes = new Set<string>();
  graph.nodes.forEach((n, i) => {
    if (seenNodes.has(n.id)) errors.push({ ...at(n.id, i), path: `nodes[${i}].id`, message: `duplicate node id ${JSON.stringify(n.id)}` });
    seenNodes.add(n.id);
  });
  const seenEdges = new Set<string>();
  const structure = flowStructure(graph);
  const { byId, indexOf, parent, children } = structure;

  graph.edges.forEach((e, i) => {
    const base = `edges[${i}]`;
    if (seenEdges.has(e.id)) errors.push({ path: `${base}.id`, edgeId: e.id, message: `duplicate edge id ${JSON.stringify(e.id)}` });
    seenEdges.add(e.id);
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!source) errors.push({ path: `${base}.source`, edgeId: e.id, message: `no node ${JSON.stringify(e.source)}` });
    if (!target) errors.push({ path: `${base}.target`, edgeId: e.id, message: `no node ${JSON.stringify(e.target)}` });
    if (!source || !target) return;
    if (e.source === e.target) return void errors.push({ path: base, edgeId: e.id, nodeId: e.source, message: "a node cannot connect to itself" });
    if (source.type === "output") errors.push({ path: `${base}.source`, edgeId: e.id, nodeId: source.id, message: "an output node ends the flow: it has no outgoing connections" });
    if (target.type === "input") errors.push({ path: `${base}.target`, edgeId: e.id, nodeId: target.id, message: "the input node starts the flow: nothing connects into it" });
    if (source.type === "condition" && !e.sourceHandle) errors.push({ path: `${base}.sourceHandle`, edgeId: e.id, nodeId: source.id, message: "say which branch this connection leaves from: true or false" });
    if (source.type !== "condition" && e.sourceHandle) errors.push({ path: `${base}.sourceHandle`, edgeId: e.id, nodeId: source.id, message: "only a condition node has true/false branches" });
    if (parent.get(e.target)?.edge !== e) {
      errors.push({ path: `${base}.target`, edgeId: e.id, nodeId: target.id, message: `node ${JSON.stringify(target.id)} already has an incoming connection: a node takes exactly one` });
    }
  });

  const inputs = graph.nodes.filter((n) => n.type === "input");
  const outputs = graph.nodes.filter((n) => n.type === "output");
  if (inputs.length === 0) errors.push({ path: "nodes", message: "add an input node: the flow starts there" });
  inputs.slice(1).forEach((n) => errors.push({ ...at(n.id, indexOf.get(n.id)!), message: "a flow has exactly one input node" }));
  if (outputs.length === 0) errors.push({ path: "nodes", message: "add at least one output node" });

  const cycle = flowCycle(graph, byId);
  if (cycle) errors.push({ ...at(cycle[0]!, indexOf.get(cycle[0]!)!), path: "edges", message: `the connections form a cycle: ${cycle.join(" → ")}` });

  const input = inputs[0];
  const fromInput = input ? reach([input.id], (id) => (children.get(id) ?? []).map((e) => e.target)) : new Set<string>();
  const toOutput = reach(
    outputs.map((n) => n.id),
    (id) => graph.edges.filter((e) => e.target === id && byId.has(e.source)).map((e) => e.source),
  );
  for (const n of graph.nodes) {
    if (indexOf.get(n.id) !== graph.nodes.indexOf(n)) continue;
    const where = at(n.id, indexOf.get(n.id)!);
    if (input && n.type !== "input" && !fromInput.has(n.id)) errors.push({ ...where, message: "not reachable from the input node: connect it" });
    if (n.type !== "output" && !toOutput.has(n.id)) errors.push({ ...where, message: "does not lead to an output node" });
    if (n.type === "condition") {
      const wired = new Set((children.get(n.id) ?? []).map((e) => e.sourceHandle));
      const missing = (["true", "false"] as const).filter((h) => !wired.has(h));
      if (missing.length) errors.push({ ...where, message: `connect the ${missing.join(" and the ")} branch${missing.length > 1 ? "es" : ""}` });
    }
  }

  const fields = new Set(input?.data.fields.map((f) => f.name) ?? []);
  if (input) {
    const seen = new Set<string>();
    input.data.fields.forEach((f, j) => {
      if (seen.has(f.name)) errors.push({ ...at(input.id, indexOf.get(input.id)!), path: `nodes[${indexOf.get(input.id)}].data.fields[${j}].name`, message: `duplicate field ${JSON.stringify(f.name)}` });
      seen.add(f.name);
    });
  }

  const checkExpression = (node: FlowNode, text: string, path: string) => {
    const result = parseFlowExpression(text);
    if ("error" in result) return void errors.push({ path, nodeId: node.id, position: result.error.position, message: result.error.message });
    const upstream = new Set(ancestorsOf(structure, node.id).filter((id) => byId.get(id)?.type !== "input"));
    for (const ref of expressionReferences(result.tree)) {
      const [root, key] = ref.path;
      const col = `at column ${ref.pos + 1}`;
      const fail = (message: string) => errors.push({ path, nodeId: node.id, position: ref.pos, message: `${message} ${col}` });
      if (root === "input") {
        if (typeof key === "string" && !fields.has(key)) fail(`unknown input ${JSON.stringify(key)}`);
      } else if (root === "config") {
        if (typeof key === "string" && !configKeys.has(key)) fail(`unknown configuration key ${JSON.stringify(key)}`);
      } else if (root === "steps") {
        if (key === undefined) fail("name a node: steps.<node id>.output");
        else if (typeof key === "string" && !upstream.has(key)) fail(`${JSON.stringify(key)} is not a node before this one`);
      } else fail(`unknown name ${JSON.stringify(String(root))}: use input, config or steps.<node id>.output`);
    }
  };

  const checkTemplate = (node: FlowNode, template: unknown, path: string) => {
    let refs: ReturnType<typeof collectPlaceholders>;
    try {
      refs = collectPlaceholders(template, path);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      return void errors.push({ path, nodeId: node.id, message: err.message });
    }
    for (const ref of refs) {
      const [root, key] = ref.path;
      const fail = (message: string) => errors.push({ path: ref.where, nodeId: node.id, message });
      if (ref.shorthand) {
        if (typeof root === "string" && !fields.has(root)) fail(`unknown input ${JSON.stringify(root)}`);
      } else if (root === "input") {
        if (typeof key !== "string" || !fields.has(key)) fail(`unknown input ${JSON.stringify(String(key))}`);
      } else if (root === "config" || root === "secrets") {
        if (typeof key !== "string" || !configKeys.has(key)) fail(`unknown configuration key ${JSON.stringify(String(key))}; declare it under configuration`);
      } else if (ref.path.length === 1 && typeof root === "string" && /^[A-Z][A-Z0-9_]*$/.test(root)) {
        if (!configKeys.has(root)) fail(`unknown configuration key ${JSON.stringify(root)}; declare it under configuration`);
      } else fail(`unknown reference ${JSON.stringify(String(root))}: an HTTP node reads input.<name> and config.<KEY>`);
    }
  };

  graph.nodes.forEach((n, i) => {
    const base = `nodes[${i}].data`;
    if (n.type === "transform") {
      if (!n.data.mappings.length) errors.push({ ...at(n.id, i), path: `${base}.mappings`, message: "add at least one mapping" });
      const targets = new Set<string>();
      n.data.mappings.forEach((m, j) => {
        if (targets.has(m.target)) errors.push({ path: `${base}.mappings[${j}].target`, nodeId: n.id, message: `duplicate target ${JSON.stringify(m.target)}` });
        targets.add(m.target);
        checkExpression(n, m.expression, `${base}.mappings[${j}].expression`);
      });
    } else if (n.type === "condition") {
      checkExpression(n, n.data.expression, `${base}.expression`);
    } else if (n.type === "http") {
      checkTemplate(n, n.data.url, `${base}.url`);
      checkTemplate(n, n.data.headers, `${base}.headers`);
      if (n.data.body !== undefined) checkTemplate(n, n.data.body, `${base}.body`);
      if (!/^https?:\/\/[^/${}]+(?:[/?#]|$)/i.test(n.data.url)) {
        errors.push({ path: `${base}.url`, nodeId: n.id, message: "expected an absolute http(s) URL whose host has no template" });
      }
    } else if (n.type === "output") {
      if (!n.data.fields.length) errors.push({ ...at(n.id, i), path: `${base}.fields`, message: "name at least one output field" });
    }
  });

  return { errors, graph };
}

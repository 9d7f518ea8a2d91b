// The canvas' editing operations on a flow graph (issue 7): add a node with a fresh valid id,
// connect two nodes, remove nodes and their edges, rename a node (edges and `steps.<id>`
// references follow), group validation errors by node and edge. Pure functions over the
// graph the builder stores (FlowGraphInput): the React canvas calls them, unit tests pin
// them. No React, no @xyflow types, nothing evaluated.
import type { FlowEdge, FlowGraphInput, FlowNodeType } from "./flow-types";
import { NODE_ID } from "./flow-types";
import type { FlowError } from "./validate-flow";

export type FlowNodeInput = FlowGraphInput["nodes"][number];
export type FlowEdgeInput = FlowGraphInput["edges"][number];
export type FlowNodeInputOf<T extends FlowNodeType> = Extract<FlowNodeInput, { type: T }>;

const RESERVED_IDS = new Set(["__proto__", "constructor", "prototype"]);

/** What a node type starts with when it is added from the palette. */
export function defaultNodeData(type: FlowNodeType): FlowNodeInput["data"] {
  switch (type) {
    case "input":
      return { fields: [{ name: "value", type: "string", required: true }] };
    case "http":
      return { method: "GET", url: "https://api.example.com/items?q=${input.value}", headers: {}, responseMapping: {} };
    case "transform":
      return { mappings: [{ target: "result", expression: "input.value" }] };
    case "condition":
      return { expression: "input.value != null" };
    case "output":
      return { fields: [{ name: "result", type: "string" }] };
  }
}

/** A node id not used yet: the type's name, then `<type>_2`, `<type>_3`… (always a NODE_ID). */
export function nextNodeId(type: FlowNodeType, graph: FlowGraphInput): string {
  const taken = new Set(graph.nodes.map((n) => n.id));
  if (!taken.has(type)) return type;
  for (let i = 2; ; i++) if (!taken.has(`${type}_${i}`)) return `${type}_${i}`;
}

/** An edge id not used yet, derived from its ends (stable and readable in the manifest panel). */
export function nextEdgeId(source: string, target: string, graph: FlowGraphInput, handle?: string): string {
  const taken = new Set(graph.edges.map((e) => e.id));
  const base = `e_${source}${handle ? `_${handle}` : ""}_${target}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function addNode(graph: FlowGraphInput, type: FlowNodeType, position: { x: number; y: number }): { graph: FlowGraphInput; id: string } {
  const id = nextNodeId(type, graph);
  const node = { id, type, position: { x: Math.round(position.x), y: Math.round(position.y) }, data: defaultNodeData(type) } as FlowNodeInput;
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Where a new node goes when added with a button: right of `after` (or of the rightmost node), below any node already there. */
export function placementAfter(graph: FlowGraphInput, afterId?: string | null): { x: number; y: number } {
  const after = graph.nodes.find((n) => n.id === afterId);
  if (!after && !graph.nodes.length) return { x: 0, y: 80 };
  const from = after ?? graph.nodes.reduce((a, b) => (b.position.x > a.position.x ? b : a));
  const spot = { x: from.position.x + 300, y: from.position.y };
  // Node cards are about 240 × 100: step down until the spot is free.
  while (graph.nodes.some((n) => Math.abs(n.position.x - spot.x) < 260 && Math.abs(n.position.y - spot.y) < 130)) spot.y += 140;
  return spot;
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** Connections the canvas refuses outright (the rest are allowed and reported by validateFlow). */
export function checkConnection(graph: FlowGraphInput, source: string, target: string, handle?: string | null): ConnectionCheck {
  if (source === target) return { ok: false, reason: "a node cannot connect to itself" };
  const s = graph.nodes.find((n) => n.id === source);
  const t = graph.nodes.find((n) => n.id === target);
  if (!s || !t) return { ok: false, reason: "both ends must be nodes of this flow" };
  if (s.type === "output") return { ok: false, reason: "an output node ends the flow" };
  if (t.type === "input") return { ok: false, reason: "nothing connects into the input node" };
  const branch = s.type === "condition" ? (handle ?? undefined) : undefined;
  if (graph.edges.some((e) => e.source === source && e.target === target && (e.sourceHandle ?? undefined) === branch)) {
    return { ok: false, reason: "these nodes are already connected" };
  }
  return { ok: true };
}

/**
 * Adds the edge source → target. A condition's branch is its handle ("true"/"false"); a branch
 * has one target, so connecting it again moves it. Refused connections leave the graph as is.
 */
export function connect(graph: FlowGraphInput, source: string, target: string, handle?: string | null): FlowGraphInput {
  if (!checkConnection(graph, source, target, handle).ok) return graph;
  const s = graph.nodes.find((n) => n.id === source)!;
  const branch = s.type === "condition" ? (handle === "false" ? "false" : "true") : undefined;
  const edges = branch ? graph.edges.filter((e) => !(e.source === source && e.sourceHandle === branch)) : graph.edges;
  const edge: FlowEdge = { id: nextEdgeId(source, target, { ...graph, edges }, branch), source, target, ...(branch ? { sourceHandle: branch } : {}) };
  return { ...graph, edges: [...edges, edge] };
}

/** Removes nodes (and every edge touching them) and edges. */
export function removeElements(graph: FlowGraphInput, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): FlowGraphInput {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (!nodes.size && !edges.size) return graph;
  return {
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

export function updateNodeData<T extends FlowNodeInput>(graph: FlowGraphInput, id: string, data: T["data"]): FlowGraphInput {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? ({ ...n, data } as FlowNodeInput) : n)) };
}

export function moveNodes(graph: FlowGraphInput, positions: Map<string, { x: number; y: number }>): FlowGraphInput {
  if (!positions.size) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

/** Why `id` cannot be the new id of node `current`, or null when it can. */
export function nodeIdProblem(graph: FlowGraphInput, current: string, id: string): string | null {
  if (!NODE_ID.test(id)) return "use letters, digits and _, starting with a letter or _ (max 64)";
  if (RESERVED_IDS.has(id)) return "this name is reserved";
  if (id !== current && graph.nodes.some((n) => n.id === id)) return `another node is called ${JSON.stringify(id)}`;
  return null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Renames a node: its edges follow, and `steps.<old>` in expressions becomes `steps.<new>`. */
export function renameNode(graph: FlowGraphInput, from: string, to: string): FlowGraphInput {
  if (from === to || nodeIdProblem(graph, from, to)) return graph;
  const ref = new RegExp(`\\bsteps\\s*\\.\\s*${escapeRegExp(from)}\\b`, "g");
  const rewrite = (text: string) => text.replace(ref, `steps.${to}`);
  return {
    nodes: graph.nodes.map((n) => {
      const renamed = n.id === from ? { ...n, id: to } : n;
      if (renamed.type === "transform") {
        return { ...renamed, data: { ...renamed.data, mappings: (renamed.data.mappings ?? []).map((m) => ({ ...m, expression: rewrite(m.expression) })) } };
      }
      if (renamed.type === "condition") return { ...renamed, data: { ...renamed.data, expression: rewrite(renamed.data.expression) } };
      return renamed;
    }),
    edges: graph.edges.map((e) => ({ ...e, source: e.source === from ? to : e.source, target: e.target === from ? to : e.target })),
  };
}

export interface GroupedFlowErrors {
  byNode: Map<string, FlowError[]>;
  byEdge: Map<string, FlowError[]>;
  /** Errors that belong to no node or edge ("add an input node"). */
  general: FlowError[];
}

/**
 * Fills in the node or edge id of errors that lost it on the way (a wizard that keeps only
 * path, message and nodeId): `…nodes[2]…` and `…edges[3]…` point into this graph.
 */
export function attachFlowErrorIds(errors: readonly FlowError[], graph: FlowGraphInput): FlowError[] {
  return errors.map((e) => {
    const local = e.path.replace(/^.*?(?=(?:nodes|edges)\[)/, "");
    const edge = /^edges\[(\d+)\]/.exec(local);
    const node = /^nodes\[(\d+)\]/.exec(local);
    const edgeId = e.edgeId ?? (edge ? graph.edges[Number(edge[1])]?.id : undefined);
    const nodeId = e.nodeId ?? (node ? graph.nodes[Number(node[1])]?.id : undefined);
    return { ...e, ...(edgeId !== undefined ? { edgeId } : {}), ...(nodeId !== undefined ? { nodeId } : {}) };
  });
}

export function groupFlowErrors(errors: readonly FlowError[]): GroupedFlowErrors {
  const byNode = new Map<string, FlowError[]>();
  const byEdge = new Map<string, FlowError[]>();
  const general: FlowError[] = [];
  for (const e of errors) {
    if (e.edgeId !== undefined) byEdge.set(e.edgeId, [...(byEdge.get(e.edgeId) ?? []), e]);
    if (e.nodeId !== undefined) byNode.set(e.nodeId, [...(byNode.get(e.nodeId) ?? []), e]);
    if (e.nodeId === undefined && e.edgeId === undefined) general.push(e);
  }
  return { byNode, byEdge, general };
}

/** The ids of the nodes upstream of `id` (nearest first), following first incoming edges. */
export function upstreamNodes(graph: FlowGraphInput, id: string): string[] {
  const out: string[] = [];
  let cur = graph.edges.find((e) => e.target === id)?.source;
  while (cur !== undefined && cur !== id && !out.includes(cur)) {
    out.push(cur);
    const from: string = cur;
    cur = graph.edges.find((e) => e.target === from)?.source;
  }
  return out;
}

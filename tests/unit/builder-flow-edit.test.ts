// The canvas' editing operations (lib/builder/flow/edit-flow.ts) and the starter flow: new
// nodes get valid unique ids, connections respect the flow's rules (a condition branch has
// one target), removing a node removes its edges, renaming follows edges and steps.<id>
// references, errors group by node and edge, and the starter flow validates and compiles.
import { describe, expect, test } from "vitest";
import { compileFlow } from "@/lib/builder/flow/compile-flow";
import { addNode, attachFlowErrorIds, checkConnection, connect, defaultNodeData, groupFlowErrors, moveNodes, nextNodeId, nodeIdProblem, placementAfter, removeElements, renameNode, upstreamNodes } from "@/lib/builder/flow/edit-flow";
import { FLOW_NODE_TYPES, NODE_ID, type FlowGraphInput } from "@/lib/builder/flow/flow-types";
import { starterFlow } from "@/lib/builder/flow/starter-flows";
import { validateFlow } from "@/lib/builder/flow/validate-flow";
import { runWorkflow } from "@/lib/execution/workflows";

const meta = { slug: "starter", name: "Starter", version: "1.0.0" };

function withCondition(): FlowGraphInput {
  let g = starterFlow();
  g = addNode(g, "condition", { x: 0, y: 0 }).graph;
  g = addNode(g, "output", { x: 0, y: 0 }).graph;
  return g;
}

describe("starter flow", () => {
  test("is Input → Transform → Output, validates, and compiles to a workflow that echoes the input", async () => {
    const g = starterFlow();
    expect(g.nodes.map((n) => n.type)).toEqual(["input", "transform", "output"]);
    expect(validateFlow(g).errors).toEqual([]);
    const r = compileFlow(g, meta);
    expect(r.errors).toEqual([]);
    expect(r.kind).toBe("workflow");
    const run = await runWorkflow({ manifest: r.manifest!, action: "run", input: { value: "hello" }, config: {}, correlationId: "test", timeoutMs: 5_000, hooks: { callAction: () => Promise.reject(new Error("no installed action is called")) } });
    expect(run.status).toBe("succeeded");
    expect(run.output).toEqual({ result: "hello" });
  });

  test("returns a fresh object each time (editing one draft never edits another)", () => {
    const a = starterFlow();
    (a.nodes[0]!.data as { fields: unknown[] }).fields.push({ name: "x" });
    expect((starterFlow().nodes[0]!.data as { fields: unknown[] }).fields).toHaveLength(1);
  });
});

describe("adding nodes", () => {
  test("ids are the type name, then numbered, always valid NODE_IDs", () => {
    let g: FlowGraphInput = { nodes: [], edges: [] };
    const ids: string[] = [];
    for (const type of [...FLOW_NODE_TYPES, "transform", "transform"] as const) {
      const r = addNode(g, type, { x: 10.4, y: 20.6 });
      g = r.graph;
      ids.push(r.id);
    }
    expect(ids).toEqual(["input", "http", "transform", "condition", "output", "transform_2", "transform_3"]);
    for (const id of ids) expect(NODE_ID.test(id)).toBe(true);
    expect(g.nodes[0]!.position).toEqual({ x: 10, y: 21 });
    expect(nextNodeId("transform", g)).toBe("transform_4");
  });

  test("every palette node's default data passes the schema", () => {
    for (const type of FLOW_NODE_TYPES) {
      const g = { nodes: [{ id: "n", type, position: { x: 0, y: 0 }, data: defaultNodeData(type) }], edges: [] };
      const schemaErrors = validateFlow(g).errors.filter((e) => e.path.startsWith("nodes[0].data") && !e.message.includes("unknown input"));
      expect(schemaErrors, type).toEqual([]);
    }
  });

  test("a new node goes right of the selected one, below whatever is already there", () => {
    const g = starterFlow();
    const [input, transform, output] = g.nodes;
    expect(placementAfter(g, "output")).toEqual({ x: output!.position.x + 300, y: output!.position.y });
    // Right of the transform is the output node: the new one goes under it.
    expect(placementAfter(g, "transform")).toEqual({ x: transform!.position.x + 300, y: output!.position.y + 140 });
    expect(placementAfter(g, "input")).toEqual({ x: input!.position.x + 300, y: transform!.position.y + 140 });
    expect(placementAfter(g)).toEqual({ x: output!.position.x + 300, y: output!.position.y });
    expect(placementAfter({ nodes: [], edges: [] })).toEqual({ x: 0, y: 80 });
  });

  test("a dangling node is reported on that node", () => {
    const { graph, id } = addNode(starterFlow(), "transform", { x: 0, y: 300 });
    const errors = validateFlow(graph).errors.filter((e) => e.nodeId === id);
    expect(errors.map((e) => e.message)).toEqual(expect.arrayContaining(["not reachable from the input node: connect it", "does not lead to an output node"]));
  });
});

describe("connecting", () => {
  test("refuses self loops, edges out of an output, into the input, and duplicates", () => {
    const g = starterFlow();
    expect(checkConnection(g, "transform", "transform")).toMatchObject({ ok: false });
    expect(checkConnection(g, "output", "transform")).toMatchObject({ ok: false, reason: "an output node ends the flow" });
    expect(checkConnection(g, "transform", "input")).toMatchObject({ ok: false });
    expect(checkConnection(g, "input", "transform")).toMatchObject({ ok: false, reason: "these nodes are already connected" });
    expect(checkConnection(g, "input", "output")).toEqual({ ok: true });
    expect(connect(g, "output", "transform")).toBe(g);
  });

  test("a condition's branch carries its handle and has one target: reconnecting moves it", () => {
    let g = withCondition();
    g = connect(g, "condition", "output", "true");
    g = connect(g, "condition", "output_2", "true");
    const fromCondition = g.edges.filter((e) => e.source === "condition");
    expect(fromCondition).toEqual([{ id: "e_condition_true_output_2", source: "condition", target: "output_2", sourceHandle: "true" }]);
    g = connect(g, "condition", "output", "false");
    expect(g.edges.filter((e) => e.source === "condition").map((e) => e.sourceHandle).sort()).toEqual(["false", "true"]);
  });

  test("other nodes never get a branch handle, and edge ids stay unique", () => {
    let g = starterFlow();
    g = removeElements(g, [], ["e_transform_output"]);
    g = { ...g, edges: [...g.edges, { id: "e_transform_output", source: "input", target: "output" }] };
    g = connect(g, "transform", "output", "true");
    const edge = g.edges.at(-1)!;
    expect(edge).toEqual({ id: "e_transform_output_2", source: "transform", target: "output" });
  });

  test("a second incoming connection is allowed on the canvas and reported by validation on that edge", () => {
    let g = addNode(starterFlow(), "transform", { x: 0, y: 0 }).graph;
    g = connect(g, "input", "transform_2");
    g = connect(g, "transform_2", "output");
    const errors = validateFlow(g).errors;
    const second = errors.find((e) => e.edgeId === "e_transform_2_output");
    expect(second).toMatchObject({ nodeId: "output", message: expect.stringContaining("already has an incoming connection") });
  });
});

describe("removing, moving, renaming", () => {
  test("removing a node removes every edge touching it", () => {
    const g = removeElements(starterFlow(), ["transform"]);
    expect(g.nodes.map((n) => n.id)).toEqual(["input", "output"]);
    expect(g.edges).toEqual([]);
    const e = removeElements(starterFlow(), [], ["e_input_transform"]);
    expect(e.edges.map((x) => x.id)).toEqual(["e_transform_output"]);
  });

  test("moving rounds positions and leaves other nodes alone", () => {
    const g = moveNodes(starterFlow(), new Map([["output", { x: 1.6, y: -2.2 }]]));
    expect(g.nodes.find((n) => n.id === "output")!.position).toEqual({ x: 2, y: -2 });
    expect(g.nodes.find((n) => n.id === "input")!.position).toEqual(starterFlow().nodes[0]!.position);
  });

  test("renaming moves edges and rewrites steps.<old> in later expressions", () => {
    let g = starterFlow();
    g = addNode(g, "transform", { x: 0, y: 0 }).graph;
    g = removeElements(g, [], ["e_transform_output"]);
    g = connect(g, "transform", "transform_2");
    g = connect(g, "transform_2", "output");
    g = { ...g, nodes: g.nodes.map((n) => (n.id === "transform_2" ? { ...n, data: { mappings: [{ target: "result", expression: "upper(steps.transform.output.result) + steps . transform.output.result" }] } } : n)) } as FlowGraphInput;
    expect(validateFlow(g).errors).toEqual([]);
    const r = renameNode(g, "transform", "clean");
    expect(r.edges.map((e) => [e.source, e.target])).toEqual([["input", "clean"], ["clean", "transform_2"], ["transform_2", "output"]]);
    const t2 = r.nodes.find((n) => n.id === "transform_2") as { data: { mappings: { expression: string }[] } };
    expect(t2.data.mappings[0]!.expression).toBe("upper(steps.clean.output.result) + steps.clean.output.result");
    expect(validateFlow(r).errors).toEqual([]);
    expect(upstreamNodes(r, "output")).toEqual(["transform_2", "clean", "input"]);
  });

  test("an invalid or taken id is refused with a reason and leaves the graph unchanged", () => {
    const g = starterFlow();
    expect(nodeIdProblem(g, "transform", "my-step")).toMatch(/letters, digits/);
    expect(nodeIdProblem(g, "transform", "output")).toMatch(/another node/);
    expect(nodeIdProblem(g, "transform", "constructor")).toMatch(/reserved/);
    expect(nodeIdProblem(g, "transform", "calc")).toBeNull();
    expect(renameNode(g, "transform", "1abc")).toBe(g);
  });
});

test("errors group by node and by edge; the rest are general", () => {
  const grouped = groupFlowErrors([
    { path: "nodes", message: "add an input node" },
    { path: "nodes[1]", nodeId: "b", message: "x" },
    { path: "edges[0].target", nodeId: "b", edgeId: "e1", message: "y" },
    { path: "edges[1].source", edgeId: "e2", message: "z" },
  ]);
  expect(grouped.general.map((e) => e.message)).toEqual(["add an input node"]);
  expect(grouped.byNode.get("b")!.map((e) => e.message)).toEqual(["x", "y"]);
  expect([...grouped.byEdge.keys()]).toEqual(["e1", "e2"]);
});

test("errors that lost their ids (a wizard's prefixed paths) get them back from the graph", () => {
  const g = starterFlow();
  const located = attachFlowErrorIds(
    [
      { path: "actions[0].flow.edges[1].target", message: "a" },
      { path: "flow.nodes[2].data.fields[0].name", message: "b" },
      { path: "edges[0]", edgeId: "kept", message: "c" },
      { path: "edges[9]", message: "d" },
      { path: "name", message: "e" },
    ],
    g,
  );
  expect(located).toEqual([
    { path: "actions[0].flow.edges[1].target", edgeId: "e_transform_output", message: "a" },
    { path: "flow.nodes[2].data.fields[0].name", nodeId: "output", message: "b" },
    { path: "edges[0]", edgeId: "kept", message: "c" },
    { path: "edges[9]", message: "d" },
    { path: "name", message: "e" },
  ]);
});

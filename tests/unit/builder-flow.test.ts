// The visual builder's flow model: validation errors carry the failing node's id and a
// path; the compiler turns flows into manifests the registry accepts (declarative for a
// plain HTTP chain, workflow otherwise); the unit converter gives 6.21 miles for 10 km;
// hostile expressions are refused at validation or evaluate without reaching the host.
import { describe, expect, test } from "vitest";
import { applyTransformExpressions } from "@/lib/builder/flow/apply-transform-expressions";
import { compileFlow, TRANSFORM_EXPRESSIONS_KEY } from "@/lib/builder/flow/compile-flow";
import type { FlowGraphInput } from "@/lib/builder/flow/flow-types";
import { validateFlow } from "@/lib/builder/flow/validate-flow";
import { runWorkflow } from "@/lib/execution/workflows";
import { evaluate } from "@/lib/execution/workflows/expression";
import { validateManifest } from "@/lib/registry/parse-manifest";

const pos = { x: 0, y: 0 };
const meta = { slug: "km-to-miles", name: "Km to miles", version: "1.0.0", actionId: "convert" };

function converter(expression = "round(input.km * 0.621371 * 100) / 100"): FlowGraphInput {
  return {
    nodes: [
      { id: "in", type: "input", position: pos, data: { fields: [{ name: "km", type: "number", required: true }] } },
      { id: "calc", type: "transform", position: pos, data: { mappings: [{ target: "miles", expression }] } },
      { id: "out", type: "output", position: pos, data: { fields: [{ name: "miles", type: "number" }] } },
    ],
    edges: [
      { id: "e1", source: "in", target: "calc" },
      { id: "e2", source: "calc", target: "out" },
    ],
  };
}

function branching(): FlowGraphInput {
  return {
    nodes: [
      { id: "in", type: "input", position: pos, data: { fields: [{ name: "n", type: "number" }] } },
      { id: "big", type: "condition", position: pos, data: { expression: "input.n > 10" } },
      { id: "yes", type: "transform", position: pos, data: { mappings: [{ target: "label", expression: "input.n" }] } },
      { id: "no", type: "transform", position: pos, data: { mappings: [{ target: "label", expression: "input.n" }] } },
      { id: "out_yes", type: "output", position: pos, data: { fields: [{ name: "label" }] } },
      { id: "out_no", type: "output", position: pos, data: { fields: [{ name: "label" }] } },
    ],
    edges: [
      { id: "e1", source: "in", target: "big" },
      { id: "e2", source: "big", target: "yes", sourceHandle: "true" },
      { id: "e3", source: "big", target: "no", sourceHandle: "false" },
      { id: "e4", source: "yes", target: "out_yes" },
      { id: "e5", source: "no", target: "out_no" },
    ],
  };
}

function weather(transformExpression?: string): FlowGraphInput {
  const nodes: FlowGraphInput["nodes"] = [
    { id: "in", type: "input", position: pos, data: { fields: [{ name: "city", type: "string", required: true }] } },
    {
      id: "call",
      type: "http",
      position: pos,
      data: { method: "GET", url: "https://api.weather.example.com/v1/now?q=${input.city}", headers: { "X-Key": "${config.API_KEY}" }, responseMapping: { temp: "main.temp", sky: "weather[0].main" } },
    },
  ];
  const edges: FlowGraphInput["edges"] = [{ id: "e1", source: "in", target: "call" }];
  if (transformExpression) {
    nodes.push({ id: "shape", type: "transform", position: pos, data: { mappings: [{ target: "celsius", expression: transformExpression }] } });
    edges.push({ id: "e2", source: "call", target: "shape" }, { id: "e3", source: "shape", target: "out" });
    nodes.push({ id: "out", type: "output", position: pos, data: { fields: [{ name: "celsius", type: "number" }] } });
  } else {
    edges.push({ id: "e2", source: "call", target: "out" });
    nodes.push({ id: "out", type: "output", position: pos, data: { fields: [{ name: "temp", type: "number" }, { name: "sky" }] } });
  }
  return { nodes, edges };
}
const weatherMeta = { slug: "weather", name: "Weather", version: "1.0.0", configuration: [{ key: "API_KEY", type: "secret", required: true }] };

const messages = (errors: { message: string }[]) => errors.map((e) => e.message).join(" | ");

describe("validateFlow", () => {
  test("a well-formed flow has no errors", () => {
    expect(validateFlow(converter()).errors).toEqual([]);
    expect(validateFlow(branching()).errors).toEqual([]);
    expect(validateFlow(weather(), { configKeys: ["API_KEY"] }).errors).toEqual([]);
  });

  test("schema errors have paths and the node id", () => {
    const g = converter() as { nodes: Record<string, unknown>[] };
    g.nodes[1] = { ...g.nodes[1], type: "transform", data: { mappings: [{ target: "1bad", expression: "" }] } };
    const { errors } = validateFlow(g);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "nodes[1].data.mappings[0].target", nodeId: "calc" }),
        expect.objectContaining({ path: "nodes[1].data.mappings[0].expression", nodeId: "calc" }),
      ]),
    );
  });

  test("exactly one input and at least one output", () => {
    const g = converter();
    g.nodes = g.nodes.filter((n) => n.type !== "output");
    g.nodes.push({ id: "in2", type: "input", position: pos, data: { fields: [] } });
    g.edges = [{ id: "e1", source: "in", target: "calc" }];
    const { errors } = validateFlow(g);
    expect(errors).toContainEqual({ path: "nodes", message: "add at least one output node" });
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: "in2", path: "nodes[2]", message: "a flow has exactly one input node" }));
  });

  test("edges must point at existing nodes", () => {
    const g = converter();
    g.edges.push({ id: "ghost", source: "calc", target: "nowhere" });
    expect(validateFlow(g).errors).toContainEqual({ path: "edges[2].target", edgeId: "ghost", message: 'no node "nowhere"' });
  });

  test("cycles are refused, naming a node of the cycle", () => {
    const g: FlowGraphInput = {
      nodes: [
        ...converter().nodes,
        { id: "t2", type: "transform", position: pos, data: { mappings: [{ target: "x", expression: "1" }] } },
        { id: "t3", type: "transform", position: pos, data: { mappings: [{ target: "x", expression: "1" }] } },
      ],
      edges: [...converter().edges, { id: "c1", source: "t2", target: "t3" }, { id: "c2", source: "t3", target: "t2" }],
    };
    const { errors } = validateFlow(g);
    const cycle = errors.find((e) => e.message.startsWith("the connections form a cycle"));
    expect(cycle).toMatchObject({ path: "edges", nodeId: "t2" });
    expect(cycle!.message).toContain("t2 → t3 → t2");
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: "t2", message: "not reachable from the input node: connect it" }));
  });

  test("an unconnected node is flagged both ways", () => {
    const g = converter();
    g.nodes.push({ id: "lost", type: "transform", position: pos, data: { mappings: [{ target: "x", expression: "1" }] } });
    const lost = validateFlow(g).errors.filter((e) => e.nodeId === "lost").map((e) => e.message);
    expect(lost).toEqual(["not reachable from the input node: connect it", "does not lead to an output node"]);
  });

  test("a condition names the branch that is missing", () => {
    const g = branching();
    g.edges = g.edges.filter((e) => e.id !== "e3");
    const { errors } = validateFlow(g);
    expect(errors).toContainEqual({ nodeId: "big", path: "nodes[1]", message: "connect the false branch" });
    const g2 = branching();
    g2.edges = g2.edges.filter((e) => e.id !== "e2" && e.id !== "e3");
    expect(validateFlow(g2).errors).toContainEqual({ nodeId: "big", path: "nodes[1]", message: "connect the true and the false branches" });
  });

  test("an edge out of a condition needs a branch; other edges must not have one", () => {
    const g = branching();
    delete g.edges[1]!.sourceHandle;
    g.edges[3]!.sourceHandle = "true";
    const { errors } = validateFlow(g);
    expect(errors).toContainEqual(expect.objectContaining({ path: "edges[1].sourceHandle", edgeId: "e2", nodeId: "big" }));
    expect(errors).toContainEqual(expect.objectContaining({ path: "edges[3].sourceHandle", edgeId: "e4", message: "only a condition node has true/false branches" }));
  });

  test("a node takes one incoming connection", () => {
    const g = converter();
    g.edges.push({ id: "e3", source: "in", target: "out" });
    expect(validateFlow(g).errors).toContainEqual(expect.objectContaining({ path: "edges[2].target", edgeId: "e3", nodeId: "out" }));
  });

  test("expression syntax errors carry the node, the path and the column", () => {
    const { errors } = validateFlow(converter("input.km * * 2"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: "calc", path: "nodes[1].data.mappings[0].expression", position: 11 });
    expect(errors[0]!.message).toMatch(/at column 12/);
  });

  test("expressions may read only declared inputs, config keys and steps before them", () => {
    expect(messages(validateFlow(converter("input.meters * 2")).errors)).toContain('unknown input "meters" at column 1');
    expect(messages(validateFlow(converter("config.RATE * input.km")).errors)).toContain('unknown configuration key "RATE"');
    expect(validateFlow(converter("config.RATE * input.km"), { configKeys: ["RATE"] }).errors).toEqual([]);
    expect(messages(validateFlow(converter("steps.out.output.x")).errors)).toContain('"out" is not a node before this one');
    expect(messages(validateFlow(converter("steps.calc.output.x")).errors)).toContain('"calc" is not a node before this one');
  });

  test("HTTP templates may use only known inputs and configuration", () => {
    const g = weather();
    (g.nodes[1]!.data as { url: string }).url = "https://api.weather.example.com/v1/now?q=${input.town}&k=${secrets.TOKEN}";
    const { errors } = validateFlow(g, { configKeys: ["API_KEY"] });
    expect(errors).toContainEqual({ path: "nodes[1].data.url", nodeId: "call", message: 'unknown input "town"' });
    expect(errors).toContainEqual({ path: "nodes[1].data.url", nodeId: "call", message: 'unknown configuration key "TOKEN"; declare it under configuration' });
    const h = weather();
    (h.nodes[1]!.data as { url: string }).url = "https://${input.city}.example.com/";
    expect(validateFlow(h, { configKeys: ["API_KEY"] }).errors).toContainEqual(expect.objectContaining({ nodeId: "call", message: "expected an absolute http(s) URL whose host has no template" }));
  });

  test("prototype-named node ids and fields are refused by the schema", () => {
    const g = converter() as { nodes: Record<string, unknown>[] };
    g.nodes[1] = { ...g.nodes[1], id: "__proto__" };
    expect(validateFlow(g).errors).toContainEqual(expect.objectContaining({ path: "nodes[1].id", nodeId: "__proto__" }));
  });
});

describe("compileFlow", () => {
  test("the unit converter compiles to a workflow the registry accepts, and gives 6.21 for 10", () => {
    const result = compileFlow(converter(), meta);
    expect(result.errors).toEqual([]);
    expect(result.kind).toBe("workflow");
    const manifest = result.manifest!;
    expect(validateManifest(manifest).valid).toBe(true);
    expect(manifest.type).toBe("workflow");
    if (manifest.type !== "workflow") return;
    expect(manifest.actions).toEqual([expect.objectContaining({ id: "convert", inputs: [expect.objectContaining({ name: "km", type: "number" })], outputs: [expect.objectContaining({ name: "miles" })] })]);
    const [calc, out] = manifest.workflow.steps;
    expect(calc).toMatchObject({ id: "calc", action: "transform", [TRANSFORM_EXPRESSIONS_KEY]: { miles: "round(input.km * 0.621371 * 100) / 100" } });
    expect(out).toMatchObject({ id: "out", action: "transform", depends_on: ["calc"], inputs: { miles: "${steps.calc.output.miles}" } });
    // The expression language has round(x) (to an integer), so two decimals are ×100 / 100.
    const expressions = (calc as Record<string, unknown>)[TRANSFORM_EXPRESSIONS_KEY] as Record<string, string>;
    expect(applyTransformExpressions(expressions, { input: { km: 10 } })).toEqual({ miles: 6.21 });
    expect(applyTransformExpressions(expressions, { input: { km: 42.195 } })).toEqual({ miles: 26.22 });
  });

  test("the compiled unit converter runs in the real workflow engine: 10 km → 6.21 miles", async () => {
    const result = compileFlow(converter(), meta);
    const run = (km: number) =>
      runWorkflow({ manifest: result.manifest!, action: "convert", input: { km }, config: {}, correlationId: "test", timeoutMs: 5_000, hooks: { callAction: () => Promise.reject(new Error("no installed action is called")) } });
    const out = await run(10);
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ miles: 6.21 });
    expect((await run(42.195)).output).toEqual({ miles: 26.22 });
  });

  test("path-only mappings compile to templates and run in the workflow engine today", async () => {
    const result = compileFlow(converter("input.km"), meta);
    expect(result.errors).toEqual([]);
    const out = await runWorkflow({
      manifest: result.manifest!,
      action: "convert",
      input: { km: 10 },
      config: {},
      correlationId: "test",
      timeoutMs: 5_000,
      hooks: { callAction: () => Promise.reject(new Error("no installed action is called")) },
    });
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ miles: 10 });
  });

  test("a condition compiles to a condition step and branch steps that the engine runs", async () => {
    const result = compileFlow(branching(), { ...meta, slug: "sizer" });
    expect(result.errors).toEqual([]);
    const manifest = result.manifest!;
    if (manifest.type !== "workflow") throw new Error("expected a workflow");
    expect(manifest.workflow.steps.find((s) => s.id === "big")).toMatchObject({ action: "condition", if: "input.n > 10" });
    expect(manifest.workflow.steps.find((s) => s.id === "yes")).toMatchObject({ condition: "steps.big.output.value", depends_on: ["big"] });
    expect(manifest.workflow.steps.find((s) => s.id === "no")).toMatchObject({ condition: "!steps.big.output.value", depends_on: ["big"] });
    const run = (n: number) =>
      runWorkflow({ manifest, action: "convert", input: { n }, config: {}, correlationId: "t", timeoutMs: 5_000, hooks: { callAction: () => Promise.reject(new Error("unused")) } });
    expect((await run(20)).output).toEqual({ out_yes: { label: 20 }, out_no: null });
    expect((await run(3)).output).toEqual({ out_yes: null, out_no: { label: 3 } });
  });

  test("Input → HTTP → Output compiles to a declarative manifest", () => {
    const result = compileFlow(weather(), weatherMeta);
    expect(result.errors).toEqual([]);
    expect(result.kind).toBe("declarative");
    const m = result.manifest!;
    if (m.type !== "declarative") throw new Error("expected declarative");
    expect(m.integration).toMatchObject({ endpoint: "https://api.weather.example.com/v1/now?q=${input.city}", method: "GET", response_mapping: { temp: "main.temp", sky: "weather[0].main" } });
    expect(m.allowed_domains).toContain("api.weather.example.com");
    expect(m.permissions).toContain("network.http.get");
    expect(validateManifest(m).valid).toBe(true);
  });

  test("a transform of response paths folds into the declarative response_mapping", () => {
    const result = compileFlow(weather("steps.call.output.temp"), weatherMeta);
    expect(result.errors).toEqual([]);
    const m = result.manifest!;
    if (m.type !== "declarative") throw new Error("expected declarative");
    expect(m.integration?.response_mapping).toEqual({ celsius: "main.temp" });
  });

  test("an HTTP node with a computed transform cannot compile yet, and says which node", () => {
    const result = compileFlow(weather("steps.call.output.temp * 2"), weatherMeta);
    expect(result.manifest).toBeUndefined();
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: "call", path: "nodes[1]" })]);
  });

  test("an invalid flow returns its validation errors and no manifest", () => {
    const result = compileFlow(converter("input.km +"), meta);
    expect(result.manifest).toBeUndefined();
    expect(result.errors[0]).toMatchObject({ nodeId: "calc" });
  });

  test("registry errors come back with the manifest path", () => {
    const result = compileFlow(converter(), { ...meta, slug: "Not A Slug" });
    expect(result.manifest).toBeUndefined();
    expect(result.errors).toContainEqual(expect.objectContaining({ path: "manifest.slug" }));
  });

  test("an output field that the HTTP response mapping does not produce is flagged on the output node", () => {
    const g = weather();
    (g.nodes[2]!.data as { fields: { name: string }[] }).fields.push({ name: "wind" });
    const result = compileFlow(g, weatherMeta);
    expect(result.errors).toContainEqual(expect.objectContaining({ nodeId: "out", path: "nodes[2].data.fields[2].name" }));
  });
});

describe("hostile expressions in transform nodes", () => {
  const hostile = [
    "input.constructor",
    "input.__proto__",
    'input["__proto__"]',
    "input.km.constructor.constructor",
    'input["constructor"]["prototype"]',
    "globalThis",
    "process.env",
    "this",
    "Function('return process')()",
    "constructor",
    "require('fs')",
    "input.km.toString()",
    "steps.constructor",
    "len.constructor",
  ];
  test.each(hostile)("%s is rejected at validation", (expression) => {
    const { errors } = validateFlow(converter(expression));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.nodeId === "calc")).toBe(true);
  });

  test.each(hostile)("%s evaluates without reaching the host", (expression) => {
    const scope = { input: { km: 10 }, steps: {} };
    let result: unknown;
    try {
      result = evaluate(expression, scope);
    } catch (err) {
      expect((err as Error).name).toBe("ExpressionError");
      return;
    }
    // Whatever it returns is plain data, never a function or a host object.
    expect(result === null || ["number", "string", "boolean"].includes(typeof result) || Array.isArray(result)).toBe(true);
    expect(typeof result).not.toBe("function");
  });

  test("very long and deeply nested expressions are refused with a position", () => {
    const long = `input.km${" + 1".repeat(2000)}`;
    const deep = `${"(".repeat(200)}input.km${")".repeat(200)}`;
    for (const expression of [long, deep]) {
      const errors = validateFlow(converter(expression)).errors;
      expect(errors).toHaveLength(1);
      expect(errors[0]!.nodeId).toBe("calc");
    }
    expect(validateFlow(converter(deep)).errors[0]!.position).toBeTypeOf("number");
  });

  test("a transform cannot pollute prototypes through its target", () => {
    // The schema refuses such targets; the evaluator is safe even if one got through.
    const out = applyTransformExpressions(JSON.parse('{"__proto__": "input.evil", "safe": "input.km"}') as Record<string, string>, { input: { km: 1, evil: { polluted: true } } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(out.safe).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

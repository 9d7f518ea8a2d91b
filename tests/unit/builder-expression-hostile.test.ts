// Hostile expressions written into the visual builder's Transform and Condition nodes (issue 7):
// whatever a capability author types, the flow is refused at validation with the node's id, or
// it evaluates to plain data without reaching a global, a prototype or the host, also through
// computed keys ("con" + "structor"), escapes, dynamic `steps[...]` keys and the real workflow
// engine the compiled flow runs in. (The language's own unit tests are workflow-expression.test.ts;
// the resource limits are in builder-expression-limits.test.ts.)
import { afterAll, describe, expect, test } from "vitest";
import { applyTransformExpressions } from "@/lib/builder/flow/apply-transform-expressions";
import { compileFlow } from "@/lib/builder/flow/compile-flow";
import type { FlowGraphInput } from "@/lib/builder/flow/flow-types";
import { validateFlow } from "@/lib/builder/flow/validate-flow";
import { runWorkflow } from "@/lib/execution/workflows";
import { evaluate, ExpressionError, MAX_EXPRESSION_LENGTH, parseExpression } from "@/lib/execution/workflows/expression";

const pos = { x: 0, y: 0 };
const meta = { slug: "hostile", name: "Hostile", version: "1.0.0", actionId: "run" };

function transformFlow(expression: string, inputs: string[] = ["km", "k"]): FlowGraphInput {
  return {
    nodes: [
      { id: "in", type: "input", position: pos, data: { fields: inputs.map((name) => ({ name, type: "any" as const })) } },
      { id: "calc", type: "transform", position: pos, data: { mappings: [{ target: "out", expression }] } },
      { id: "done", type: "output", position: pos, data: { fields: [{ name: "out", type: "any" as const }] } },
    ],
    edges: [
      { id: "e1", source: "in", target: "calc" },
      { id: "e2", source: "calc", target: "done" },
    ],
  };
}

function conditionFlow(expression: string): FlowGraphInput {
  return {
    nodes: [
      { id: "in", type: "input", position: pos, data: { fields: [{ name: "n", type: "number" as const }] } },
      { id: "check", type: "condition", position: pos, data: { expression } },
      { id: "yes", type: "output", position: pos, data: { fields: [{ name: "n" }] } },
      { id: "no", type: "output", position: pos, data: { fields: [{ name: "n" }] } },
    ],
    edges: [
      { id: "e1", source: "in", target: "check" },
      { id: "e2", source: "check", target: "yes", sourceHandle: "true" },
      { id: "e3", source: "check", target: "no", sourceHandle: "false" },
    ],
  };
}

async function run(expression: string, input: Record<string, unknown>) {
  const compiled = compileFlow(transformFlow(expression), meta);
  expect(compiled.errors).toEqual([]);
  return runWorkflow({
    manifest: compiled.manifest!,
    action: "run",
    input,
    config: {},
    correlationId: "hostile",
    timeoutMs: 5_000,
    hooks: { callAction: () => Promise.reject(new Error("no installed action is called")) },
  });
}

/** A probe the host sets up: if any expression reached it, the flag would flip. */
const touched: string[] = [];
const hostileScope = () => ({
  input: {
    km: 10,
    k: "__proto__",
    c: "constructor",
    parts: ["con", "structor"],
    fn: () => touched.push("function called"),
    get getter() {
      touched.push("getter ran");
      return 1;
    },
    date: new Date(0),
    nested: { a: { b: 1 } },
  },
  steps: {},
  config: {},
});

afterAll(() => {
  expect(touched).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
});

describe("globals and the host are not names", () => {
  const globals = ["globalThis", "global", "window", "self", "process", "process.env", "require", "module", "exports", "Function", "eval", "Object", "Reflect", "Proxy", "JSON", "Math", "console", "setTimeout", "Buffer", "this", "arguments", "undefined", "NaN", "Infinity"];

  test.each(globals)("%s is refused at validation on the node that reads it", (expression) => {
    const errors = validateFlow(transformFlow(expression)).errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.nodeId === "calc" && e.path === "nodes[1].data.mappings[0].expression")).toBe(true);
  });

  test.each(globals)("%s does not evaluate to anything of the host", (expression) => {
    expect(() => evaluate(expression, hostileScope())).toThrow(ExpressionError);
  });

  test.each([
    'input.constructor.constructor("return process")()',
    'input.km.constructor.constructor("return process")()',
    '(input.nested).constructor.constructor("return this")()',
    'Function("return process")()',
    'eval("process")',
    'require("child_process")',
    'import("fs")',
    "new Function('return 1')",
    "input.fn()",
    "input.nested.toString()",
    "(input.fn)()",
    "len(input)(1)",
    "process.mainModule.require('fs')",
    "typeof input",
    "delete input.km",
    "void 0",
    "input.km = 1",
    "input.km++",
    "while (true) {}",
    "for (;;) {}",
    "(() => 1)()",
    "input.km; process",
    "`${process}`",
    "/a+/.test('a')",
    "input?.km",
    "input.km ? 1 : 2",
    "[...input.parts]",
    "{ a: 1 }",
    "// comment",
    "input.km /* comment */",
  ])("%s is a syntax error, refused before anything runs", (expression) => {
    expect(() => parseExpression(expression)).toThrow(ExpressionError);
    const errors = validateFlow(transformFlow(expression)).errors;
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: "calc", position: expect.any(Number) }));
  });
});

describe("prototypes cannot be reached, also through computed keys", () => {
  test.each([
    "input.constructor",
    "input.__proto__",
    "input.prototype",
    'input["constructor"]',
    'input["__proto__"]',
    "input['prototype']",
    'input["\\u0063onstructor"]',
    'input["\\u005f\\u005fproto\\u005f\\u005f"]',
    "steps.constructor",
    "config.__proto__",
  ])("%s is refused by the parser", (expression) => {
    expect(() => parseExpression(expression)).toThrow(/cannot be read/);
  });

  test.each([
    'input["con" + "structor"]',
    "input[input.c]",
    "input[input.k]",
    'input["__pro" + "to__"].polluted',
    'input[lower("CONSTRUCTOR")]',
    'input[trim(" constructor ")]',
    'input[upper("__proto__")]',
    "input[input.parts[0] + input.parts[1]]",
    "input.nested[input.k][input.c]",
    'input.nested["__proto" + "__"]["polluted"]',
    "steps[input.k]",
    'config["proto" + "type"]',
    'input[string(input.parts[0]) + "structor"]["constructor"]',
  ])("%s fails while running, with a position", (expression) => {
    let error: unknown;
    try {
      evaluate(expression, hostileScope());
    } catch (err) {
      error = err;
    }
    // upper("__proto__") is "__PROTO__": a harmless missing key, no error; every other one is refused.
    if (expression.includes("upper(")) return expect(error).toBeUndefined();
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).position).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ["input.toString", null],
    ["input.__defineGetter__", null],
    ["input.hasOwnProperty", null],
    ["input.nested.valueOf", null],
    ["input.parts.map", null],
    ["input.parts.length", null],
    ["'abc'.length", null],
    ["input.fn", null],
    ["input.getter", null],
    ["input.date", null],
    ["input.date.getTime", null],
    ["string(input.fn)", ""],
    ["len(input.date)", 0],
    ["'constructor' in input", false],
    ["'__proto__' in input.nested", false],
    ["contains(input, 'toString')", false],
    ["input.nested == input.nested", true],
  ])("inherited members, host functions, getters and dates read as plain nothing: %s", (expression, expected) => {
    expect(evaluate(expression, hostileScope())).toEqual(expected);
  });

  test("results are fresh plain copies: mutating one never reaches the scope or a prototype", () => {
    const scope = hostileScope();
    const out = evaluate("[input.nested, input.parts]", scope) as [Record<string, unknown>, string[]];
    out[0].a = "changed";
    out[1].push("x");
    expect(scope.input.nested).toEqual({ a: { b: 1 } });
    expect(scope.input.parts).toEqual(["con", "structor"]);
    expect(Object.getPrototypeOf(out[0])).toBe(Object.prototype);
  });

  test("a Transform's targets cannot name prototype machinery, and a forged one stays an own key", () => {
    for (const target of ["__proto__", "constructor", "prototype"]) {
      const g = transformFlow("input.km");
      (g.nodes[1]!.data as { mappings: { target: string }[] }).mappings[0]!.target = target;
      expect(validateFlow(g).errors).toContainEqual(expect.objectContaining({ nodeId: "calc", path: "nodes[1].data.mappings[0].target" }));
    }
    const out = applyTransformExpressions(JSON.parse('{"__proto__": "input.nested", "constructor": "1"}') as Record<string, string>, hostileScope());
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__", "constructor"]);
    expect(out.constructor).toBe(1);
  });
});

describe("the builder's validation keeps expressions to the flow's own data", () => {
  test.each([
    ["secrets.API_KEY", /unknown name "secrets"/],
    ["config.API_KEY", /unknown configuration key "API_KEY"/],
    ["input.password", /unknown input "password"/],
    ["steps.later.output", /"later" is not a node before this one/],
    ["steps[input.k].output", /name a node/],
    ["trigger.body", /unknown name "trigger"/],
  ])("%s is refused on the node with its column", (expression, message) => {
    const errors = validateFlow(transformFlow(expression)).errors;
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: "calc", message: expect.stringMatching(message), position: expect.any(Number) }));
  });

  test("a Condition node is checked the same way", () => {
    const errors = validateFlow(conditionFlow('input.n.constructor.constructor("return process")()')).errors;
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: "check", path: "nodes[1].data.expression" }));
    expect(validateFlow(conditionFlow("globalThis.process != null")).errors).toContainEqual(expect.objectContaining({ nodeId: "check", message: expect.stringContaining('unknown name "globalThis"') }));
    expect(validateFlow(conditionFlow("input.n > 1")).errors).toEqual([]);
  });

  test("a hostile flow never compiles to a manifest", () => {
    for (const expression of ["process.env", 'input["constructor"]', "eval('1')", "secrets.X"]) {
      const r = compileFlow(transformFlow(expression), meta);
      expect(r.manifest).toBeUndefined();
      expect(r.errors.some((e) => e.nodeId === "calc")).toBe(true);
    }
  });
});

describe("in the real workflow engine the compiled flow runs in", () => {
  test("a computed prototype key passes validation but fails the step cleanly at run time", async () => {
    const out = await run("input[input.k]", { km: 1, k: "__proto__" });
    expect(out.status).toBe("failed");
    expect(JSON.stringify(out)).toContain("expression_error");
    expect(JSON.stringify(out)).toContain('\\"__proto__\\" cannot be read');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("input shaped like an attack is just data", async () => {
    const input = JSON.parse('{"km": {"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}, "k": "toString"}') as Record<string, unknown>;
    const out = await run("[input.km, input[input.k], len(input.km)]", input);
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ out: [input.km, null, 2] });
    expect(Object.keys((out.output as { out: [object] }).out[0])).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("an oversized expression is refused at validation with its position", () => {
    const errors = validateFlow(transformFlow("1" + "+1".repeat(MAX_EXPRESSION_LENGTH))).errors;
    expect(errors.some((e) => e.nodeId === "calc" && e.path.endsWith(".expression"))).toBe(true);
  });
});

// validateWorkflow / planWorkflow / workflowGraph: what is refused before a workflow runs,
// which dependencies templates and conditions imply, the catalog's and the seed's workflows,
// and the JSON-schema subset of the validate step.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { planWorkflow, validateWorkflow, workflowGraph } from "@/lib/execution/workflows";
import { checkSchema, validateAgainstSchema } from "@/lib/execution/workflows/json-schema-subset";
import { ManifestSchema, type Manifest } from "@/lib/registry/manifest-schema";
import { checkManifestText } from "@/lib/registry/parse-manifest";
import { readSeedCatalog } from "@/lib/registry/seed-catalog";

function workflow(steps: unknown[], extra: Record<string, unknown> = {}): Manifest {
  return ManifestSchema.parse({
    type: "workflow",
    slug: "wf-test",
    name: "Workflow test",
    version: "1.0.0",
    actions: [{ id: "run", inputs: [{ name: "text", type: "string" }, { name: "n", type: "number" }] }],
    configuration: [
      { key: "UNITS", type: "string" },
      { key: "API_KEY", type: "secret" },
    ],
    ...extra,
    workflow: { steps },
  });
}

const messages = (m: Manifest) => validateWorkflow(m).map((e) => `${e.path}: ${e.message}`);

describe("what is refused before anything runs", () => {
  test("a valid workflow has no problems", () => {
    expect(
      validateWorkflow(
        workflow([
          { id: "a", action: "text-utils.stats", inputs: { text: "${input.text}", units: "${config.UNITS}", n: "{{n}}" } },
          { id: "b", action: "transform", condition: "steps.a.output.words > input.n && config.UNITS == 'x'", inputs: { words: "${steps.a.output.words}" } },
        ]),
      ),
    ).toEqual([]);
  });

  test.each<[string, unknown[], string]>([
    ["duplicate ids", [{ id: "a", action: "transform" }, { id: "a", action: "transform" }], 'workflow.steps[1].id: duplicate step id "a"'],
    ["an unknown depends_on", [{ id: "a", action: "transform", depends_on: ["nope"] }], 'workflow.steps[0].depends_on[0]: no step "nope"'],
    ["depending on itself", [{ id: "a", action: "transform", depends_on: ["a"] }], "workflow.steps[0].depends_on[0]: a step cannot depend on itself"],
    ["a cycle by depends_on", [{ id: "a", action: "transform", depends_on: ["b"] }, { id: "b", action: "transform", depends_on: ["a"] }], "workflow.steps: steps depend on each other in a cycle: a → b → a"],
    ["a cycle by templates", [{ id: "a", action: "transform", inputs: { x: "${steps.b.output}" } }, { id: "b", action: "transform", inputs: { x: "v=${steps.a.output.v}" } }], "workflow.steps: steps depend on each other in a cycle: a → b → a"],
    ["a cycle by a condition", [{ id: "a", action: "transform", condition: "steps.b.output" }, { id: "b", action: "transform", depends_on: ["a"] }], "workflow.steps: steps depend on each other in a cycle: a → b → a"],
    ["a template naming an unknown step", [{ id: "a", action: "transform", inputs: { x: "${steps.ghost.output.text}" } }], 'workflow.steps[0].inputs.x: no step "ghost"'],
    ["a step reading its own output", [{ id: "a", action: "transform", inputs: { x: "${steps.a.output}" } }], "workflow.steps[0].inputs.x: a step cannot read its own output"],
    ["a condition naming an unknown step", [{ id: "a", action: "transform", condition: "steps.ghost.output.ok" }], 'workflow.steps[0].condition: no step "ghost"'],
    ["a condition reading a step chosen at run time", [{ id: "b", action: "transform" }, { id: "a", action: "transform", condition: "steps[input.text].output" }], "workflow.steps[1].condition: name a step: steps.<id>.output"],
    ["an unknown input", [{ id: "a", action: "transform", inputs: { x: "${input.nope}" } }], 'workflow.steps[0].inputs.x: unknown input "nope"'],
    ["an unknown shorthand input", [{ id: "a", action: "transform", inputs: { x: "{{nope}}" } }], 'workflow.steps[0].inputs.x: unknown input "nope"'],
    ["an unknown config key", [{ id: "a", action: "transform", inputs: { x: "${config.NOPE}" } }], 'workflow.steps[0].inputs.x: unknown configuration key "NOPE"; declare it under configuration'],
    ["a secret by secrets.", [{ id: "a", action: "x.y", inputs: { key: "${secrets.API_KEY}" } }], "workflow.steps[0].inputs.key: a workflow cannot read secrets"],
    ["a secret by config.", [{ id: "a", action: "x.y", inputs: { key: "${config.API_KEY}" } }], "workflow.steps[0].inputs.key: API_KEY is a secret: a workflow cannot read secrets"],
    ["a secret by its bare name", [{ id: "a", action: "x.y", inputs: { key: "Bearer ${API_KEY}" } }], "workflow.steps[0].inputs.key: API_KEY is a secret: a workflow cannot read secrets"],
    ["a secret in a condition", [{ id: "a", action: "x.y", condition: "config.API_KEY != null" }], "workflow.steps[0].condition: API_KEY is a secret: a workflow cannot read secrets"],
    ["an unknown bare name", [{ id: "a", action: "transform", inputs: { x: "${whatever}" } }], 'workflow.steps[0].inputs.x: unknown reference "whatever": use input.<name>, config.<KEY>, steps.<id>.output or a step\'s output name'],
    ["a malformed template", [{ id: "a", action: "transform", inputs: { x: "${input.text" } }], "workflow.steps[0].inputs: unterminated placeholder"],
    ["a prototype path in a template", [{ id: "a", action: "transform", inputs: { x: "${input.__proto__}" } }], 'workflow.steps[0].inputs: path "input.__proto__" uses a forbidden name'],
    ["a prototype path in a parameter", [{ id: "a", action: "x.y", to: "${input.constructor.name}" }], 'workflow.steps[0]: path "input.constructor.name" uses a forbidden name'],
    ["a malformed condition", [{ id: "a", action: "transform", condition: "input.n >" }], "workflow.steps[0].condition: unexpected end of expression; expected a value at column 10"],
    ["a hostile condition", [{ id: "a", action: "transform", condition: 'constructor.constructor("return process")()' }], 'workflow.steps[0].condition: "constructor" cannot be read at column 1'],
    ["an unknown name in a condition", [{ id: "a", action: "transform", condition: "process.env.X" }], 'workflow.steps[0].condition: unknown name "process" at column 1: use input, config, steps or a step\'s output name'],
    ["a template-style condition with two placeholders", [{ id: "a", action: "transform", condition: "${input.n} > ${input.n}" }], "write paths directly"],
    ["an action that is neither slug.action nor a built-in", [{ id: "a", action: "rm -rf" }], "workflow.steps[0].action: expected <capability-slug>.<action-id> or a built-in step (transform, validate, condition)"],
    ["a workflow calling itself", [{ id: "a", action: "wf-test.run" }], "workflow.steps[0].action: a workflow cannot call itself"],
    ["a condition step without if", [{ id: "a", action: "condition" }], "workflow.steps[0].if: a condition step needs `if`: an expression"],
    ["a condition step whose if is not text", [{ id: "a", action: "condition", inputs: { if: 3 } }], "workflow.steps[0].inputs.if: expected an expression (text)"],
    ["a validate step without value", [{ id: "a", action: "validate", inputs: { schema: { type: "string" } } }], "workflow.steps[0].inputs: a validate step needs `value` (what to check) and `schema`"],
    ["a validate step with a bad literal schema", [{ id: "a", action: "validate", inputs: { value: 1, schema: { type: "text", $ref: "#/x" } } }], "workflow.steps[0].inputs.schema.type: expected one of string, number, integer, boolean, object, array, null (or a list of them)"],
    ["fallback without a value", [{ id: "a", action: "x.y", on_error: "fallback" }], "workflow.steps[0].fallback: on_error: fallback needs a fallback value"],
    ["a prototype step id", [{ id: "__proto__", action: "transform" }], 'workflow.steps[0].id: "__proto__" cannot be a step id'],
    ["a reserved output name", [{ id: "a", action: "transform", output: "input" }], 'workflow.steps[0].output: "input" is reserved'],
    ["an output name used twice", [{ id: "a", action: "transform", output: "x" }, { id: "b", action: "transform", output: "x" }], 'workflow.steps[1].output: output name "x" is already used by step "a"'],
  ])("%s", (_label, steps, expected) => {
    expect(messages(workflow(steps)).some((m) => m.includes(expected))).toBe(true);
  });

  test("every problem is reported, not just the first", () => {
    const problems = messages(
      workflow([
        { id: "a", action: "transform", inputs: { x: "${steps.ghost.output}", y: "${input.nope}" } },
        { id: "b", action: "bad action" },
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  test("a manifest that is not a workflow is refused", () => {
    const code = ManifestSchema.parse({ type: "code", slug: "c", name: "C", version: "1.0.0", source: "export default { actions: {} }" });
    expect(validateWorkflow(code)).toEqual([{ path: "type", message: "not a workflow" }]);
  });
});

describe("plans", () => {
  const catalog = readSeedCatalog();
  const digest = catalog.find((e) => e.manifest.slug === "text-digest")!.manifest;

  test("the catalog's text-digest: three independent steps, then a transform that needs all three", () => {
    expect(validateWorkflow(digest)).toEqual([]);
    const { plan } = planWorkflow(digest);
    expect(plan!.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["stats", []],
      ["render", []],
      ["checksum", []],
      ["result", ["stats", "render", "checksum"]],
    ]);
    expect(plan!.sinks).toEqual(["result"]);
  });

  test("every workflow of the seed catalog is valid", () => {
    const workflows = catalog.filter((e) => e.manifest.type === "workflow");
    expect(workflows.length).toBeGreaterThan(0);
    for (const w of workflows) expect(validateWorkflow(w.manifest), w.file).toEqual([]);
  });

  test("the seed document's invoice workflow: output names and `trigger` make its data flow a DAG", () => {
    const report = checkManifestText(readFileSync(path.resolve("tests/fixtures/manifests/invoice-processor.yaml"), "utf8"));
    expect(report.valid).toBe(true);
    expect(validateWorkflow(report.manifest!)).toEqual([]);
    expect(workflowGraph(report.manifest!).map((n) => [n.id, n.dependsOn])).toEqual([
      ["extract", []],
      ["analyze", ["extract"]],
      ["validate", ["analyze"]],
      ["store", ["validate"]],
      ["notify", ["analyze"]],
    ]);
  });

  test("implied dependencies are in the graph; steps come after what they need", () => {
    const m = workflow([
      { id: "report", action: "transform", inputs: { a: "${steps.a.output}", b: "${b_out}" } },
      { id: "b", action: "x.y", output: "b_out", depends_on: ["a"] },
      { id: "a", action: "x.y" },
    ]);
    expect(workflowGraph(m)).toEqual([
      { id: "report", action: "transform", builtin: true, dependsOn: ["b", "a"] },
      { id: "b", action: "x.y", builtin: false, dependsOn: ["a"] },
      { id: "a", action: "x.y", builtin: false, dependsOn: [] },
    ]);
    expect(planWorkflow(m).plan!.steps.map((s) => s.id)).toEqual(["a", "b", "report"]);
  });

  test("the graph of a workflow that cannot be planned falls back to depends_on", () => {
    const m = workflow([
      { id: "a", action: "x.y", depends_on: ["b"] },
      { id: "b", action: "x.y", depends_on: ["a"] },
    ]);
    expect(workflowGraph(m).map((n) => n.dependsOn)).toEqual([["b"], ["a"]]);
  });
});

describe("the JSON-schema subset", () => {
  const schema = {
    type: "object",
    title: "An invoice",
    required: ["number", "amount"],
    properties: {
      number: { type: "string", minLength: 3, maxLength: 5 },
      amount: { type: "number", minimum: 0, maximum: 1000 },
      count: { type: "integer" },
      currency: { enum: ["EUR", "USD"] },
      lines: { type: "array", items: { type: ["string", "null"] } },
    },
  };

  test("a good value passes", () => {
    expect(checkSchema(schema)).toEqual([]);
    expect(validateAgainstSchema({ number: "ÀBC", amount: 0, count: 2, currency: "EUR", lines: ["x", null] }, schema as never)).toEqual([]);
  });

  test("every problem comes with its path", () => {
    const problems = validateAgainstSchema({ number: "ab", amount: 2000, count: 1.5, currency: "GBP", lines: [1], "odd key": 1 }, schema as never);
    expect(problems).toEqual([
      { path: "value.number", message: "must be at least 3 characters" },
      { path: "value.amount", message: "must be ≤ 1000" },
      { path: "value.count", message: "expected integer, got number" },
      { path: "value.currency", message: 'expected one of "EUR", "USD"' },
      { path: "value.lines[0]", message: "expected string or null, got number" },
    ]);
    expect(validateAgainstSchema({}, schema as never).map((p) => p.path)).toEqual(["value.number", "value.amount"]);
    expect(validateAgainstSchema([], schema as never)).toEqual([{ path: "value", message: "expected object, got array" }]);
  });

  test("inherited properties do not satisfy `required`, and getters never run", () => {
    let ran = false;
    const value = Object.defineProperty({}, "number", {
      enumerable: true,
      get() {
        ran = true;
        return "abcd";
      },
    });
    expect(validateAgainstSchema(value, { required: ["number", "toString"] })).toEqual([
      { path: "value.number", message: "is required" },
      { path: "value.toString", message: "is required" },
    ]);
    expect(ran).toBe(false);
  });

  test("unsupported keywords and bad shapes are refused, not ignored", () => {
    expect(checkSchema({ type: "string", pattern: "^a", properties: { x: { minimum: "1" } }, required: "x" }).map((p) => p.path)).toEqual([
      "schema.pattern",
      "schema.properties.x.minimum",
      "schema.required",
    ]);
    expect(checkSchema("string")).toEqual([{ path: "schema", message: "a schema must be an object" }]);
  });

  test("a deeply nested schema is bounded", () => {
    let s: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 1000; i++) s = { items: s };
    expect(checkSchema(s)[0]?.message).toContain("nested more than");
  });

  test("problems are capped", () => {
    const many = Array.from({ length: 500 }, (_, i) => i);
    expect(validateAgainstSchema(many, { items: { type: "string" } })).toHaveLength(50);
  });
});

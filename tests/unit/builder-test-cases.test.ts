// The Test step's pure parts: saved test cases ↔ manifest examples (both ways, and the
// result is a manifest the registry accepts), the strict comparison and its diff, and the
// form generated from an action's inputs.
import { describe, expect, test } from "vitest";
import { diffJson, jsonEquals } from "@/lib/builder/test/compare";
import { draftActions, draftConfigFields, formValuesToInput, inputToFormValues, parseInputJson } from "@/lib/builder/test/draft-actions";
import { testRunBody } from "@/lib/builder/test/run-types";
import { examplesToTestCases, newTestCaseId, parseTestCases, testCasesToExamples, TestCaseSchema, type TestCase } from "@/lib/builder/test/test-cases";
import { validateManifest } from "@/lib/registry/parse-manifest";

const cases: TestCase[] = [
  { id: "tc_1", name: "ten km", action: "convert", input: { km: 10 }, expected: { miles: 6.21 }, config: { UNIT: "mi" } },
  { id: "tc_2", name: "  ", action: "convert", input: { km: 0 } },
];

describe("test cases ↔ examples", () => {
  test("test cases become examples with input and expected_output; config and ids stay in the builder", () => {
    expect(testCasesToExamples(cases)).toEqual([
      { action: "convert", name: "ten km", input: { km: 10 }, expected_output: { miles: 6.21 } },
      { action: "convert", input: { km: 0 } },
    ]);
  });

  test("examples become test cases; an example without action gets the default action", () => {
    const back = examplesToTestCases([{ name: "ten km", action: "convert", input: { km: 10 }, expected_output: { miles: 6.21 } }, { input: { km: 1 } }], "convert");
    expect(back).toEqual([
      { id: "ex-1", name: "ten km", action: "convert", input: { km: 10 }, expected: { miles: 6.21 } },
      { id: "ex-2", name: "Example 2", action: "convert", input: { km: 1 } },
    ]);
    for (const c of back) expect(TestCaseSchema.safeParse(c).success).toBe(true);
    expect(examplesToTestCases(undefined)).toEqual([]);
  });

  test("a round trip keeps action, input and expected; false and null expectations survive", () => {
    const withFalsy: TestCase[] = [{ id: "a", name: "null out", action: "x", input: {}, expected: null }, { id: "b", name: "false out", action: "x", input: { q: 1 }, expected: false }];
    const back = examplesToTestCases(testCasesToExamples(withFalsy));
    expect(back.map(({ action, input, expected }) => ({ action, input, expected }))).toEqual(withFalsy.map(({ action, input, expected }) => ({ action, input, expected })));
  });

  test("the examples are accepted by the registry's manifest validation", () => {
    const report = validateManifest({
      type: "code",
      slug: "km",
      name: "Km",
      version: "1.0.0",
      actions: [{ id: "convert", inputs: [{ name: "km", type: "number" }] }],
      source: "export default { actions: { convert: (i) => i } };",
      examples: testCasesToExamples(cases),
    });
    expect(report.errors).toEqual([]);
    expect(report.manifest?.examples[0]).toMatchObject({ name: "ten km", expected_output: { miles: 6.21 } });
  });

  test("a test case never keeps secrets, even when handed some", () => {
    const parsed = TestCaseSchema.parse({ id: "x", name: "n", action: "a", input: {}, secrets: { API_KEY: "sk-1234" }, config: { REGION: "eu" } });
    expect(parsed).toEqual({ id: "x", name: "n", action: "a", input: {}, config: { REGION: "eu" } });
    expect(JSON.stringify(testCasesToExamples([parsed]))).not.toContain("sk-1234");
  });

  test("the run request leaves out empty config and secrets", () => {
    expect(testRunBody({ manifest: { a: 1 }, action: "run", input: { q: 1 }, config: { A: "", B: false }, secrets: { K: "" } })).toEqual({ manifest: { a: 1 }, action: "run", input: { q: 1 }, config: { B: false } });
    expect(testRunBody({ manifest: null, action: "run", input: {}, secrets: { K: "v-1234" } })).toEqual({ manifest: null, action: "run", input: {}, secrets: { K: "v-1234" } });
  });

  test("stored test cases are parsed tolerantly; new ids are unique", () => {
    expect(parseTestCases([cases[0], { id: 3 }, "x", { id: "tc_9", name: "n", action: "a" }])).toEqual([cases[0], { id: "tc_9", name: "n", action: "a", input: {} }]);
    expect(parseTestCases(null)).toEqual([]);
    const ids = new Set(Array.from({ length: 100 }, newTestCaseId));
    expect(ids.size).toBe(100);
    expect([...ids][0]).toMatch(/^tc_[0-9a-f]{16}$/);
  });
});

describe("comparison with the expected output", () => {
  test("deep equality: key order ignored, extra keys and array lengths count, numbers within 1e-9", () => {
    expect(jsonEquals({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(jsonEquals({ miles: 6.21 }, { miles: 6.21 + 1e-12 })).toBe(true);
    expect(jsonEquals({ miles: 6.21 }, { miles: 6.22 })).toBe(false);
    expect(jsonEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEquals([1, 2], [1, 2, 3])).toBe(false);
    expect(jsonEquals(null, undefined)).toBe(false);
    expect(jsonEquals("1", 1)).toBe(false);
  });

  test("the diff names each difference with its path", () => {
    expect(diffJson({ miles: 6.21, unit: "mi", list: [1, 2], "odd key": 1 }, { miles: 6.2, list: [1], extra: true, "odd key": 1 })).toEqual([
      { path: "output.miles", kind: "changed", expected: 6.21, actual: 6.2 },
      { path: "output.unit", kind: "missing", expected: "mi" },
      { path: "output.list[1]", kind: "missing", expected: 2 },
      { path: "output.extra", kind: "unexpected", actual: true },
    ]);
    expect(diffJson({ "a b": 1 }, { "a b": 2 })[0]!.path).toBe('output["a b"]');
    expect(diffJson(1, { a: 1 })).toEqual([{ path: "output", kind: "changed", expected: 1, actual: { a: 1 } }]);
  });
});

describe("the generated input form", () => {
  const manifest = {
    type: "api-connector",
    actions: [{ id: "search", name: "Search things" }],
    endpoints: [{ id: "search", inputs: { q: "string", limit: { type: "integer", default: 10 } } }],
    configuration: [{ key: "API_KEY", type: "secret", default: "leak" }, { key: "REGION", label: "Region", default: "eu" }, { key: "" }],
  };

  test("actions come from endpoints (names from actions) or actions; inputs as a map or a list", () => {
    expect(draftActions(manifest)).toEqual([
      { id: "search", name: "Search things", inputs: [{ name: "q", type: "string", required: false }, { name: "limit", type: "integer", required: false, default: 10 }] },
    ]);
    expect(draftActions({ actions: [{ id: "run", inputs: [{ name: "on", type: "boolean", required: true }, { name: 5 }] }, { id: "run" }] })).toEqual([
      { id: "run", name: "run", inputs: [{ name: "on", type: "boolean", required: true }] },
    ]);
    expect(draftActions(null)).toEqual([]);
  });

  test("configuration fields: secrets never carry a default", () => {
    expect(draftConfigFields(manifest)).toEqual([
      { key: "API_KEY", label: "API_KEY", type: "secret", required: false },
      { key: "REGION", label: "Region", type: "string", required: false, default: "eu" },
    ]);
  });

  test("form values ↔ input: typed parsing, defaults, empty optional fields left out, problems per field", () => {
    const fields = [
      { name: "s", type: "string" as const, required: true },
      { name: "n", type: "number" as const, required: false },
      { name: "i", type: "integer" as const, required: false, default: 3 },
      { name: "b", type: "boolean" as const, required: false },
      { name: "o", type: "object" as const, required: false },
      { name: "a", type: "array" as const, required: false },
    ];
    const values = inputToFormValues(fields, { s: "hi", o: { x: 1 } });
    expect(values).toEqual({ s: "hi", n: "", i: "3", b: false, o: '{\n  "x": 1\n}', a: "" });
    expect(formValuesToInput(fields, values)).toEqual({ input: { s: "hi", i: 3, b: false, o: { x: 1 } }, errors: {} });
    expect(formValuesToInput(fields, { s: "", n: "abc", i: "2.5", b: true, o: "[1]", a: "{" }).errors).toEqual({
      s: "Required",
      n: "Enter a number",
      i: "Enter a whole number",
      o: "Enter a JSON object",
      a: "Not valid JSON",
    });
  });

  test("raw JSON input must be an object", () => {
    expect(parseInputJson('{"km": 10}')).toEqual({ input: { km: 10 } });
    expect(parseInputJson("")).toEqual({ input: {} });
    expect(parseInputJson("[1]").error).toMatch(/object/);
    expect(parseInputJson("{").error).toMatch(/Not valid JSON/);
  });
});

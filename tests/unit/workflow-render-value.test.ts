// renderValue: the type-keeping template renderer of workflow step inputs.
import { describe, expect, test } from "vitest";
import { readPath, type PathSegment } from "@/lib/execution/templates/parse-path";
import { collectPlaceholders, renderValue } from "@/lib/execution/templates/render-value";
import { TemplateError } from "@/lib/execution/templates/template-error";

const data = { input: { n: 3, obj: { a: [1, 2] }, nothing: null, text: "hi" } };
const resolve = (path: PathSegment[]) => readPath(data, path);

describe("renderValue", () => {
  test("a lone placeholder keeps its JSON type; other strings interpolate", () => {
    expect(renderValue({ n: "${input.n}", o: "${input.obj}", z: "${input.nothing}", s: "n=${input.n} o=${input.obj}", lit: [true, 1.5, null] }, resolve)).toEqual({
      n: 3,
      o: { a: [1, 2] },
      z: null,
      s: 'n=3 o={"a":[1,2]}',
      lit: [true, 1.5, null],
    });
  });

  test("a missing value leaves its key out, is null in a list, empty in text, undefined alone", () => {
    const out = renderValue({ gone: "${input.nope}", list: ["${input.nope}", "${input.n}"], text: "[${input.nope}]" }, resolve) as Record<string, unknown>;
    expect(out).toEqual({ list: [null, 3], text: "[]" });
    expect(Object.hasOwn(out, "gone")).toBe(false);
    expect(renderValue("${input.nope}", resolve)).toBeUndefined();
  });

  test("values are copies and a __proto__ key stays an ordinary key", () => {
    const out = renderValue(JSON.parse('{"__proto__": {"polluted": true}, "o": "${input.obj}"}'), resolve) as Record<string, any>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    out.o.a.push(99);
    expect(data.input.obj.a).toEqual([1, 2]);
  });

  test("only plain JSON templates, bounded depth", () => {
    expect(() => renderValue({ d: new Date() }, resolve)).toThrow(TemplateError);
    expect(() => renderValue({ f: () => 1 }, resolve)).toThrow(TemplateError);
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => renderValue(deep, resolve)).toThrow(/nested too deeply/);
  });

  test("collectPlaceholders names where each placeholder is", () => {
    expect(collectPlaceholders({ a: "${input.n}", b: ["x {{y}}", { c: "${steps.s.output.v[0]}" }] }, "step.inputs")).toEqual([
      { where: "step.inputs.a", path: ["input", "n"], shorthand: false },
      { where: "step.inputs.b[0]", path: ["y"], shorthand: true },
      { where: "step.inputs.b[1].c", path: ["steps", "s", "output", "v", 0], shorthand: false },
    ]);
    expect(() => collectPlaceholders({ a: "${input.__proto__}" })).toThrow(TemplateError);
  });
});

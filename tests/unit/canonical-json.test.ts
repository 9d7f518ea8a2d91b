import { describe, expect, test } from "vitest";
import { canonicalJson } from "../../lib/events/canonical-json";

describe("canonicalJson", () => {
  test("is stable under key order, at every depth", () => {
    const a = { b: 1, a: { y: [3, { q: 1, p: 2 }], x: "s" }, c: null };
    const b = { c: null, a: { x: "s", y: [3, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[3,{"p":2,"q":1}]},"b":1,"c":null}');
  });

  test("sorts keys by UTF-16 code units and escapes like JSON", () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, "\u2028": 4 })).toBe('{"A":3,"z":2,"é":1,"\u2028":4}');
    expect(canonicalJson("line\nbreak \"q\"")).toBe('"line\\nbreak \\"q\\""');
  });

  test("formats numbers as ECMAScript does and keeps array order", () => {
    expect(canonicalJson([1.0, 0.1 + 0.2, 1e21, -0, 5e-7])).toBe("[1,0.30000000000000004,1e+21,0,5e-7]");
  });

  test("drops undefined members, writes undefined array items as null, dates as ISO strings", () => {
    expect(canonicalJson({ a: undefined, b: [undefined], d: new Date("2026-01-02T03:04:05.678Z") })).toBe('{"b":[null],"d":"2026-01-02T03:04:05.678Z"}');
  });

  test("refuses values that have no stable JSON form", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
    expect(() => canonicalJson({ x: Infinity })).toThrow();
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  test("a repeated (non-cyclic) reference is fine", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});

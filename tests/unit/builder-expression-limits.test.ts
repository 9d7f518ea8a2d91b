// Resource limits of the expression language the visual builder's Transform and Condition
// nodes compile to (issue 7). Expressions run synchronously in the server process (workflow
// steps, the draft test endpoint), so one expression must not be able to hold the event loop
// or build a huge value from a large (1 MB) input: there are no loops, but one expression can
// repeat an expensive call hundreds of times in an array literal. Each test here names a
// hole that was found in lib/execution/workflows/expression.ts and is now closed (a work
// budget per evaluation, a serializer that stops at the size limit, min/max without spreading).
import { describe, expect, test, vi } from "vitest";
import { evaluate, ExpressionError, MAX_STRING_LENGTH } from "@/lib/execution/workflows/expression";

const MB = 1_000_000;
const big = "a".repeat(MB - 10);
const scope = () => ({ input: { s: big, o: { k: big }, arr: Array.from({ length: 300_000 }, (_, i) => i) } });
const list = (n: number, item: string) => `[${Array(n).fill(item).join(", ")}]`;

describe("one evaluation has a work budget", () => {
  test("len() of a large string repeated in an array literal is refused, not run for seconds", () => {
    // Was unbounded: 100 × len(1 MB) spread 100 arrays of a million code points.
    expect(() => evaluate(list(100, "len(input.s)"), scope())).toThrow(ExpressionError);
  });

  test("strings built by functions count: 50 upper-cased copies of a large input are refused", () => {
    // Was unbounded: 50 live 1 MB strings were built before anything was checked.
    expect(() => evaluate(`len(${list(50, "upper(input.s)")})`, scope())).toThrow(ExpressionError);
  });

  test("a few operations on a large input still work", () => {
    expect(evaluate("len(input.s) + len(trim(input.s)) + len(string(input.o))", scope())).toBe(3 * MB - 30 + 8);
    expect(evaluate("contains(input.s, 'b') || startsWith(input.s, 'aaa')", scope())).toBe(true);
  });
});

describe("values are measured while they are serialized", () => {
  test("many references to a large input are refused before a huge text is built", () => {
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      expect(() => evaluate(list(50, "input.s"), scope())).toThrow(/longer than/);
      // JSON.stringify used to build all 50 MB before the length was checked.
      const longest = Math.max(0, ...stringify.mock.results.map((r) => (r.type === "return" && typeof r.value === "string" ? r.value.length : 0)));
      expect(longest).toBeLessThanOrEqual(MAX_STRING_LENGTH);
    } finally {
      stringify.mockRestore();
    }
  });

  test("a result under the limit is still returned whole", () => {
    expect(evaluate("[input.s]", scope())).toEqual([big]);
  });
});

describe("min and max over long arrays", () => {
  test("answer, or fail as an ExpressionError, never with a host RangeError", () => {
    // Math.min(...list) overflowed the stack for 300 000 items: "Maximum call stack size exceeded".
    expect(evaluate("min(input.arr)", scope())).toBe(0);
    expect(evaluate("max(input.arr)", scope())).toBe(299_999);
  });
});

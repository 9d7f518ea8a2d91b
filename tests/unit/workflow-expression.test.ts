// The workflow expression language: precedence, paths, functions, errors with positions,
// and hostile expressions that try to reach globals or prototypes.
import { describe, expect, test } from "vitest";
import {
  evaluate,
  evaluateExpression,
  expressionReferences,
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
} from "@/lib/execution/workflows/expression";

const scope = {
  input: { n: 5, name: "Ada", tags: ["a", "b"], obj: { k: 1, nested: { v: [10, 20] } }, empty: "", zero: 0, nothing: null, ü: "x", list: [{ id: 7 }], u: "ü" },
  config: { KEY: "value", LIMIT: 3 },
  steps: { extract: { output: { text: "hello world", count: 2, items: [{ id: 1 }, { id: 2 }] }, status: "succeeded" }, failed: { output: null, status: "failed" } },
};

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw new Error(`expected an ExpressionError, got ${String(err)}`);
  }
  throw new Error("expected an ExpressionError, got a value");
}

describe("operators and precedence", () => {
  test.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["2 * 3 % 4", 2],
    ["-2 * 3", -6],
    ["- -2", 2],
    ["7 / 2", 3.5],
    ["1 + 2 == 3", true],
    ["1 < 2 == true", true],
    ["!false && false", false],
    ["!(false && false)", true],
    ["true || false && false", true],
    ["(true || false) && false", false],
    ["1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4", false],
    ['"b" > "a"', true],
    ['"a" + 1 + 2', "a12"],
    ["1 + 2 + 'a'", "3a"],
    ["null || 'default'", "default"],
    ["0 && input.n", 0],
    ["input.name && input.n", 5],
    ["1e3 + 0.5", 1000.5],
    ["'it\\'s' + \"\\n\"", "it's\n"],
    ["'\\u00e9'", "é"],
  ])("%s → %j", (source, expected) => {
    expect(evaluate(source, scope)).toEqual(expected);
  });

  test("== is deep and never coerces", () => {
    expect(evaluate('1 == "1"', scope)).toBe(false);
    expect(evaluate("0 == false", scope)).toBe(false);
    expect(evaluate("null == input.nothing", scope)).toBe(true);
    expect(evaluate("[1, [2, 3]] == [1, [2, 3]]", scope)).toBe(true);
    expect(evaluate("input.obj.nested == input.obj.nested", scope)).toBe(true);
    expect(evaluate("input.tags != ['a', 'b']", scope)).toBe(false);
    expect(evaluate("input.n === 5 && input.n !== 6", scope)).toBe(true);
  });

  test("in: arrays by value, object keys, substrings", () => {
    expect(evaluate("'a' in input.tags", scope)).toBe(true);
    expect(evaluate("'z' in input.tags", scope)).toBe(false);
    expect(evaluate("'k' in input.obj", scope)).toBe(true);
    expect(evaluate("'toString' in input.obj", scope)).toBe(false);
    expect(evaluate("'__proto__' in input.obj", scope)).toBe(false);
    expect(evaluate("'world' in steps.extract.output.text", scope)).toBe(true);
    expect(evaluate("[1] in [[1], [2]] && !([3] in [])", scope)).toBe(true);
    expect(evaluate("'x' in input.nothing", scope)).toBe(false);
  });

  test("truthiness: null, false, 0 and empty text are false", () => {
    expect(evaluate("!input.empty && !input.zero && !input.nothing && !input.missing", scope)).toBe(true);
    expect(evaluate("!!input.tags && !![] ", scope)).toBe(true);
  });
});

describe("paths", () => {
  test("dots, brackets and indexes read plain data", () => {
    expect(evaluate("input.obj.nested.v[1]", scope)).toBe(20);
    expect(evaluate("steps.extract.output.items[1].id", scope)).toBe(2);
    expect(evaluate("config['KEY']", scope)).toBe("value");
    expect(evaluate('input["ü"]', scope)).toBe("x");
    expect(evaluate("input.tags[input.n - 4]", scope)).toBe("b");
    expect(evaluate("steps.extract.status", scope)).toBe("succeeded");
  });

  test("a missing path reads as null, also below a null", () => {
    expect(evaluate("input.missing", scope)).toBeNull();
    expect(evaluate("input.missing.deeper[3].x", scope)).toBeNull();
    expect(evaluate("steps.failed.output.text", scope)).toBeNull();
    expect(evaluate("input.tags[5]", scope)).toBeNull();
    expect(evaluate("input.tags[-1]", scope)).toBeNull();
    expect(evaluate("input.name.length", scope)).toBeNull();
    expect(evaluate("input.tags.length", scope)).toBeNull();
  });

  test("the result is a copy that shares nothing with the scope", () => {
    const result = evaluate("input.obj", scope) as { nested: { v: number[] } };
    result.nested.v[0] = 99;
    expect(scope.input.obj.nested.v[0]).toBe(10);
  });
});

describe("functions", () => {
  test.each([
    ["len('héllo')", 5],
    ["len('👍🏽')", 2],
    ["len(input.tags)", 2],
    ["len(input.obj)", 2],
    ["len(input.nothing)", 0],
    ["lower('ÀB') + upper('c')", "àbC"],
    ["trim('  x ')", "x"],
    ["contains(steps.extract.output.text, 'world')", true],
    ["contains(input.tags, 'c')", false],
    ["startsWith(input.name, 'A') && endsWith(input.name, 'a')", true],
    ["number('12.5') + number(true)", 13.5],
    ["string(3) + string(null) + string(input.tags)", '3["a","b"]'],
    ["round(2.5) + floor(1.9) + ceil(0.1) + abs(-1)", 6],
    ["min(3, 1, 2) + max(input.obj.nested.v)", 21],
  ])("%s → %j", (source, expected) => {
    expect(evaluate(source, scope)).toEqual(expected);
  });
});

describe("errors name their position", () => {
  test.each([
    ["1 +", "unexpected end of expression", 3],
    ["input.n = 5", "use == to compare", 8],
    ["input.n & 1", "use && or ||", 8],
    ["'abc", "unterminated string", 0],
    ["nope(1)", "unknown function nope()", 0],
    ["len()", "len() takes 1 argument", 0],
    ["1 < 2 < 3", "cannot be chained", 6],
    ["a == b == c", "cannot be chained", 7],
    ["(1 + 2", 'expected ")"', 6],
    ["input.", "expected a property name", 6],
    ["1.x", "invalid number", 0],
    ["'\\q'", "unknown escape", 1],
    ["", "empty", 0],
    ["input.tags)", "expected an operator or the end", 10],
  ])("%j", (source, message, position) => {
    const err = errorOf(() => parseExpression(source));
    expect(err.message).toContain(message);
    expect(err.position).toBe(position);
    expect(err.message).toContain(`at column ${position + 1}`);
  });

  test.each([
    ["1 < 'a'", "cannot compare number with string", 2],
    ["input.n + input.tags", "cannot add number and array", 8],
    ["'x' - 1", "needs numbers", 4],
    ["input.n / (input.n - 5)", "division by zero", 8],
    ["unknown.x", "unknown name unknown", 0],
    ["-input.name", "cannot negate string", 0],
    ["upper(input.n)", "upper() expects a string", 0],
    ["input.tags[input.obj]", "a property key must be a string or an integer", 10],
    ["number('12abc')", "cannot convert", 0],
    ["9e307 * 10", "not finite", 6],
  ])("evaluation error %j", (source, message, position) => {
    const err = errorOf(() => evaluate(source, scope));
    expect(err.message).toContain(message);
    expect(err.position).toBe(position);
  });
});

describe("hostile expressions reach no global and no prototype", () => {
  const hostileScope = () => ({
    input: {
      k: "__proto__",
      c: "constructor",
      fn: () => "host function",
      date: new Date(0),
      map: new Map([["a", 1]]),
      get trap() {
        throw new Error("getter ran");
      },
      obj: {},
    },
  });

  test.each([
    'constructor.constructor("return process")()',
    'this.constructor.constructor("return process")()',
    "input.constructor",
    'input["constructor"]',
    "input.__proto__",
    'input["__proto__"]',
    'input["__proto__"].polluted',
    "input.obj.__proto__.polluted",
    "input.prototype",
    'input["\\u005f_proto__"]',
    "[].constructor",
    "'x'.constructor",
    "input.fn()",
    "input.toString()",
    "toString()",
    "eval('1')",
    "Function('return 1')",
    "require('fs')",
    "import('fs')",
    "input.obj?.x",
    "`template`",
    "input => 1",
    "x = 1",
    "{}",
    "input; process",
    "new Date()",
  ])("refused before running: %s", (source) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
  });

  test.each([
    ["input[input.k]", ExpressionError],
    ["input.obj[input.c]", ExpressionError],
    ["input['__pro' + 'to__']", ExpressionError],
    ["this", ExpressionError],
    ["process.env", ExpressionError],
    ["globalThis", ExpressionError],
    ["globalThis.process", ExpressionError],
  ])("refused while running: %s", (source, kind) => {
    expect(() => evaluate(source, hostileScope())).toThrow(kind);
  });

  test.each([
    ["input.toString", null],
    ["input.hasOwnProperty", null],
    ["input.valueOf", null],
    ["input.obj.toString", null],
    ["input.fn", null],
    ["len(input.fn)", 0],
    ["input.date.getTime", null],
    ["input.date", null],
    ["input.map.a", null],
    ["input.trap", null],
    ["input.tags.map", null],
    ["string(input.fn)", ""],
    ["'__proto__' in input", false],
    ["'toString' in input", false],
  ])("inherited members, host objects and getters read as plain nothing: %s", (source, expected) => {
    expect(evaluate(source, hostileScope())).toEqual(expected);
  });

  test("nothing was polluted", () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  test.each([
    ["\u0456nput.n", "U+0456"], // Cyrillic і that looks like i
    ["input\u200B.n", "U+200B"], // zero-width space
    ["input.n\u00A0== 5", "U+00A0"], // no-break space
    ["\u202Einput.n", "U+202E"], // right-to-left override
    ["\uFF49nput.n", "U+FF49"], // full-width i
    ["input.n \uFF1D= 5", "U+FF1D"], // full-width =
    ["input.n \u2215 1", "U+2215"], // division slash
  ])("Unicode look-alikes and invisible characters are syntax errors: %j", (source, code) => {
    const err = errorOf(() => parseExpression(source));
    expect(err.message).toContain(`unexpected character ${code}`);
  });

  test("Unicode inside strings is just data", () => {
    expect(evaluate("input.u == 'ü'", scope)).toBe(true);
    expect(evaluate("'\u202Ex' == 'x'", scope)).toBe(false);
  });

  test("very long and deeply nested sources fail cleanly", () => {
    expect(errorOf(() => parseExpression("1+".repeat(MAX_EXPRESSION_LENGTH) + "1")).message).toContain("longer than");
    expect(errorOf(() => parseExpression("(".repeat(1500) + "1" + ")".repeat(1500))).message).toContain("nested too deeply");
    expect(errorOf(() => parseExpression("!".repeat(4000) + "true")).message).toContain("nested too deeply");
    expect(errorOf(() => parseExpression("-".repeat(4000) + "1")).message).toContain("nested too deeply");
    expect(errorOf(() => parseExpression("[".repeat(2000) + "]".repeat(2000))).message).toContain("nested too deeply");
    expect(errorOf(() => parseExpression("len(".repeat(500) + "1" + ")".repeat(500))).message).toContain("nested too deeply");
    expect(errorOf(() => parseExpression("1" + "+1".repeat(1000))).message).toContain("too deeply nested");
    expect(errorOf(() => parseExpression("input" + ".a".repeat(1000))).message).toContain("too deeply nested");
  });

  test("deeply nested data cannot exhaust the stack", () => {
    const build = () => {
      const root: Record<string, unknown> = {};
      let deep = root;
      for (let i = 0; i < 100_000; i++) {
        const next = {};
        deep.a = next;
        deep = next;
      }
      return root;
    };
    const s = { input: { deep: build(), other: build() } };
    expect(evaluate("input.deep.a.a.a != null", s)).toBe(true);
    expect(errorOf(() => evaluate("input.deep == input.other", s)).message).toContain("nested too deeply");
    expect(() => evaluate("input.deep", s)).toThrow(ExpressionError);
  });

  test("strings cannot be grown without bound", () => {
    const s = { input: { big: "x".repeat(600_000) } };
    expect(errorOf(() => evaluate("input.big + input.big", s)).message).toContain("longer than");
  });
});

describe("references", () => {
  test("every path read, up to the first computed key", () => {
    const tree = parseExpression("steps.a.output.x > 1 && steps['b'].output == input.y[0].z || steps[input.k].output || len(config.K)");
    expect(expressionReferences(tree).map((r) => ({ path: r.path, dynamic: r.dynamic }))).toEqual([
      { path: ["steps", "a", "output", "x"], dynamic: false },
      { path: ["steps", "b", "output"], dynamic: false },
      { path: ["input", "y", 0, "z"], dynamic: false },
      { path: ["input", "k"], dynamic: false },
      { path: ["steps"], dynamic: true },
      { path: ["config", "K"], dynamic: false },
    ]);
  });

  test("a parsed tree can be evaluated many times", () => {
    const tree = parseExpression("input.n * 2");
    expect(evaluateExpression(tree, { input: { n: 2 } })).toBe(4);
    expect(evaluateExpression(tree, { input: { n: 3 } })).toBe(6);
  });
});

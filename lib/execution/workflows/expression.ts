// A small expression language over plain data, for workflow conditions (and, later, the
// visual builder's Transform node). Our own tokenizer, parser and tree-walking evaluator:
// it never uses eval, Function or any host object.
//
//   literals   12  1.5e3  "text"  'text'  true  false  null  [1, "a"]
//   paths      input.a.b   steps.x.output.items[0]   config["KEY"]
//   operators  || && (return an operand, as in JS)   == != (deep, no coercion)
//              < <= > >= (numbers or strings)   in   + - * / %   ! and unary -   ( )
//   functions  len lower upper trim contains startsWith endsWith number string
//              abs round floor ceil min max
//
// Safety rules: the only names are the scope's own keys and the functions above; a
// property access reads own data properties of plain objects and arrays only (never an
// inherited member or a getter; `__proto__`, `constructor` and `prototype` are refused);
// only named functions can be called; anything that is not plain data reads as null;
// source length, nesting, tree depth and string sizes are bounded. Identifiers are ASCII,
// so look-alike Unicode letters and invisible characters are syntax errors. Every error
// names its position. This module imports nothing so it can be reused anywhere.

export const MAX_EXPRESSION_LENGTH = 4096;
/** Parentheses, brackets, calls and unary operators nested inside each other. */
export const MAX_NESTING = 32;
/** Depth of the syntax tree (bounds the evaluator's recursion). */
export const MAX_TREE_DEPTH = 64;
/** Longest string an expression may build (characters). */
export const MAX_STRING_LENGTH = 1_000_000;
const MAX_VALUE_DEPTH = 64;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

export class ExpressionError extends Error {
  /** 0-based offset in the source. */
  readonly position: number;
  /** The message without the position. */
  readonly reason: string;
  constructor(reason: string, position: number) {
    super(`${reason} at column ${position + 1}`);
    this.name = "ExpressionError";
    this.position = position;
    this.reason = reason;
  }
}

type Literal = null | boolean | number | string;
export type BinaryOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "+" | "-" | "*" | "/" | "%";
export type ExpressionNode =
  | { kind: "literal"; value: Literal; pos: number; depth: number }
  | { kind: "array"; items: ExpressionNode[]; pos: number; depth: number }
  | { kind: "name"; name: string; pos: number; depth: number }
  | { kind: "member"; object: ExpressionNode; key: string | number | ExpressionNode; pos: number; depth: number }
  | { kind: "call"; fn: string; args: ExpressionNode[]; pos: number; depth: number }
  | { kind: "unary"; op: "!" | "-"; operand: ExpressionNode; pos: number; depth: number }
  | { kind: "logical"; op: "&&" | "||"; left: ExpressionNode; right: ExpressionNode; pos: number; depth: number }
  | { kind: "binary"; op: BinaryOperator; left: ExpressionNode; right: ExpressionNode; pos: number; depth: number };

// ---------------------------------------------------------------------------- tokens

type Token =
  | { type: "number"; value: number; pos: number }
  | { type: "string"; value: string; pos: number }
  | { type: "name"; value: string; pos: number }
  | { type: "op"; value: string; pos: number }
  | { type: "end"; pos: number };

const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATORS = ["===", "!==", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ".", ","];
const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', "/": "/", n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "0": "\0" };

function describeChar(source: string, i: number): string {
  const cp = source.codePointAt(i) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return cp >= 0x21 && cp <= 0x7e ? `"${String.fromCodePoint(cp)}"` : hex;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c >= "0" && c <= "9") {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source)!;
      const end = i + m[0].length;
      if (end < source.length && /[A-Za-z0-9_.]/.test(source[end]!)) throw new ExpressionError("invalid number", i);
      const value = Number(m[0]);
      if (!Number.isFinite(value)) throw new ExpressionError("number is too large", i);
      tokens.push({ type: "number", value, pos: i });
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError("unterminated string", start);
        const d = source[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d !== "\\") {
          value += d;
          i++;
          continue;
        }
        const e = source[i + 1];
        if (e === "u") {
          const hex = source.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ExpressionError("invalid \\u escape (expected 4 hex digits)", i);
          value += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = e === undefined ? undefined : ESCAPES[e];
        if (mapped === undefined || !Object.hasOwn(ESCAPES, e!)) throw new ExpressionError("unknown escape in string", i);
        value += mapped;
        i += 2;
      }
      tokens.push({ type: "string", value, pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      NAME.lastIndex = i;
      const m = NAME.exec(source)!;
      if (m[0].length > 128) throw new ExpressionError("name is too long", i);
      tokens.push({ type: "name", value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      // `===` and `!==` mean what `==` and `!=` mean here: comparisons never coerce.
      tokens.push({ type: "op", value: op === "===" ? "==" : op === "!==" ? "!=" : op, pos: i });
      i += op.length;
      continue;
    }
    if (c === "=") throw new ExpressionError('unexpected "="; use == to compare', i);
    if (c === "&" || c === "|") throw new ExpressionError(`unexpected "${c}"; use && or ||`, i);
    throw new ExpressionError(`unexpected character ${describeChar(source, i)}`, i);
  }
  tokens.push({ type: "end", pos: source.length });
  return tokens;
}

// ---------------------------------------------------------------------------- parser

type FunctionSpec = { min: number; max: number; fn: (args: unknown[], pos: number) => unknown };

class Parser {
  private index = 0;
  private nesting = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }
  private next(): Token {
    return this.tokens[this.index++]!;
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.type === "op" && t.value === value;
  }
  private expectOp(value: string, what: string): void {
    const t = this.peek();
    if (t.type !== "op" || t.value !== value) throw this.unexpected(t, `expected ${what}`);
    this.index++;
  }
  private unexpected(t: Token, hint?: string): ExpressionError {
    const found = t.type === "end" ? "end of expression" : t.type === "string" ? "a string" : t.type === "number" ? `number ${t.value}` : `"${t.value}"`;
    return new ExpressionError(`unexpected ${found}${hint ? `; ${hint}` : ""}`, t.pos);
  }
  private enter(pos: number): void {
    if (++this.nesting > MAX_NESTING) throw new ExpressionError(`expression is nested too deeply (max ${MAX_NESTING})`, pos);
  }
  private leave(): void {
    this.nesting--;
  }

  parse(): ExpressionNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.type !== "end") throw this.unexpected(t, "expected an operator or the end");
    return node;
  }

  private parseOr(): ExpressionNode {
    let left = this.parseAnd();
    while (this.isOp("||")) {
      const pos = this.next().pos;
      left = node({ kind: "logical", op: "||", left, right: this.parseAnd(), pos });
    }
    return left;
  }

  private parseAnd(): ExpressionNode {
    let left = this.parseEquality();
    while (this.isOp("&&")) {
      const pos = this.next().pos;
      left = node({ kind: "logical", op: "&&", left, right: this.parseEquality(), pos });
    }
    return left;
  }

  private parseEquality(): ExpressionNode {
    const left = this.parseComparison();
    if (!this.isOp("==") && !this.isOp("!=")) return left;
    const t = this.next() as { value: "==" | "!="; pos: number };
    const result = node({ kind: "binary", op: t.value, left, right: this.parseComparison(), pos: t.pos });
    if (this.isOp("==") || this.isOp("!=")) throw new ExpressionError("comparisons cannot be chained; combine them with && or ||", this.peek().pos);
    return result;
  }

  private comparisonOp(): "<" | "<=" | ">" | ">=" | "in" | null {
    const t = this.peek();
    if (t.type === "op" && ["<", "<=", ">", ">="].includes(t.value)) return t.value as "<" | "<=" | ">" | ">=";
    if (t.type === "name" && t.value === "in") return "in";
    return null;
  }

  private parseComparison(): ExpressionNode {
    const left = this.parseAdditive();
    const op = this.comparisonOp();
    if (!op) return left;
    const pos = this.next().pos;
    const result = node({ kind: "binary", op, left, right: this.parseAdditive(), pos });
    if (this.comparisonOp()) throw new ExpressionError("comparisons cannot be chained; combine them with && or ||", this.peek().pos);
    return result;
  }

  private parseAdditive(): ExpressionNode {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next() as { value: "+" | "-"; pos: number };
      left = node({ kind: "binary", op: t.value, left, right: this.parseMultiplicative(), pos: t.pos });
    }
    return left;
  }

  private parseMultiplicative(): ExpressionNode {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.next() as { value: "*" | "/" | "%"; pos: number };
      left = node({ kind: "binary", op: t.value, left, right: this.parseUnary(), pos: t.pos });
    }
    return left;
  }

  private parseUnary(): ExpressionNode {
    if (this.isOp("!") || this.isOp("-")) {
      const t = this.next() as { value: "!" | "-"; pos: number };
      this.enter(t.pos);
      const operand = this.parseUnary();
      this.leave();
      return node({ kind: "unary", op: t.value, operand, pos: t.pos });
    }
    return this.parsePostfix();
  }

  private parsePostfix(): ExpressionNode {
    let object = this.parsePrimary();
    for (;;) {
      if (this.isOp(".")) {
        this.index++;
        const t = this.next();
        if (t.type !== "name") throw this.unexpected(t, "expected a property name after '.'");
        object = node({ kind: "member", object, key: checkKey(t.value, t.pos), pos: t.pos });
        continue;
      }
      if (this.isOp("[")) {
        const pos = this.next().pos;
        this.enter(pos);
        const key = this.parseOr();
        this.leave();
        this.expectOp("]", '"]"');
        // A literal key is resolved now, so forbidden names are refused before anything runs.
        let resolved: string | number | ExpressionNode = key;
        if (key.kind === "literal" && typeof key.value === "string") resolved = checkKey(key.value, key.pos);
        else if (key.kind === "literal" && typeof key.value === "number") resolved = key.value;
        object = node({ kind: "member", object, key: resolved, pos });
        continue;
      }
      if (this.isOp("(")) throw new ExpressionError("only the built-in functions can be called", this.peek().pos);
      return object;
    }
  }

  private parsePrimary(): ExpressionNode {
    const t = this.next();
    if (t.type === "number" || t.type === "string") return node({ kind: "literal", value: t.value, pos: t.pos });
    if (t.type === "name") {
      if (t.value === "true" || t.value === "false") return node({ kind: "literal", value: t.value === "true", pos: t.pos });
      if (t.value === "null") return node({ kind: "literal", value: null, pos: t.pos });
      if (t.value === "in") throw this.unexpected(t);
      if (this.isOp("(")) return this.parseCall(t.value, t.pos);
      checkKey(t.value, t.pos);
      return node({ kind: "name", name: t.value, pos: t.pos });
    }
    if (t.type === "op" && t.value === "(") {
      this.enter(t.pos);
      const inner = this.parseOr();
      this.leave();
      this.expectOp(")", '")"');
      return inner;
    }
    if (t.type === "op" && t.value === "[") {
      this.enter(t.pos);
      const items: ExpressionNode[] = [];
      if (!this.isOp("]")) {
        for (;;) {
          items.push(this.parseOr());
          if (!this.isOp(",")) break;
          this.index++;
        }
      }
      this.leave();
      this.expectOp("]", '"," or "]"');
      return node({ kind: "array", items, pos: t.pos });
    }
    throw this.unexpected(t, "expected a value");
  }

  private parseCall(name: string, pos: number): ExpressionNode {
    const spec = FUNCTIONS.get(name);
    if (!spec) throw new ExpressionError(`unknown function ${name}(); known: ${[...FUNCTIONS.keys()].join(", ")}`, pos);
    this.index++; // "("
    this.enter(pos);
    const args: ExpressionNode[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        args.push(this.parseOr());
        if (!this.isOp(",")) break;
        this.index++;
      }
    }
    this.leave();
    this.expectOp(")", '"," or ")"');
    if (args.length < spec.min || args.length > spec.max) {
      const count = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
      throw new ExpressionError(`${name}() takes ${count} argument${spec.min === 1 && spec.max === 1 ? "" : "s"}, got ${args.length}`, pos);
    }
    return node({ kind: "call", fn: name, args, pos });
  }
}

function checkKey(key: string, pos: number): string {
  if (FORBIDDEN.has(key)) throw new ExpressionError(`"${key}" cannot be read`, pos);
  return key;
}

type NodeInput = ExpressionNode extends infer N ? (N extends ExpressionNode ? Omit<N, "depth"> : never) : never;

function node(n: NodeInput): ExpressionNode {
  const children: ExpressionNode[] =
    n.kind === "array" ? n.items
    : n.kind === "member" ? [n.object, ...(typeof n.key === "object" ? [n.key] : [])]
    : n.kind === "call" ? n.args
    : n.kind === "unary" ? [n.operand]
    : n.kind === "logical" || n.kind === "binary" ? [n.left, n.right]
    : [];
  const depth = 1 + children.reduce((d, c) => Math.max(d, c.depth), 0);
  if (depth > MAX_TREE_DEPTH) throw new ExpressionError(`expression is too deeply nested (max depth ${MAX_TREE_DEPTH})`, n.pos);
  return { ...n, depth } as ExpressionNode;
}

/** Parses an expression; throws ExpressionError with the position of the first problem. */
export function parseExpression(source: string): ExpressionNode {
  if (typeof source !== "string") throw new ExpressionError("an expression must be a string", 0);
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  if (!source.trim()) throw new ExpressionError("the expression is empty", 0);
  return new Parser(tokenize(source)).parse();
}

// ---------------------------------------------------------------------------- values

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** What the evaluator lets through: JSON-like data. Anything else (functions, class instances, symbols…) is null. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value) || isPlainObject(value)) return value;
  return null;
}

function ownData(object: object, key: string): unknown {
  // Own data properties only: no inherited member is visible and no getter ever runs.
  const d = Object.getOwnPropertyDescriptor(object, key);
  return d && "value" in d ? plain(d.value) : null;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

/** JS-like truthiness over data: null, false, 0 and "" are false; everything else (including [] and {}) is true. */
export function isTruthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === "" || (typeof v === "number" && Number.isNaN(v)));
}

/** Deep equality of JSON values (no coercion; object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) throw new RangeError("values are nested too deeply to compare");
  a = plain(a);
  b = plain(b);
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(ownData(a, k), ownData(b, k), depth + 1));
  }
  return false;
}

function fail(reason: string, pos: number): never {
  throw new ExpressionError(reason, pos);
}

function boundString(s: string, pos: number): string {
  if (s.length > MAX_STRING_LENGTH) fail(`string result is longer than ${MAX_STRING_LENGTH} characters`, pos);
  return s;
}

function finite(n: number, pos: number): number {
  if (!Number.isFinite(n)) fail("number result is not finite", pos);
  return n;
}

function equal(a: unknown, b: unknown, pos: number): boolean {
  try {
    return jsonEqual(a, b);
  } catch {
    return fail("values are nested too deeply to compare", pos);
  }
}

function readMember(object: unknown, key: unknown, pos: number): unknown {
  if (typeof key === "string") {
    if (FORBIDDEN.has(key)) fail(`"${key}" cannot be read`, pos);
  } else if (typeof key !== "number" || !Number.isInteger(key)) {
    fail(`a property key must be a string or an integer, not ${typeName(key)}`, pos);
  }
  if (Array.isArray(object)) {
    if (typeof key !== "number" || key < 0 || key >= object.length) return null;
    return ownData(object, String(key));
  }
  if (isPlainObject(object)) return ownData(object, String(key));
  // Strings, numbers and null have no readable properties (use len(), …): like ?. in JS.
  return null;
}

function toNumber(v: unknown, fn: string, pos: number): number {
  if (typeof v !== "number") fail(`${fn}() expects a number, got ${typeName(v)}`, pos);
  return v;
}
function toStr(v: unknown, fn: string, pos: number): string {
  if (typeof v !== "string") fail(`${fn}() expects a string, got ${typeName(v)}`, pos);
  return v;
}

function charged(s: string, pos: number): string {
  charge(s.length, pos);
  return s;
}

function contains(haystack: unknown, needle: unknown, pos: number, what: string): boolean {
  if (haystack === null) return false;
  if (typeof haystack === "string" || Array.isArray(haystack)) charge(haystack.length, pos);
  if (typeof haystack === "string") {
    if (typeof needle !== "string") fail(`${what}: a string can only contain a string, got ${typeName(needle)}`, pos);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((item) => equal(plain(item), needle, pos));
  if (isPlainObject(haystack)) {
    if (typeof needle !== "string") fail(`${what}: an object's keys are strings, got ${typeName(needle)}`, pos);
    return !FORBIDDEN.has(needle) && Object.hasOwn(haystack, needle);
  }
  return fail(`${what}: expected a string, array or object on the right, got ${typeName(haystack)}`, pos);
}

/**
 * Work done by one evaluation, in characters and items touched by functions, concatenation
 * and serialization. There are no loops, but one expression can repeat an expensive call
 * hundreds of times (`[len(input.s), len(input.s), …]` over a 1 MB input): the budget stops
 * that before it holds the event loop. Evaluation is synchronous, so a module counter is safe.
 */
export const MAX_EXPRESSION_WORK = 8 * MAX_STRING_LENGTH;
let work = 0;

function charge(units: number, pos: number): void {
  work += units;
  if (work > MAX_EXPRESSION_WORK) fail(`the expression does too much work (over ${MAX_EXPRESSION_WORK} characters or items processed)`, pos);
}

function toJsonText(v: unknown, pos: number): string {
  // Measured while it is serialized: a value made of many references to one large string
  // is refused before its huge text exists.
  let size = 0;
  const tooLong = () => fail(`string result is longer than ${MAX_STRING_LENGTH} characters`, pos);
  let text: string | undefined;
  try {
    text = JSON.stringify(v, (key: string, value: unknown) => {
      size += key.length + 4;
      if (typeof value === "string") size += value.length;
      else if (typeof value === "number" || typeof value === "boolean" || value === null) size += 8;
      if (size > MAX_STRING_LENGTH) tooLong();
      return value;
    });
  } catch (err) {
    if (err instanceof ExpressionError) throw err;
    return fail("value cannot be turned into text", pos);
  }
  charge(text?.length ?? 4, pos);
  return boundString(text ?? "null", pos);
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const FUNCTIONS = new Map<string, FunctionSpec>([
  ["len", { min: 1, max: 1, fn: ([v], pos) => {
    if (typeof v === "string") {
      charge(v.length, pos);
      return codePoints(v);
    }
    if (Array.isArray(v)) return v.length;
    if (isPlainObject(v)) return Object.keys(v).length;
    if (v === null) return 0;
    return fail(`len() expects a string, array or object, got ${typeName(v)}`, pos);
  } }],
  ["lower", { min: 1, max: 1, fn: ([v], pos) => charged(toStr(v, "lower", pos), pos).toLowerCase() }],
  ["upper", { min: 1, max: 1, fn: ([v], pos) => charged(toStr(v, "upper", pos), pos).toUpperCase() }],
  ["trim", { min: 1, max: 1, fn: ([v], pos) => charged(toStr(v, "trim", pos), pos).trim() }],
  ["contains", { min: 2, max: 2, fn: ([h, n], pos) => contains(h, n, pos, "contains()") }],
  ["startsWith", { min: 2, max: 2, fn: ([s, p], pos) => toStr(s, "startsWith", pos).startsWith(charged(toStr(p, "startsWith", pos), pos)) }],
  ["endsWith", { min: 2, max: 2, fn: ([s, p], pos) => toStr(s, "endsWith", pos).endsWith(charged(toStr(p, "endsWith", pos), pos)) }],
  ["number", { min: 1, max: 1, fn: ([v], pos) => {
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string" && /^\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/.test(v)) return finite(Number(v), pos);
    return fail(`number() cannot convert ${typeof v === "string" ? "this string" : typeName(v)} to a number`, pos);
  } }],
  ["string", { min: 1, max: 1, fn: ([v], pos) => {
    if (typeof v === "string") return v;
    if (v === null) return "";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return toJsonText(v, pos);
  } }],
  ["abs", { min: 1, max: 1, fn: ([v], pos) => Math.abs(toNumber(v, "abs", pos)) }],
  ["round", { min: 1, max: 1, fn: ([v], pos) => Math.round(toNumber(v, "round", pos)) }],
  ["floor", { min: 1, max: 1, fn: ([v], pos) => Math.floor(toNumber(v, "floor", pos)) }],
  ["ceil", { min: 1, max: 1, fn: ([v], pos) => Math.ceil(toNumber(v, "ceil", pos)) }],
  ["min", { min: 1, max: 20, fn: (args, pos) => extreme(args, "min", pos) }],
  ["max", { min: 1, max: 20, fn: (args, pos) => extreme(args, "max", pos) }],
]);

export const EXPRESSION_FUNCTIONS: readonly string[] = [...FUNCTIONS.keys()];

function extreme(args: unknown[], fn: "min" | "max", pos: number): number | null {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (list.length === 0) return null;
  charge(list.length, pos);
  // A loop, not Math.min(...list): spreading 300 000 items overflows the host's stack.
  let best = toNumber(plain(list[0]), fn, pos);
  for (let i = 1; i < list.length; i++) {
    const v = toNumber(plain(list[i]), fn, pos);
    if (fn === "min" ? v < best : v > best) best = v;
  }
  return best;
}

function evaluateNode(n: ExpressionNode, scope: Record<string, unknown>): unknown {
  switch (n.kind) {
    case "literal":
      return n.value;
    case "array":
      return n.items.map((item) => evaluateNode(item, scope));
    case "name":
      if (!Object.hasOwn(scope, n.name)) return fail(`unknown name ${n.name}`, n.pos);
      return ownData(scope, n.name);
    case "member": {
      const object = evaluateNode(n.object, scope);
      const key = typeof n.key === "object" ? evaluateNode(n.key, scope) : n.key;
      return readMember(object, key, n.pos);
    }
    case "call":
      return FUNCTIONS.get(n.fn)!.fn(n.args.map((a) => evaluateNode(a, scope)), n.pos);
    case "unary": {
      const v = evaluateNode(n.operand, scope);
      if (n.op === "!") return !isTruthy(v);
      if (typeof v !== "number") return fail(`cannot negate ${typeName(v)}`, n.pos);
      return -v;
    }
    case "logical": {
      const left = evaluateNode(n.left, scope);
      if (n.op === "&&") return isTruthy(left) ? evaluateNode(n.right, scope) : left;
      return isTruthy(left) ? left : evaluateNode(n.right, scope);
    }
    case "binary":
      return binary(n.op, evaluateNode(n.left, scope), evaluateNode(n.right, scope), n.pos);
  }
}

function binary(op: BinaryOperator, a: unknown, b: unknown, pos: number): unknown {
  switch (op) {
    case "==":
      return equal(a, b, pos);
    case "!=":
      return !equal(a, b, pos);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const bothNumbers = typeof a === "number" && typeof b === "number";
      const bothStrings = typeof a === "string" && typeof b === "string";
      if (!bothNumbers && !bothStrings) return fail(`cannot compare ${typeName(a)} with ${typeName(b)}`, pos);
      const x = a as number | string;
      const y = b as number | string;
      return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
    }
    case "in":
      return contains(b, a, pos, "in");
    case "+": {
      if (typeof a === "number" && typeof b === "number") return finite(a + b, pos);
      const scalar = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
      if ((typeof a === "string" || typeof b === "string") && scalar(a) && scalar(b)) {
        const text = (v: unknown) => (v === null ? "null" : String(v));
        const joined = boundString(text(a) + text(b), pos);
        charge(joined.length, pos);
        return joined;
      }
      return fail(`cannot add ${typeName(a)} and ${typeName(b)}`, pos);
    }
    default: {
      if (typeof a !== "number" || typeof b !== "number") return fail(`"${op}" needs numbers, got ${typeName(a)} and ${typeName(b)}`, pos);
      if ((op === "/" || op === "%") && b === 0) return fail("division by zero", pos);
      return finite(op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : a % b, pos);
    }
  }
}

/**
 * Evaluates a parsed expression over `scope` (its own keys are the names, e.g. input,
 * config, steps). The result is plain data, copied: it shares nothing with the scope.
 */
export function evaluateExpression(tree: ExpressionNode, scope: Record<string, unknown>): unknown {
  work = 0;
  const result = evaluateNode(tree, scope);
  if (result === null || typeof result !== "object") return result;
  return JSON.parse(toJsonText(result, tree.pos));
}

/** Parses and evaluates in one go. */
export function evaluate(source: string, scope: Record<string, unknown>): unknown {
  return evaluateExpression(parseExpression(source), scope);
}

export interface ExpressionReference {
  /** The path as far as it is known before running: names and literal keys (`steps`, `x`, `output`). */
  path: (string | number)[];
  /** True when the path continues with a key computed at run time (`steps[input.which]`). */
  dynamic: boolean;
  pos: number;
}

/** Every path an expression reads, by its root name: what a workflow uses to find a condition's dependencies. */
export function expressionReferences(tree: ExpressionNode): ExpressionReference[] {
  const out: ExpressionReference[] = [];
  const walk = (n: ExpressionNode): void => {
    if (n.kind === "name" || n.kind === "member") {
      const keys: (string | number)[] = [];
      let dynamic = false;
      let cur: ExpressionNode = n;
      while (cur.kind === "member") {
        if (typeof cur.key === "object") {
          // Only what comes before a computed key is known: drop what follows it.
          walk(cur.key);
          dynamic = true;
          keys.length = 0;
        } else keys.unshift(cur.key);
        cur = cur.object;
      }
      if (cur.kind === "name") out.push({ path: [cur.name, ...keys], dynamic, pos: cur.pos });
      else walk(cur);
      return;
    }
    if (n.kind === "array") n.items.forEach(walk);
    else if (n.kind === "call") n.args.forEach(walk);
    else if (n.kind === "unary") walk(n.operand);
    else if (n.kind === "logical" || n.kind === "binary") {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(tree);
  return out;
}

// Compares a test run's output with a test case's expected output: strict deep equality of
// JSON data (numbers within a relative 1e-9, object key order ignored), and a list of the
// differences by path for the diff view. Pure: safe in the browser.

export interface JsonDifference {
  /** `output`, `output.miles`, `output.items[2]`… */
  path: string;
  kind: "changed" | "missing" | "unexpected";
  expected?: unknown;
  actual?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Every difference between expected and actual, at most `limit` of them. */
export function diffJson(expected: unknown, actual: unknown, path = "output", limit = 50): JsonDifference[] {
  const out: JsonDifference[] = [];
  const walk = (e: unknown, a: unknown, p: string) => {
    if (out.length >= limit) return;
    if (typeof e === "number" && typeof a === "number") {
      if (!sameNumber(e, a)) out.push({ path: p, kind: "changed", expected: e, actual: a });
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) {
        if (i >= a.length) out.push({ path: child(p, i), kind: "missing", expected: e[i] });
        else if (i >= e.length) out.push({ path: child(p, i), kind: "unexpected", actual: a[i] });
        else walk(e[i], a[i], child(p, i));
        if (out.length >= limit) return;
      }
      return;
    }
    if (isObject(e) && isObject(a)) {
      for (const k of Object.keys(e)) {
        if (!Object.hasOwn(a, k)) out.push({ path: child(p, k), kind: "missing", expected: e[k] });
        else walk(e[k], a[k], child(p, k));
        if (out.length >= limit) return;
      }
      for (const k of Object.keys(a)) {
        if (!Object.hasOwn(e, k)) out.push({ path: child(p, k), kind: "unexpected", actual: a[k] });
        if (out.length >= limit) return;
      }
      return;
    }
    if (!Object.is(e, a)) out.push({ path: p, kind: "changed", expected: e, actual: a });
  };
  walk(expected, actual, path);
  return out;
}

/** Deep equality of two JSON values (what a saved test case's pass/fail is). */
export function jsonEquals(expected: unknown, actual: unknown): boolean {
  return diffJson(expected, actual, "output", 1).length === 0;
}

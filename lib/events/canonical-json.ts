// Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units, no
// whitespace, numbers and strings as ECMAScript serialises them. Pure: no I/O.
// The hash chain depends on this being stable for every value that jsonb round-trips.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonical JSON cannot hold NaN or Infinity");
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "bigint":
      throw new TypeError("canonical JSON cannot hold a bigint; convert it to a string first");
    case "object": {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (seen.has(value)) throw new TypeError("canonical JSON cannot hold a cycle");
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = "[" + value.map((v) => (v === undefined || typeof v === "function" ? "null" : write(v, seen))).join(",") + "]";
      } else {
        const obj = value as Record<string, unknown>;
        const keys = Object.keys(obj)
          .filter((k) => obj[k] !== undefined && typeof obj[k] !== "function" && typeof obj[k] !== "symbol")
          .sort();
        out = "{" + keys.map((k) => JSON.stringify(k) + ":" + write(obj[k], seen)).join(",") + "}";
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

// The small JSON-schema subset of the `validate` workflow step: type (string, number,
// integer, boolean, object, array, null, or a list of them), required, properties,
// additionalProperties (true/false), items, enum, minimum/maximum, minLength/maxLength
// (in characters, i.e. code points). Annotations (title, description, default, examples,
// $schema, $id, $comment) are ignored; any other keyword is refused rather than silently
// not checked. Pure, bounded (schema depth, number of problems reported).
import type { FieldError } from "../../errors";
import { jsonEqual, typeName } from "./expression";

export const SCHEMA_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
type SchemaType = (typeof SCHEMA_TYPES)[number];

export interface SubsetSchema {
  type?: SchemaType | SchemaType[];
  required?: string[];
  properties?: Record<string, SubsetSchema>;
  additionalProperties?: boolean;
  items?: SubsetSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

const MAX_SCHEMA_DEPTH = 32;
const MAX_PROBLEMS = 50;
const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$schema", "$id", "$comment"]);
const KEYWORDS = new Set(["type", "required", "properties", "additionalProperties", "items", "enum", "minimum", "maximum", "minLength", "maxLength"]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Problems with the schema itself (empty when it is a usable schema of the subset). */
export function checkSchema(schema: unknown, path = "schema"): FieldError[] {
  const problems: FieldError[] = [];
  const walk = (s: unknown, at: string, depth: number) => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (depth > MAX_SCHEMA_DEPTH) return void problems.push({ path: at, message: `schema is nested more than ${MAX_SCHEMA_DEPTH} levels` });
    if (!isPlainObject(s)) return void problems.push({ path: at, message: "a schema must be an object" });
    for (const [key, value] of Object.entries(s)) {
      const where = childPath(at, key);
      if (ANNOTATIONS.has(key)) continue;
      if (!KEYWORDS.has(key)) {
        problems.push({ path: where, message: `unsupported keyword; use ${[...KEYWORDS].join(", ")}` });
        continue;
      }
      switch (key) {
        case "type": {
          const types = Array.isArray(value) ? value : [value];
          if (!types.length || !types.every((t) => (SCHEMA_TYPES as readonly unknown[]).includes(t))) {
            problems.push({ path: where, message: `expected one of ${SCHEMA_TYPES.join(", ")} (or a list of them)` });
          }
          break;
        }
        case "required":
          if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) problems.push({ path: where, message: "expected a list of property names" });
          break;
        case "properties":
          if (!isPlainObject(value)) problems.push({ path: where, message: "expected an object of schemas" });
          else for (const [name, sub] of Object.entries(value)) walk(sub, childPath(where, name), depth + 1);
          break;
        case "additionalProperties":
          if (typeof value !== "boolean") problems.push({ path: where, message: "expected true or false" });
          break;
        case "items":
          walk(value, where, depth + 1);
          break;
        case "enum":
          if (!Array.isArray(value) || value.length === 0) problems.push({ path: where, message: "expected a non-empty list of values" });
          break;
        case "minimum":
        case "maximum":
          if (typeof value !== "number" || !Number.isFinite(value)) problems.push({ path: where, message: "expected a number" });
          break;
        case "minLength":
        case "maxLength":
          if (!isCount(value)) problems.push({ path: where, message: "expected a whole number ≥ 0" });
          break;
      }
    }
  };
  walk(schema, path, 0);
  return problems;
}

function matchesType(type: SchemaType, v: unknown): boolean {
  switch (type) {
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "object":
      return isPlainObject(v);
    case "array":
      return Array.isArray(v);
    case "null":
      return v === null;
    default:
      return typeof v === type;
  }
}

function ownValue(object: Record<string, unknown>, key: string): { present: boolean; value?: unknown } {
  const d = Object.getOwnPropertyDescriptor(object, key);
  return d && "value" in d && d.value !== undefined ? { present: true, value: d.value } : { present: false };
}

/** Problems of `value` against a schema that passed checkSchema, each with its path (at most 50). */
export function validateAgainstSchema(value: unknown, schema: SubsetSchema, path = "value"): FieldError[] {
  const problems: FieldError[] = [];
  const add = (at: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path: at, message });
  };
  const walk = (v: unknown, s: SubsetSchema, at: string, depth: number) => {
    if (problems.length >= MAX_PROBLEMS || depth > MAX_SCHEMA_DEPTH) return;
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => matchesType(t, v))) {
        add(at, `expected ${types.join(" or ")}, got ${typeName(v)}`);
        return;
      }
    }
    if (s.enum && !s.enum.some((e) => safeEqual(e, v))) add(at, `expected one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`.slice(0, 300));
    if (typeof v === "number") {
      if (s.minimum !== undefined && v < s.minimum) add(at, `must be ≥ ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) add(at, `must be ≤ ${s.maximum}`);
    }
    if (typeof v === "string" && (s.minLength !== undefined || s.maxLength !== undefined)) {
      const length = [...v].length;
      if (s.minLength !== undefined && length < s.minLength) add(at, `must be at least ${s.minLength} characters`);
      if (s.maxLength !== undefined && length > s.maxLength) add(at, `must be at most ${s.maxLength} characters`);
    }
    if (isPlainObject(v)) {
      for (const name of s.required ?? []) if (!ownValue(v, name).present) add(childPath(at, name), "is required");
      const properties = s.properties ?? {};
      for (const [name, sub] of Object.entries(properties)) {
        const own = ownValue(v, name);
        if (own.present) walk(own.value, sub, childPath(at, name), depth + 1);
      }
      if (s.additionalProperties === false) {
        for (const name of Object.keys(v)) if (!Object.hasOwn(properties, name)) add(childPath(at, name), "is not allowed");
      }
    }
    if (Array.isArray(v) && s.items) v.forEach((item, i) => walk(item, s.items!, childPath(at, i), depth + 1));
  };
  walk(value, schema, path, 0);
  return problems;
}

function safeEqual(a: unknown, b: unknown): boolean {
  try {
    return jsonEqual(a, b);
  } catch {
    return false;
  }
}

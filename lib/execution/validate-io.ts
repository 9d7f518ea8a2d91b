// Checks an action's input and output against the fields its manifest declares: required,
// type and enum, with the path of every problem. Input gets declared defaults filled in;
// output fields that are declared must have the declared type (extra fields pass). Pure.
import type { FieldError } from "../errors";
import type { Field, Manifest } from "../registry/manifest-schema";

export interface DeclaredAction {
  inputs: Field[];
  outputs: Field[];
}

/** The declared inputs and outputs of an action (an api-connector's endpoint counts as one), or null. */
export function declaredAction(manifest: Manifest, action: string): DeclaredAction | null {
  if (manifest.type === "api-connector") {
    const endpoint = manifest.endpoints.find((e) => e.id === action);
    if (endpoint) {
      const a = manifest.actions.find((x) => x.id === action);
      return { inputs: endpoint.inputs, outputs: endpoint.outputs.length ? endpoint.outputs : (a?.outputs ?? []) };
    }
  }
  const a = manifest.actions.find((x) => x.id === action);
  return a ? { inputs: a.inputs, outputs: a.outputs } : null;
}

function typeMatches(type: Field["type"], value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    default:
      return true;
  }
}

function expected(type: Field["type"]): string {
  return `expected ${type === "integer" ? "an integer" : `a${/^[aeiou]/.test(type) ? "n" : ""} ${type}`}`;
}

function checkField(f: Field, v: unknown, path: string, errors: FieldError[]): void {
  if (!typeMatches(f.type, v)) errors.push({ path, message: expected(f.type) });
  else if (f.enum && !f.enum.some((e) => e === v)) errors.push({ path, message: `expected one of ${f.enum.join(", ")}` });
}

/** Checks input against the declared fields (required, type, enum) and fills declared defaults. */
export function validateInput(fields: Field[], input: Record<string, unknown>): { value: Record<string, unknown>; errors: FieldError[] } {
  const value: Record<string, unknown> = { ...input };
  const errors: FieldError[] = [];
  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined || v === null) {
      if (f.default !== undefined) value[f.name] = f.default;
      else if (f.required) errors.push({ path: `input.${f.name}`, message: "is required" });
      continue;
    }
    checkField(f, v, `input.${f.name}`, errors);
  }
  return { value, errors };
}

/**
 * Checks an action's output against its declared outputs. With no declared outputs anything
 * JSON passes. With declared outputs the output must be an object; a declared field that is
 * present must have its type; a required one must be present.
 */
export function validateOutput(fields: Field[], output: unknown): FieldError[] {
  if (fields.length === 0) return [];
  if (output === null || typeof output !== "object" || Array.isArray(output)) {
    return [{ path: "output", message: `expected an object with ${fields.map((f) => f.name).join(", ")}` }];
  }
  const errors: FieldError[] = [];
  const o = output as Record<string, unknown>;
  for (const f of fields) {
    const v = Object.hasOwn(o, f.name) ? o[f.name] : undefined;
    if (v === undefined || v === null) {
      if (f.required) errors.push({ path: `output.${f.name}`, message: "is required" });
      continue;
    }
    checkField(f, v, `output.${f.name}`, errors);
  }
  return errors;
}

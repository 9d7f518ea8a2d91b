// Reads what the Test step needs from a draft manifest it gets as `unknown` (the builder's
// stateToManifest output, or anything the manifest panel holds): the runnable actions with
// their input fields (an api-connector's endpoints count as actions), the configuration
// fields, and turns form values into an action input and back. Tolerant of partial
// manifests and of inputs written as a map. Pure: safe in the browser.

export type TestFieldType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "file" | "any";

export interface TestField {
  name: string;
  type: TestFieldType;
  required: boolean;
  description?: string;
  default?: unknown;
  enum?: (string | number)[];
}

export interface TestAction {
  id: string;
  name: string;
  inputs: TestField[];
}

export interface TestConfigField {
  key: string;
  label: string;
  type: "string" | "number" | "boolean" | "secret";
  required: boolean;
  description?: string;
  default?: string | number | boolean;
}

const TYPES: readonly TestFieldType[] = ["string", "number", "integer", "boolean", "object", "array", "file", "any"];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readFields(value: unknown): TestField[] {
  const list: unknown[] = Array.isArray(value)
    ? value
    : isObject(value)
      ? Object.entries(value).map(([name, spec]) => (typeof spec === "string" ? { name, type: spec } : { name, ...(isObject(spec) ? spec : {}) }))
      : [];
  const out: TestField[] = [];
  for (const f of list) {
    if (!isObject(f) || typeof f.name !== "string" || !f.name) continue;
    const type = TYPES.includes(f.type as TestFieldType) ? (f.type as TestFieldType) : "string";
    const field: TestField = { name: f.name, type, required: f.required === true };
    if (typeof f.description === "string" && f.description) field.description = f.description;
    if (f.default !== undefined) field.default = f.default;
    if (Array.isArray(f.enum)) field.enum = f.enum.filter((x): x is string | number => typeof x === "string" || typeof x === "number");
    out.push(field);
  }
  return out;
}

/** The actions a draft can run: api-connector endpoints, else the declared actions. */
export function draftActions(manifest: unknown): TestAction[] {
  if (!isObject(manifest)) return [];
  const m = isObject(manifest.capability) ? manifest.capability : manifest;
  const actions = Array.isArray(m.actions) ? m.actions.filter(isObject) : [];
  const out: TestAction[] = [];
  const seen = new Set<string>();
  const push = (id: unknown, name: unknown, inputs: unknown) => {
    if (typeof id !== "string" || !id || seen.has(id)) return;
    seen.add(id);
    out.push({ id, name: typeof name === "string" && name.trim() ? name : id, inputs: readFields(inputs) });
  };
  if (Array.isArray(m.endpoints)) {
    for (const e of m.endpoints.filter(isObject)) push(e.id, e.name ?? actions.find((a) => a.id === e.id)?.name, e.inputs);
  }
  for (const a of actions) push(a.id, a.name, a.inputs);
  return out;
}

export function draftConfigFields(manifest: unknown): TestConfigField[] {
  if (!isObject(manifest)) return [];
  const m = isObject(manifest.capability) ? manifest.capability : manifest;
  if (!Array.isArray(m.configuration)) return [];
  const out: TestConfigField[] = [];
  for (const c of m.configuration) {
    if (!isObject(c) || typeof c.key !== "string" || !c.key) continue;
    const type = c.type === "number" || c.type === "boolean" || c.type === "secret" ? c.type : "string";
    const f: TestConfigField = { key: c.key, label: typeof c.label === "string" && c.label.trim() ? c.label : c.key, type, required: c.required === true };
    if (typeof c.description === "string" && c.description) f.description = c.description;
    if (type !== "secret" && (typeof c.default === "string" || typeof c.default === "number" || typeof c.default === "boolean")) f.default = c.default;
    out.push(f);
  }
  return out;
}

/** What the form holds per field: text for most types, a boolean for booleans. */
export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

function toText(type: TestFieldType, v: unknown): FormValue {
  if (type === "boolean") return v === true;
  if (v === undefined || v === null) return "";
  if (type === "object" || type === "array" || type === "any") return JSON.stringify(v, null, 2);
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Form values for an input (fields without a value get their default, else empty). */
export function inputToFormValues(fields: readonly TestField[], input: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {};
  for (const f of fields) values[f.name] = toText(f.type, input && Object.hasOwn(input, f.name) ? input[f.name] : f.default);
  return values;
}

/**
 * Form values → the action's input. Empty optional fields are left out; an empty required
 * one is a problem. Numbers and JSON are parsed; problems come back per field name.
 */
export function formValuesToInput(fields: readonly TestField[], values: FormValues): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.type === "boolean") {
      input[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (!text.trim()) {
      if (f.required) errors[f.name] = "Required";
      continue;
    }
    switch (f.type) {
      case "number":
      case "integer": {
        const n = Number(text.trim());
        if (!Number.isFinite(n)) errors[f.name] = "Enter a number";
        else if (f.type === "integer" && !Number.isInteger(n)) errors[f.name] = "Enter a whole number";
        else input[f.name] = n;
        break;
      }
      case "object":
      case "array":
      case "any": {
        try {
          const v: unknown = JSON.parse(text);
          if (f.type === "object" && !isObject(v)) errors[f.name] = "Enter a JSON object";
          else if (f.type === "array" && !Array.isArray(v)) errors[f.name] = "Enter a JSON array";
          else input[f.name] = v;
        } catch {
          if (f.type === "any") input[f.name] = text;
          else errors[f.name] = "Not valid JSON";
        }
        break;
      }
      default:
        input[f.name] = text;
    }
  }
  return { input, errors };
}

/** Parses the raw-JSON input editor: an object, else an error message. */
export function parseInputJson(text: string): { input?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return { input: {} };
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? { input: v } : { error: "The input must be a JSON object" };
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

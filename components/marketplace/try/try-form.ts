// Pure helpers of the "Try it" panel: the form values of an action's inputs (strings, as
// the controls hold them) to and from the JSON input the endpoint takes, and JSON equality.

export interface TryField {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  enum: (string | number)[] | null;
}

export type FormValues = Record<string, string>;

/** Types edited as JSON in a textarea. */
export const isJsonType = (type: string) => type === "object" || type === "array" || type === "any" || type === "file";

/** Form values from an input object (an example's, or the raw JSON). */
export function valuesFromInput(fields: TryField[], input: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = input[f.name];
    if (v === undefined || v === null) out[f.name] = f.type === "boolean" ? "false" : "";
    else if (typeof v === "string" && !isJsonType(f.type)) out[f.name] = v;
    else if (isJsonType(f.type)) out[f.name] = JSON.stringify(v, null, 2);
    else out[f.name] = String(v);
  }
  return out;
}

/** The input object from form values, with per-field errors for values that do not parse. */
export function inputFromValues(fields: TryField[], values: FormValues): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name] ?? "";
    if (f.type === "boolean") {
      input[f.name] = raw === "true";
      continue;
    }
    if (raw.trim() === "") continue;
    if (f.type === "number" || f.type === "integer") {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors[f.name] = "Enter a number.";
      else if (f.type === "integer" && !Number.isInteger(n)) errors[f.name] = "Enter a whole number.";
      else input[f.name] = n;
    } else if (isJsonType(f.type)) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (f.type === "object" && (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))) errors[f.name] = "Enter a JSON object, like {}.";
        else if (f.type === "array" && !Array.isArray(parsed)) errors[f.name] = "Enter a JSON array, like [].";
        else input[f.name] = parsed;
      } catch {
        errors[f.name] = "This is not valid JSON.";
      }
    } else input[f.name] = raw;
  }
  return { input, errors };
}

/**
 * What a run form submits: the raw JSON text (when `raw`) parsed as an object, or the form
 * values converted with required fields checked; `input` is null when there are errors
 * (`_raw` for the JSON text, else by field name).
 */
export function readFormInput(o: { raw: boolean; rawText: string; fields: TryField[]; values: FormValues }): { input: Record<string, unknown> | null; errors: Record<string, string> } {
  if (o.raw) {
    try {
      const parsed: unknown = JSON.parse(o.rawText);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { input: null, errors: { _raw: "The input must be a JSON object." } };
      return { input: parsed as Record<string, unknown>, errors: {} };
    } catch {
      return { input: null, errors: { _raw: "This is not valid JSON." } };
    }
  }
  const { input, errors } = inputFromValues(o.fields, o.values);
  for (const f of o.fields) if (f.required && input[f.name] === undefined && !errors[f.name]) errors[f.name] = "Required.";
  return { input: Object.keys(errors).length ? null : input, errors };
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

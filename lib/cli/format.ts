// Small text helpers for human output: field errors with their paths, tables, JSON values.
import type { FieldError } from "../errors";
import { usageError } from "./cli-error";

export function formatFieldErrors(errors: FieldError[], prefix = "  "): string[] {
  return errors.map((e) => `${prefix}${e.path}: ${e.message}`);
}

export function table(rows: string[][], header?: string[]): string[] {
  const all = header ? [header, ...rows] : rows;
  if (!all.length) return [];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd());
}

export function compactJson(value: unknown, max = 2000): string {
  const s = JSON.stringify(value) ?? "undefined";
  return s.length > max ? s.slice(0, max) + "…" : s;
}

export function prettyJson(value: unknown, indent = "  "): string {
  return (JSON.stringify(value, null, 2) ?? "undefined")
    .split("\n")
    .map((l) => indent + l)
    .join("\n");
}

/** Parses --input: inline JSON, @file, or @- (stdin). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw usageError(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, `quote it for the shell: --input '{"text":"hi"}', or use --input @file.json`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw usageError(`${what} must be a JSON object, e.g. '{"text":"hi"}'`);
  return v as Record<string, unknown>;
}

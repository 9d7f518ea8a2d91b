// Renders a tree of plain JSON whose strings may hold placeholders, keeping JSON types:
// a string that is exactly one placeholder becomes the value itself (number, object, …),
// any other string is interpolated as text. The caller decides what a placeholder's path
// means (workflows resolve `steps.<id>.output…`; see lib/execution/workflows), so this
// file only walks and copies. Like every template here, nothing is ever evaluated.
//
// Unlike renderJsonBody, a placeholder with no value is not an error: a map value that is
// exactly a missing placeholder is left out of the map, an array item becomes null, and a
// missing value inside text renders as "" (like null). Typos are caught before a run by
// checking the placeholders statically.
import type { PathSegment } from "./parse-path";
import { parseTemplate } from "./render-template";
import { TemplateError } from "./template-error";

export type PlaceholderValue = { found: true; value: unknown } | { found: false };
/** Resolves a placeholder's path; `shorthand` is true for `{{x}}`. May throw TemplateError. */
export type ResolvePlaceholder = (path: PathSegment[], shorthand: boolean) => PlaceholderValue;

const MAX_DEPTH = 64;

function cloneJson(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const text = JSON.stringify(value);
  if (text === undefined) throw new TemplateError("value is not JSON");
  return JSON.parse(text);
}

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "";
  return JSON.stringify(value) ?? "";
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** Every placeholder path in a template tree, with where it is (`a.b[0]`). Throws TemplateError on a malformed one. */
export function collectPlaceholders(template: unknown, where = ""): { where: string; path: PathSegment[]; shorthand: boolean }[] {
  const out: { where: string; path: PathSegment[]; shorthand: boolean }[] = [];
  const walk = (node: unknown, at: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new TemplateError("template is nested too deeply");
    if (typeof node === "string") {
      for (const part of parseTemplate(node)) if (part.kind === "value") out.push({ where: at, path: part.path, shorthand: part.shorthand });
    } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`, depth + 1));
    else if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) walk(v, at ? `${at}.${k}` : k, depth + 1);
  };
  walk(template, where, 0);
  return out;
}

/** Renders `template`; returns undefined only when the whole template is one missing placeholder. */
export function renderValue(template: unknown, resolve: ResolvePlaceholder): unknown {
  const MISSING = Symbol("missing");
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new TemplateError("template is nested too deeply");
    if (typeof node === "string") {
      const parts = parseTemplate(node);
      const [only] = parts;
      if (parts.length === 1 && only?.kind === "value") {
        const r = resolve(only.path, only.shorthand);
        return r.found ? cloneJson(r.value) : MISSING;
      }
      return parts
        .map((part) => {
          if (part.kind === "text") return part.text;
          const r = resolve(part.path, part.shorthand);
          return r.found ? toText(r.value) : "";
        })
        .join("");
    }
    if (node === null || typeof node === "boolean") return node;
    if (typeof node === "number") return Number.isFinite(node) ? node : null;
    if (Array.isArray(node)) return node.map((item) => {
      const v = walk(item, depth + 1);
      return v === MISSING ? null : v;
    });
    if (isPlainObject(node)) {
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      const entries: [string, unknown][] = [];
      for (const [key, value] of Object.entries(node)) {
        const v = walk(value, depth + 1);
        if (v !== MISSING) entries.push([key, v]);
      }
      return Object.fromEntries(entries);
    }
    throw new TemplateError("template must be plain JSON");
  };
  const out = walk(template, 0);
  return out === MISSING ? undefined : out;
}

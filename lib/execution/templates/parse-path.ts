// The only expression language of templates and response mappings: a path of identifiers,
// `.name` and `[0]`. There is no evaluation of any kind, and the names that reach an
// object's prototype machinery are refused outright, so a path can only ever read plain
// data that the caller put there.
import { TemplateError } from "./template-error";

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*/;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

export function parsePath(text: string): PathSegment[] {
  const source = text.trim();
  const segments: PathSegment[] = [];
  let rest = source;
  let expectName = true;
  while (rest.length > 0) {
    if (expectName) {
      const match = IDENTIFIER.exec(rest);
      if (!match) throw new TemplateError(`invalid path ${JSON.stringify(source)}`);
      const name = match[0];
      if (FORBIDDEN.has(name)) throw new TemplateError(`path ${JSON.stringify(source)} uses a forbidden name`);
      segments.push(name);
      rest = rest.slice(name.length);
      expectName = false;
      continue;
    }
    if (rest.startsWith(".")) {
      rest = rest.slice(1);
      expectName = true;
      continue;
    }
    const index = INDEX.exec(rest);
    if (!index) throw new TemplateError(`invalid path ${JSON.stringify(source)}`);
    segments.push(Number(index[1]));
    rest = rest.slice(index[0].length);
  }
  if (expectName) throw new TemplateError(`invalid path ${JSON.stringify(source)}`);
  return segments;
}

/** Reads `path` from `root` through own properties of plain objects and arrays only. */
export function readPath(root: unknown, path: readonly PathSegment[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return { found: false };
      current = current[segment];
      continue;
    }
    if (current === null || typeof current !== "object" || Array.isArray(current)) return { found: false };
    // Own data properties only: no inherited members, and no getter is ever invoked.
    const descriptor = Object.getOwnPropertyDescriptor(current, segment);
    if (!descriptor || !("value" in descriptor)) return { found: false };
    current = descriptor.value;
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

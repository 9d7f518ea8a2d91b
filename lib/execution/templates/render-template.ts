// The template engine of declarative and API-connector capabilities and of workflow data
// flow. Placeholders:
//   ${input.x}  ${config.KEY}  ${secrets.KEY}  ${steps.<id>.output.a.b}
//   ${KEY}      a bare name: config first, then secrets
//   {{x}}       shorthand for ${input.x}
// A placeholder holds a path (see parse-path.ts) and nothing else: templates are never
// evaluated as code. Each renderer encodes for where the text lands (URL path or query,
// header value, JSON), and a URL template can never choose the host it is sent to.
import { formatPath, parsePath, readPath, type PathSegment } from "./parse-path";
import { TemplateError } from "./template-error";

export interface TemplateContext {
  input?: unknown;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
  steps?: Record<string, unknown>;
}

type Part = { kind: "text"; text: string } | { kind: "value"; path: PathSegment[]; shorthand: boolean };

const NAMESPACES = new Set(["input", "config", "secrets", "steps"]);
const MAX_TEMPLATE_LENGTH = 64 * 1024;
const MAX_JSON_DEPTH = 64;

export function parseTemplate(template: string): Part[] {
  if (template.length > MAX_TEMPLATE_LENGTH) throw new TemplateError("template is too long");
  const parts: Part[] = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.startsWith("${", i);
    const braces = !dollar && template.startsWith("{{", i);
    if (!dollar && !braces) {
      text += template[i];
      i++;
      continue;
    }
    const open = 2;
    const close = dollar ? "}" : "}}";
    const end = template.indexOf(close, i + open);
    if (end < 0) throw new TemplateError("unterminated placeholder");
    if (text) parts.push({ kind: "text", text });
    text = "";
    parts.push({ kind: "value", path: parsePath(template.slice(i + open, end)), shorthand: braces });
    i = end + close.length;
  }
  if (text) parts.push({ kind: "text", text });
  return parts;
}

function lookup(part: Extract<Part, { kind: "value" }>, ctx: TemplateContext): unknown {
  const [root, ...rest] = part.path;
  let result: ReturnType<typeof readPath>;
  if (part.shorthand) {
    result = readPath(ctx.input, part.path);
  } else if (typeof root === "string" && NAMESPACES.has(root)) {
    const scope = root === "input" ? ctx.input : root === "config" ? ctx.config : root === "secrets" ? ctx.secrets : ctx.steps;
    result = readPath(scope, rest);
  } else {
    result = readPath(ctx.config, part.path);
    if (!result.found) result = readPath(ctx.secrets, part.path);
  }
  if (!result.found) throw new TemplateError(`no value for ${part.shorthand ? "{{" : "${"}${formatPath(part.path)}${part.shorthand ? "}}" : "}"}`);
  return result.value;
}

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "";
  return JSON.stringify(value);
}

function toScalarText(value: unknown, where: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "";
  throw new TemplateError(`an object or array cannot be placed in ${where}`);
}

/** Plain interpolation: strings as they are, objects as JSON. For log lines, prompts, text bodies. */
export function renderText(template: string, ctx: TemplateContext): string {
  return parseTemplate(template)
    .map((part) => (part.kind === "text" ? part.text : toText(lookup(part, ctx))))
    .join("");
}

const LITERAL_ORIGIN = /^(https?):\/\/([^/?#\\@]+)(?=[/?#])/i;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Renders a URL. The scheme, host and port must be written literally before the first
 * placeholder; values in the path are encoded as one segment each (so `../../admin` stays
 * inside its segment), values in the query and fragment are encoded as components.
 */
export function renderUrl(template: string, ctx: TemplateContext): string {
  const parts = parseTemplate(template);
  const firstValue = parts.findIndex((p) => p.kind === "value");
  const prefix = parts
    .slice(0, firstValue < 0 ? parts.length : firstValue)
    .map((p) => (p.kind === "text" ? p.text : ""))
    .join("");
  const origin = LITERAL_ORIGIN.exec(prefix) ?? (firstValue < 0 ? LITERAL_ORIGIN.exec(`${prefix}/`) : null);
  if (!origin) throw new TemplateError("a URL template must start with a literal http(s)://host/ before any placeholder");
  let expected: URL;
  try {
    expected = new URL(`${origin[0]}/`);
  } catch {
    throw new TemplateError("invalid URL template");
  }

  let state: "path" | "query" | "fragment" = "path";
  let rendered = "";
  for (const part of parts) {
    if (part.kind === "text") {
      for (const ch of part.text) {
        if (ch === "?" && state === "path") state = "query";
        else if (ch === "#") state = "fragment";
      }
      rendered += part.text;
      continue;
    }
    rendered += encodeURIComponent(toScalarText(lookup(part, ctx), `a URL ${state}`));
  }

  const afterOrigin = rendered.slice(origin[0].length);
  const pathPart = afterOrigin.split(/[?#]/, 1)[0] ?? "";
  // WHATWG URLs collapse "..", "%2e%2e" and friends: a value must not climb out of its place.
  if (pathPart.split("/").some((segment) => DOT_SEGMENT.test(segment))) {
    throw new TemplateError("a URL path may not contain '.' or '..' segments");
  }
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new TemplateError("template renders an invalid URL");
  }
  if (url.protocol !== expected.protocol || url.host !== expected.host || url.username || url.password) {
    throw new TemplateError("a URL template may not change the scheme or host");
  }
  return url.href;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// CR and LF split headers; NUL and the other controls (except tab) are refused by HTTP.
const HEADER_VALUE_FORBIDDEN = /[\0-\x08\x0a-\x1f\x7f]/;

/** Renders header values; names are literal. A value that would contain CR, LF or NUL is refused. */
export function renderHeaders(headers: Record<string, string>, ctx: TemplateContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, template]) => {
      if (!HEADER_NAME.test(name)) throw new TemplateError(`invalid header name ${JSON.stringify(name)}`);
      const value = parseTemplate(template)
        .map((part) => (part.kind === "text" ? part.text : toScalarText(lookup(part, ctx), "a header")))
        .join("");
      // Name the header, never the value: it often carries a secret.
      if (HEADER_VALUE_FORBIDDEN.test(value)) throw new TemplateError(`header ${name} would contain a control character`);
      return [name, value];
    }),
  );
}

function cloneJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TemplateError("value is not JSON");
  return JSON.parse(text);
}

/**
 * Renders a JSON body template (any JSON value). A string that is exactly one placeholder
 * is replaced by the value with its JSON type (number, object, …); any other string is
 * interpolated as text. Object keys are literal.
 */
export function renderJsonBody(template: unknown, ctx: TemplateContext): unknown {
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > MAX_JSON_DEPTH) throw new TemplateError("body template is nested too deeply");
    if (typeof node === "string") {
      const parts = parseTemplate(node);
      const [only] = parts;
      if (parts.length === 1 && only?.kind === "value") return cloneJson(lookup(only, ctx));
      return parts.map((part) => (part.kind === "text" ? part.text : toText(lookup(part, ctx)))).join("");
    }
    if (node === null || typeof node === "number" || typeof node === "boolean") return node;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, depth + 1)]));
    }
    throw new TemplateError("body template must be plain JSON");
  };
  return walk(template, 0);
}

// Redaction happens before anything is written to the event log or a log line: values
// under secret-looking keys and every known secret value (also inside longer strings)
// become a marker that says something was removed. Pure: no I/O.

export const REDACTED = "[REDACTED]";

// Compared against the key lower-cased with - and _ removed and a plural s dropped.
const SECRET_KEY_ENDINGS = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "apikey",
  "authorization",
  "cookie",
  "privatekey",
  "credential",
  "sessionid",
  "clientsecret",
];

export function isSecretKey(key: string): boolean {
  let k = key.toLowerCase().replace(/[-_\s]/g, "");
  if (k.endsWith("s") && !k.endsWith("ss")) k = k.slice(0, -1);
  return SECRET_KEY_ENDINGS.some((end) => k === end || k.endsWith(end));
}

export interface RedactOptions {
  /** Known secret values (installation secrets, tokens); shorter than 4 chars are ignored. */
  secrets?: Iterable<string>;
  maxDepth?: number;
}

/** Strips what Postgres jsonb cannot hold (NUL, lone surrogates) so stored data round-trips. */
export function sanitizeString(s: string): string {
  return s.replace(/\u0000/g, "\uFFFD").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

export function redact<T>(value: T, options: RedactOptions = {}): T {
  const secrets = [...(options.secrets ?? [])].filter((s) => typeof s === "string" && s.length >= 4);
  // Longest first, so a secret that contains another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  return walk(value, secrets, options.maxDepth ?? 32, 0) as T;
}

function redactString(s: string, secrets: string[]): string {
  let out = sanitizeString(s);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function walk(value: unknown, secrets: string[], maxDepth: number, depth: number): unknown {
  if (typeof value === "string") return redactString(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (depth >= maxDepth) return "[TRUNCATED: too deep]";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets, maxDepth, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = redactString(k, secrets);
    if (isSecretKey(k) && v !== null && v !== undefined && v !== "") out[key] = REDACTED;
    else out[key] = walk(v, secrets, maxDepth, depth + 1);
  }
  return out;
}

/** For text logs: redacts like `redact` and neutralises CR/LF so one entry stays one line. */
export function redactForLog(value: unknown, options: RedactOptions = {}): unknown {
  const redacted = redact(value, options);
  return escapeLineBreaks(redacted);
}

function escapeLineBreaks(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/[\u2028\u2029]/g, " ");
  if (Array.isArray(value)) return value.map(escapeLineBreaks);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [escapeLineBreaks(k) as string, escapeLineBreaks(v)]));
  }
  return value;
}

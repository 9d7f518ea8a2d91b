// What an execution row may hold of a value that came from a caller or a plugin: redacted
// (known secret values, secret-looking keys; NUL and lone surrogates Postgres refuses) and
// capped, so a huge input or output never bloats the table. A capped value is replaced by
// a marker object that says how big it was and shows the beginning. Pure.
import { redact } from "../../events/redact";

export const STORED_JSON_LIMIT_BYTES = 256 * 1024;
const PREVIEW_CHARS = 2048;

export interface TruncatedJson {
  $truncated: true;
  bytes: number;
  preview: string;
}

export function storableJson(value: unknown, options: { secrets?: Iterable<string>; maxBytes?: number } = {}): unknown {
  const clean = redact(value === undefined ? null : value, { secrets: options.secrets });
  const text = JSON.stringify(clean) ?? "null";
  const bytes = Buffer.byteLength(text, "utf8");
  const max = options.maxBytes ?? STORED_JSON_LIMIT_BYTES;
  if (bytes <= max) return clean;
  const truncated: TruncatedJson = { $truncated: true, bytes, preview: text.slice(0, PREVIEW_CHARS) };
  return truncated;
}

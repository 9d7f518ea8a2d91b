// Maps an API response to a capability's outputs (`response_mapping`): each output names a
// path such as `data.weather[0].main`. Paths read own data properties only and refuse
// `__proto__`, `constructor` and `prototype`; values are copied as plain JSON.
import { parsePath, readPath } from "./parse-path";
import { TemplateError } from "./template-error";

/** Outputs whose path is absent from `body` are left out. */
export function mapResponse(body: unknown, mapping: Record<string, string>): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const [output, path] of Object.entries(mapping)) {
    if (typeof path !== "string") throw new TemplateError(`mapping for ${output} must be a path`);
    const result = readPath(body, parsePath(path));
    if (!result.found) continue;
    const text = JSON.stringify(result.value);
    entries.push([output, text === undefined ? null : JSON.parse(text)]);
  }
  return Object.fromEntries(entries);
}

// Reads a JSON object given on the command line: inline ('{"a":1}'), @file or @- (stdin).
import { readFileSync } from "node:fs";
import path from "node:path";
import { CliError, EXIT } from "./cli-error";
import type { CliIo } from "./cli-io";
import { parseJsonObject } from "./format";
import { readAllStdin } from "./secret-args";

export async function readJsonArg(value: string, io: CliIo, what = "--input"): Promise<Record<string, unknown>> {
  if (value === "@-") return parseJsonObject(await readAllStdin(io.stdin), `${what} (stdin)`);
  if (value.startsWith("@")) {
    const file = path.resolve(io.cwd, value.slice(1));
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new CliError(EXIT.notFound, `${what}: cannot read ${value.slice(1)} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    return parseJsonObject(text, `${what} (${value.slice(1)})`);
  }
  return parseJsonObject(value, what);
}

// Secrets on the command line without putting them in shell history: `--secret KEY=@file`
// reads the file, `--secret KEY=@-` reads stdin (once: only one secret may come from it);
// a literal `KEY=value` is refused unless --allow-argv-secrets says the user knows it lands
// in history and `ps`. One trailing newline of a file or stdin is dropped (echo adds it).
import { readFileSync } from "node:fs";
import path from "node:path";
import { CliError, EXIT, usageError } from "./cli-error";

export async function readSecretArgs(
  list: string[] | undefined,
  o: { cwd: string; allowArgv: boolean; readStdin: () => Promise<string> },
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let usedStdin = false;
  for (const item of list ?? []) {
    const i = item.indexOf("=");
    if (i <= 0) throw usageError(`--secret: expected KEY=@file, KEY=@- (stdin) or, with --allow-argv-secrets, KEY=value`);
    const key = item.slice(0, i);
    const spec = item.slice(i + 1);
    let value: string;
    if (spec === "@-") {
      if (usedStdin) throw usageError("--secret: only one secret can be read from stdin (@-)", "put the others in files: KEY=@path");
      usedStdin = true;
      value = await o.readStdin();
    } else if (spec.startsWith("@")) {
      const file = path.resolve(o.cwd, spec.slice(1));
      try {
        value = readFileSync(file, "utf8");
      } catch (err) {
        throw new CliError(EXIT.notFound, `--secret ${key}: cannot read ${spec.slice(1)} (${(err as NodeJS.ErrnoException).code ?? "error"})`, { hint: "give a readable file: KEY=@path" });
      }
    } else {
      if (!o.allowArgv) {
        throw usageError(`--secret ${key}: a literal value would stay in your shell history`, `use ${key}=@file or ${key}=@- (stdin), or add --allow-argv-secrets if you accept that`);
      }
      value = spec;
    }
    value = value.replace(/\r?\n$/, "");
    if (!value) throw usageError(`--secret ${key}: the value is empty`);
    out[key] = value;
  }
  return out;
}

export async function readAllStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

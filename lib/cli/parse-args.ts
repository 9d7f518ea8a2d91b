// Argument parsing on node:util parseArgs, with the options each command declares: every
// unknown option, missing value or wrong count of positionals is a usage error (exit 2)
// that names the command's --help. Repeatable options (--config, --secret) collect lists.
import { parseArgs } from "node:util";
import { usageError } from "./cli-error";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown in --help: `--input <json>`. */
  valueName?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpecs = {
  help: { type: "boolean", short: "h", description: "show this help" },
  json: { type: "boolean", description: "print the result as JSON (for scripts); progress still goes to stderr" },
};

export function parseCommandArgs(argv: string[], options: OptionSpecs, positionals: { min: number; max: number }, command: string): ParsedArgs {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(all).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, "") : String(err);
    throw usageError(message, `see \`capreg ${command} --help\``);
  }
  const values = parsed.values as ParsedArgs["values"];
  if (values.help) return { positionals: parsed.positionals, values };
  if (parsed.positionals.length < positionals.min) throw usageError(`${command}: missing argument`, `see \`capreg ${command} --help\``);
  if (parsed.positionals.length > positionals.max) {
    throw usageError(`${command}: unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`, `see \`capreg ${command} --help\``);
  }
  return { positionals: parsed.positionals, values };
}

/** `k=v` pairs of a repeatable option; numbers and booleans keep their type (`--config retries=3`). */
export function parseKeyValues(list: string[] | undefined, option: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const item of list ?? []) {
    const i = item.indexOf("=");
    if (i <= 0) throw usageError(`--${option} ${JSON.stringify(item)}: expected KEY=VALUE`);
    const key = item.slice(0, i);
    const raw = item.slice(i + 1);
    out[key] = raw === "true" ? true : raw === "false" ? false : raw !== "" && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

/** A comma-separated list option (`--grant a,b --grant c`). */
export function parseList(value: string | string[] | boolean | undefined): string[] {
  const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return items.flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
}

export function str(v: ParsedArgs["values"][string]): string | undefined {
  return typeof v === "string" ? v : undefined;
}

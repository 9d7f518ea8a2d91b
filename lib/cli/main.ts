// capreg: the command line for capability authors and operators. `runCli(argv, io)` finds
// the command, parses its options, runs it and turns every error into a message with a
// next step and an exit code (see cli-error.ts EXIT); `main()` binds it to the process. The
// bin shim scripts/capreg.mjs loads this file through tsx.
import { CliError, EXIT, usageError } from "./cli-error";
import { Output, type CliIo } from "./cli-io";
import { makeContext, type Command } from "./command";
import { COMMANDS, GROUPS } from "./commands";
import { formatFieldErrors } from "./format";
import { COMMON_OPTIONS, parseCommandArgs, type OptionSpecs } from "./parse-args";

export const CLI_VERSION = "0.1.0";

function optionLines(options: OptionSpecs): string[] {
  const rows = Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`, o.description]);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return rows.map(([a, b]) => `  ${a!.padEnd(width)}  ${b}`);
}

export function commandHelp(c: Command): string {
  return [
    `${c.usage}`,
    "",
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.description?.length ? ["", ...c.description] : []),
    "",
    "Options:",
    ...optionLines({ ...c.options, ...COMMON_OPTIONS }),
    ...(c.examples?.length ? ["", "Examples:", ...c.examples.map((e) => `  ${e}`)] : []),
    "",
  ].join("\n");
}

export function mainHelp(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "capreg – the Capability Registry from the command line",
    "",
    "Usage: capreg <command> [options]        capreg <command> --help for its options",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command accepts --json (machine-readable result on stdout; progress and warnings go to stderr) and --help.",
    "",
    "Server and token:",
    "  capreg login --url <url> stores them in $XDG_CONFIG_HOME/capreg/config.json (else ~/.config/capreg), mode 0600.",
    "  CAPREG_URL and CAPREG_TOKEN override the stored values.",
    "",
    "Exit codes:",
    `  ${EXIT.ok}  success`,
    `  ${EXIT.failure}  failure: invalid manifest, test mismatch, refused publish, failed invocation, broken audit chain`,
    `  ${EXIT.usage}  usage: unknown command or option, missing or malformed argument`,
    `  ${EXIT.auth}  authentication: not logged in, token refused, or missing scope / role`,
    `  ${EXIT.notFound}  not found: no such capability, agent, approval, file or folder`,
    `  ${EXIT.network}  the server cannot be reached or is unavailable`,
    `  ${EXIT.pending}  still pending: an approval was not decided within --wait`,
    "",
  ].join("\n");
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | { group: string } | null {
  const [first, second] = argv;
  if (!first) return null;
  if (second && !second.startsWith("-")) {
    const sub = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (sub) return { command: sub, rest: argv.slice(2) };
  }
  const single = COMMANDS.find((c) => c.name === first);
  if (single) return { command: single, rest: argv.slice(1) };
  if (GROUPS[first]) return { group: first };
  return null;
}

function groupHelp(group: string): string {
  const subs = COMMANDS.filter((c) => c.name.startsWith(group + " "));
  const width = Math.max(...subs.map((c) => c.name.length));
  return [`capreg ${group} – ${GROUPS[group]}`, "", "Commands:", ...subs.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), "", `capreg ${group} <command> --help for its options.`, ""].join("\n");
}

export interface RunOptions {
  /** The fetch to use (tests may pass one; the default is the global fetch). */
  fetch?: typeof fetch;
}

export async function runCli(argv: string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  const wantsJson = argv.includes("--json");
  const out = new Output(io, wantsJson);
  try {
    if (!argv.length || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      const topic = argv[0] === "help" ? argv.slice(1) : [];
      const found = topic.length ? findCommand(topic) : null;
      if (found && "command" in found) io.stdout.write(commandHelp(found.command));
      else if (found && "group" in found) io.stdout.write(groupHelp(found.group));
      else io.stdout.write(mainHelp());
      return argv.length ? EXIT.ok : EXIT.usage;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      io.stdout.write(`capreg ${CLI_VERSION}\n`);
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (!found) {
      const name = argv[0]!;
      const close = COMMANDS.map((c) => c.name).filter((n) => n.startsWith(name.slice(0, 3)));
      throw usageError(`unknown command ${JSON.stringify(name)}`, close.length ? `did you mean ${close.map((c) => `\`capreg ${c}\``).join(" or ")}? (capreg --help lists all)` : "capreg --help lists the commands");
    }
    if ("group" in found) {
      const asked = argv.slice(1).some((a) => a === "--help" || a === "-h");
      io.stdout.write(groupHelp(found.group));
      if (asked) return EXIT.ok;
      throw usageError(argv[1] ? `unknown ${found.group} command ${JSON.stringify(argv[1])}` : `capreg ${found.group} needs a command`);
    }
    const { command, rest } = found;
    const args = parseCommandArgs(rest, command.options, command.positionals, command.name);
    if (args.values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(makeContext(io, out, args, options.fetch));
  } catch (err) {
    if (io.signal.aborted && !(err instanceof CliError)) return 130;
    const e =
      err instanceof CliError
        ? err
        : new CliError(EXIT.failure, `unexpected error: ${err instanceof Error ? err.message : String(err)}`, { hint: "this is a bug in capreg; please report it with the command you ran" });
    if (wantsJson) {
      io.stdout.write(JSON.stringify({ ok: false, error: { exitCode: e.exitCode, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.hint ? { hint: e.hint } : {}), ...(e.errors ? { errors: e.errors } : {}) } }, null, 2) + "\n");
    } else {
      const lines = [`error: ${e.message}`, ...formatFieldErrors(e.errors ?? []), ...(e.hint ? [`hint: ${e.hint}`] : [])];
      io.stderr.write(lines.join("\n") + "\n");
    }
    return e.exitCode;
  }
}

/** Runs capreg in this process: argv from process.argv, Ctrl-C aborts long operations. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupted = 0;
  process.on("SIGINT", () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    controller.abort();
  });
  process.on("SIGTERM", () => controller.abort());
  // A closed pipe (`capreg audit tail -f | head`) ends the command quietly.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
  process.exitCode = controller.signal.aborted && code === EXIT.ok ? 0 : code;
}

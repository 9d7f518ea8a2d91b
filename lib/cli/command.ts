// The shape of a command (its name, help text, options and run function) and what a command
// gets to work with. Commands are registered in commands/index.ts; main.ts dispatches.
import { ApiClient } from "./api-client";
import type { CliIo, Output } from "./cli-io";
import { requireServer, resolveServer } from "./config";
import type { OptionSpecs, ParsedArgs } from "./parse-args";

export interface CommandContext {
  io: CliIo;
  out: Output;
  args: ParsedArgs;
  /** A client for the logged-in server (exit 3 with a hint when not logged in). */
  client(): ApiClient;
  /** A client when logged in, else null (for commands that work offline too). */
  optionalClient(): ApiClient | null;
}

export interface Command {
  /** "publish", or "agents list" for a subcommand. */
  name: string;
  summary: string;
  usage: string;
  description?: string[];
  options: OptionSpecs;
  positionals: { min: number; max: number };
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

export function makeContext(io: CliIo, out: Output, args: ParsedArgs, fetchImpl?: typeof fetch): CommandContext {
  return {
    io,
    out,
    args,
    client() {
      const s = requireServer(io.env);
      return new ApiClient(s.url, s.token, fetchImpl);
    },
    optionalClient() {
      const s = resolveServer(io.env);
      return s?.token ? new ApiClient(s.url, s.token, fetchImpl) : null;
    },
  };
}

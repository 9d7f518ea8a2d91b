// Runs the real `capreg` binary (scripts/capreg.mjs, a child process) for the CLI's
// integration tests, with its own config directory, and collects stdout, stderr and the
// exit code. `spawnCli` is for long-running commands (audit tail --follow).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";

export const BIN = path.resolve(import.meta.dirname, "../../../scripts/capreg.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliEnv {
  configHome: string;
  url?: string;
  token?: string;
  cwd?: string;
  stdin?: string;
}

function envFor(e: CliEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: e.configHome, XDG_CONFIG_HOME: e.configHome, NODE_ENV: "test" };
  if (e.url) env.CAPREG_URL = e.url;
  if (e.token) env.CAPREG_TOKEN = e.token;
  return env;
}

export function spawnCli(args: string[], e: CliEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: e.cwd ?? e.configHome, env: envFor(e), stdio: "pipe" });
}

export function runCli(args: string[], e: CliEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, e);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(e.stdin ?? "");
  });
}

/** Parses --json output, failing with the whole run in the message when it is not JSON. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

// What a command may touch of the outside world, passed in (not read from globals) so the
// commands are testable and main.ts is the only place that knows `process`. Output goes
// through `Output`: results to stdout (JSON with --json), progress and errors to stderr, so
// `--json` output is always exactly one JSON document (or NDJSON for streams).
import type { Readable, Writable } from "node:stream";

/** Environment variables (process.env, or a test's own). */
export type Env = Record<string, string | undefined>;

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: Env;
  cwd: string;
  /** Aborted on Ctrl-C: long-running commands (audit tail --follow, waits) stop cleanly. */
  signal: AbortSignal;
}

export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** A line of human output (ignored with --json). */
  line(text = ""): void {
    if (!this.json) this.io.stdout.write(text + "\n");
  }

  /** The command's result: `value` as JSON with --json, else the human text. */
  result(value: unknown, human?: string | string[]): void {
    if (this.json) this.io.stdout.write(JSON.stringify(value, null, 2) + "\n");
    else if (human !== undefined) this.io.stdout.write((Array.isArray(human) ? human.join("\n") : human) + "\n");
  }

  /** One record of a stream (NDJSON with --json). */
  record(value: unknown, human: string): void {
    this.io.stdout.write((this.json ? JSON.stringify(value) : human) + "\n");
  }

  /** Progress of a long operation: stderr only, never part of the result. */
  progress(text: string): void {
    this.io.stderr.write(`… ${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`warning: ${text}\n`);
  }
}

// The CLI's argument handling: options per command, usage errors (exit 2) with a pointer to
// --help, key=value and list options, secrets that refuse argv, and dispatch/help of runCli.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { CliError, EXIT } from "@/lib/cli/cli-error";
import { runCli } from "@/lib/cli/main";
import { parseCommandArgs, parseKeyValues, parseList } from "@/lib/cli/parse-args";
import { readSecretArgs } from "@/lib/cli/secret-args";
import { parseSseFrames } from "@/lib/cli/sse-client";

function io(env: Record<string, string> = {}, stdin = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  return {
    io: { stdout, stderr, stdin: Readable.from([stdin]), env: { HOME: "/nonexistent-home", ...env }, cwd: process.cwd(), signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(EXIT.usage);
    return e as CliError;
  }
  throw new Error("expected a usage error");
};

describe("parseCommandArgs", () => {
  const options = { agent: { type: "string", description: "" }, grant: { type: "string", multiple: true, description: "" }, force: { type: "boolean", short: "f", description: "" } } as const;

  test("reads options, repeatable options, short flags and the common --json/--help", () => {
    const a = parseCommandArgs(["slug", "--agent", "agt_1", "--grant", "a,b", "--grant", "c", "-f", "--json"], options, { min: 1, max: 1 }, "install");
    expect(a.positionals).toEqual(["slug"]);
    expect(a.values).toMatchObject({ agent: "agt_1", grant: ["a,b", "c"], force: true, json: true });
    expect(parseList(a.values.grant)).toEqual(["a", "b", "c"]);
  });

  test("unknown options, missing values and wrong positional counts are usage errors naming --help", () => {
    expect(usage(() => parseCommandArgs(["--nope"], options, { min: 0, max: 1 }, "install")).hint).toBe("see `capreg install --help`");
    expect(usage(() => parseCommandArgs(["--agent"], options, { min: 0, max: 1 }, "install")).message).toMatch(/--agent/);
    expect(usage(() => parseCommandArgs([], options, { min: 1, max: 1 }, "install")).message).toBe("install: missing argument");
    expect(usage(() => parseCommandArgs(["a", "b"], options, { min: 1, max: 1 }, "install")).message).toBe('install: unexpected argument "b"');
  });

  test("--help wins over missing arguments", () => {
    expect(parseCommandArgs(["--help"], options, { min: 1, max: 1 }, "install").values.help).toBe(true);
  });

  test("key=value pairs keep numbers and booleans, and refuse a missing key", () => {
    expect(parseKeyValues(["units=metric", "retries=3", "debug=true", "ratio=0.5", "empty="], "config")).toEqual({ units: "metric", retries: 3, debug: true, ratio: 0.5, empty: "" });
    usage(() => parseKeyValues(["=x"], "config"));
    usage(() => parseKeyValues(["novalue"], "config"));
  });
});

describe("secret arguments", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cli-secret-"));
  const o = (allowArgv = false, stdin = "from-stdin\n") => ({ cwd: dir, allowArgv, readStdin: async () => stdin });

  test("@file and @- are read (one trailing newline dropped); a literal needs --allow-argv-secrets", async () => {
    writeFileSync(path.join(dir, "key.txt"), "s3cret\n");
    expect(await readSecretArgs(["API_KEY=@key.txt", "OTHER=@-"], o())).toEqual({ API_KEY: "s3cret", OTHER: "from-stdin" });
    await expect(readSecretArgs(["API_KEY=literal"], o())).rejects.toMatchObject({ exitCode: EXIT.usage, message: expect.stringContaining("shell history") });
    expect(await readSecretArgs(["API_KEY=literal"], o(true))).toEqual({ API_KEY: "literal" });
  });

  test("stdin only once, a missing file is not found, an empty value is refused, and no message echoes a value", async () => {
    await expect(readSecretArgs(["A=@-", "B=@-"], o())).rejects.toMatchObject({ exitCode: EXIT.usage });
    await expect(readSecretArgs(["A=@missing.txt"], o())).rejects.toMatchObject({ exitCode: EXIT.notFound });
    await expect(readSecretArgs(["A=@-"], o(false, "\n"))).rejects.toMatchObject({ exitCode: EXIT.usage });
    const err = await readSecretArgs(["API_KEY=hunter2-value"], o()).catch((e: Error) => e);
    expect(String((err as Error).message) + String((err as CliError).hint)).not.toContain("hunter2-value");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("SSE frames", () => {
  test("parses id, event and multi-line data, skips comments, and keeps a partial frame for later", () => {
    const frames: { id?: string; event?: string; data: string }[] = [];
    const rest = parseSseFrames(': heartbeat\n\nid: 7\nevent: event\ndata: {"seq":7}\n\nid: 8\ndata: a\ndata: b\n\nid: 9\nda', (f) => frames.push(f));
    expect(frames).toEqual([
      { id: "7", event: "event", data: '{"seq":7}' },
      { id: "8", data: "a\nb" },
    ]);
    expect(rest).toBe("id: 9\nda");
  });
});

describe("runCli", () => {
  test("no arguments prints the help with the exit codes and exits 2; --help exits 0", async () => {
    const a = io();
    expect(await runCli([], a.io)).toBe(EXIT.usage);
    expect(a.out()).toMatch(/Exit codes:[\s\S]*0 {2}success[\s\S]*6 {2}still pending/);
    const b = io();
    expect(await runCli(["--help"], b.io)).toBe(EXIT.ok);
  });

  test("an unknown command suggests a close one; a group without a command lists its commands", async () => {
    const a = io();
    expect(await runCli(["valdate"], a.io)).toBe(EXIT.usage);
    expect(a.err()).toMatch(/unknown command "valdate"[\s\S]*capreg validate/);
    const b = io();
    expect(await runCli(["agents"], b.io)).toBe(EXIT.usage);
    expect(b.out()).toMatch(/agents list[\s\S]*agents create/);
    const c = io();
    expect(await runCli(["agents", "--help"], c.io)).toBe(EXIT.ok);
  });

  test("with --json an error is one JSON document on stdout", async () => {
    const a = io();
    expect(await runCli(["whoami", "--json"], a.io)).toBe(EXIT.auth);
    expect(JSON.parse(a.out())).toMatchObject({ ok: false, error: { exitCode: EXIT.auth, message: "not logged in", hint: expect.stringContaining("capreg login") } });
    expect(a.err()).toBe("");
  });

  test("every command answers --help with its usage and the common options", async () => {
    const { COMMANDS } = await import("@/lib/cli/commands");
    for (const c of COMMANDS) {
      const a = io();
      expect(await runCli([...c.name.split(" "), "--help"], a.io), c.name).toBe(EXIT.ok);
      expect(a.out()).toMatch(new RegExp(`^capreg ${c.name}`));
      expect(a.out()).toContain("--json");
    }
  });
});

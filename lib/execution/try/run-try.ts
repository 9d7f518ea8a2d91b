// Runs one try in a short-lived child process (scripts/sandbox-child.ts), never in the web
// server: a catastrophic V8 OOM in an isolate would take its whole process down. The parent
// enforces a hard wall timeout (SIGKILL → timed_out), caps stdout, and maps a crash
// (non-zero exit, signal, unreadable result) to sandbox_crashed. The job, secrets included,
// travels on stdin only (never argv or env). This module must not import isolated-vm.
import { spawn } from "node:child_process";
import path from "node:path";
import type { TryJob, TryResult } from "./types";

export const MAX_CHILD_STDOUT_BYTES = 2 * 1024 * 1024;
/** Extra time the child gets beyond the action's own budget (process start-up, tsx, teardown). */
export const CHILD_GRACE_MS = 5_000;

export interface RunTryOptions {
  /** Hard wall limit of the child; default job.timeoutMs + CHILD_GRACE_MS. */
  killAfterMs?: number;
  cwd?: string;
}

/** Only what a Node process needs: the child never sees the server's database URL or secrets. */
function childEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "TMP", "TEMP", "NODE_ENV", "VITEST", "SYSTEMROOT"]) {
    const v = process.env[key];
    if (v !== undefined) env[key] = v;
  }
  return env as NodeJS.ProcessEnv;
}

export function runTry(job: TryJob, options: RunTryOptions = {}): Promise<TryResult> {
  const started = performance.now();
  const killAfterMs = options.killAfterMs ?? job.timeoutMs + CHILD_GRACE_MS;
  const cwd = options.cwd ?? process.cwd();
  const wall = () => Math.round(performance.now() - started);
  const failure = (code: string, message: string): TryResult => ({ ok: false, error: { code, message }, logs: [], resources: { wallMs: wall(), networkCalls: 0 } });

  return new Promise<TryResult>((resolve) => {
    const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", path.join("scripts", "sandbox-child.ts")], {
      cwd,
      env: childEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let reason: "timed_out" | "output_too_large" | null = null;
    let settled = false;
    const settle = (r: TryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      reason = "timed_out";
      child.kill("SIGKILL");
    }, killAfterMs);

    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_CHILD_STDOUT_BYTES) {
        if (!reason) reason = "output_too_large";
        child.kill("SIGKILL");
        return;
      }
      chunks.push(chunk);
    });
    // The child's stderr may echo plugin or secret data: drained, never logged.
    child.stderr.on("data", () => {});
    child.stdin.on("error", () => {});
    child.on("error", () => settle(failure("sandbox_crashed", "the sandbox process could not be started")));
    child.on("close", (code, signal) => {
      if (reason === "timed_out") return settle(failure("timed_out", `the try did not finish within ${killAfterMs} ms`));
      if (reason === "output_too_large") return settle(failure("output_too_large", "the sandbox result exceeded 2 MB"));
      if (code !== 0 || signal) return settle(failure("sandbox_crashed", signal ? `the sandbox process was killed by ${signal}` : `the sandbox process exited with code ${code}`));
      try {
        const text = Buffer.concat(chunks).toString("utf8").trim();
        const last = text.slice(text.lastIndexOf("\n") + 1);
        const r = JSON.parse(last) as TryResult;
        if (typeof r !== "object" || r === null || typeof r.ok !== "boolean") throw new Error("bad result");
        settle({ ...r, logs: Array.isArray(r.logs) ? r.logs : [], resources: { ...r.resources, wallMs: r.resources?.wallMs ?? wall(), networkCalls: r.resources?.networkCalls ?? 0 } });
      } catch {
        settle(failure("sandbox_crashed", "the sandbox process returned no readable result"));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

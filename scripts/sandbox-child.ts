// One try, in its own short-lived process: reads one JSON job (lib/execution/try/types.ts
// TryJob) from stdin, runs it — code in an isolated-vm isolate, declarative/api-connector
// through the connector executor — writes one JSON TryResult to stdout and exits.
// Spawned by lib/execution/try/run-try.ts with --no-node-snapshot; the web server never
// loads isolated-vm. Nothing else may write to stdout: console output goes to stderr.
import { runConnector } from "../lib/execution/connectors/run-connector";
import { runInSandbox } from "../lib/execution/sandbox";
import { isTestEnvironment, type TryJob, type TryResult } from "../lib/execution/try/types";

const out = process.stdout;
console.log = console.error;
console.info = console.error;
console.debug = console.error;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function run(job: TryJob): Promise<TryResult> {
  const m = job.manifest;
  if (m.type === "code") {
    const r = await runInSandbox({
      source: m.source,
      action: job.action,
      input: job.input,
      config: job.config,
      secrets: job.secrets,
      grants: m.permissions,
      limits: { timeoutMs: job.timeoutMs },
    });
    const resources = { ...r.resources, networkCalls: 0 };
    return r.ok ? { ok: true, output: r.output, logs: r.logs, resources } : { ok: false, error: r.error, logs: r.logs, resources };
  }
  if (m.type === "declarative" || m.type === "api-connector") {
    // The test-only escape hatch of guardedFetch is dropped unless this process runs under tests.
    const isTest = isTestEnvironment();
    return runConnector({
      manifest: m,
      action: job.action,
      input: job.input,
      config: job.config,
      secrets: job.secrets,
      timeoutMs: job.timeoutMs,
      testOnlyTrustedAddresses: isTest ? job.testOnlyTrustedAddresses : undefined,
      testOnlyHosts: isTest ? job.testOnlyHosts : undefined,
    });
  }
  return { ok: false, error: { code: "not_supported", message: "workflows run once installed; try their steps' capabilities" }, logs: [], resources: { wallMs: 0, networkCalls: 0 } };
}

function finish(result: TryResult, code: number): void {
  out.write(`${JSON.stringify(result)}\n`, () => {
    // Let pending isolated-vm work settle one tick before exiting (exit mid-call can segfault).
    setImmediate(() => setTimeout(() => process.exit(code), 0));
  });
}

async function main(): Promise<void> {
  let job: TryJob;
  try {
    job = JSON.parse(await readStdin()) as TryJob;
  } catch {
    finish({ ok: false, error: { code: "sandbox_error", message: "the job could not be read" }, logs: [], resources: { wallMs: 0, networkCalls: 0 } }, 2);
    return;
  }
  try {
    finish(await run(job), 0);
  } catch (err) {
    finish({ ok: false, error: { code: "sandbox_error", message: err instanceof Error ? err.message : "the sandbox failed" }, logs: [], resources: { wallMs: 0, networkCalls: 0 } }, 0);
  }
}

void main();

// `npm run worker` (node --no-node-snapshot --import tsx scripts/worker.ts [--id exr_…]):
// one executor process against DATABASE_APP_URL / DATABASE_URL — the app's least-privileged
// role is enough, and it never migrates. `npm start` spawns and supervises these (passing
// --id so it can reclaim a dead one's work at once); started by hand on another machine
// against the same database, it is how the product scales past one machine. It needs the
// app's secrets key (SECRETS_KEY, or DATA_DIR holding the app's `secrets-key`) and refuses
// to start without one rather than invent a different key. SIGTERM, SIGINT when run by hand,
// or its supervisor going away stop it cleanly: running executions finish (bounded), then
// it lets isolated-vm settle for a tick before exiting (exiting mid-call can segfault).
import { existsSync } from "node:fs";
import path from "node:path";
import { getDataDir } from "../lib/data-dir";
import { appDatabaseUrl, createPrismaClient } from "../lib/db/prisma";
import { getEnv, maxConcurrentExecutions } from "../lib/env";
import { startExecutor, type ExecutorHandle } from "../lib/execution/executor/executor";
import { hasPrefix } from "../lib/ids";
import { log } from "../lib/log";
import { getSecretsKey } from "../lib/secrets/secrets-key";

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function exitSoon(code: number): void {
  // Let pending isolated-vm work settle one tick before exiting.
  setImmediate(() => setTimeout(() => process.exit(code), 0));
}

async function main(): Promise<void> {
  const env = getEnv();
  const id = argValue("--id");
  if (id !== undefined && !hasPrefix(id, "exr")) throw new Error(`--id must be an executor id (exr_…), got ${JSON.stringify(id)}`);
  const url = appDatabaseUrl();
  if (!env.SECRETS_KEY && !existsSync(path.join(getDataDir(), "secrets-key"))) {
    throw new Error("no secrets key: set SECRETS_KEY to the app's key, or DATA_DIR to a directory holding the app's secrets-key file");
  }
  getSecretsKey();

  const slots = env.EXECUTOR_SLOTS ?? Math.max(1, Math.ceil(maxConcurrentExecutions(env) / Math.max(1, env.EXECUTOR_PROCESSES)));
  const db = createPrismaClient(url, Math.max(4, slots + 2));
  // Signals may arrive while it is still starting: the handle lands here once it exists.
  const running: { executor?: ExecutorHandle } = {};
  let stopping = false;
  const shutdown = async (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    try {
      await running.executor?.stop(why);
    } catch (err) {
      log.error("executor stop failed", { error: err instanceof Error ? err.message : String(err) });
      code = 1;
    }
    await db.$disconnect().catch(() => {});
    exitSoon(code);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  if (process.send) {
    // Supervised (spawned with an IPC channel): Ctrl-C reaches the whole process group, but
    // the supervisor decides when its workers stop (SIGTERM, after the web server). The end
    // of the channel means the supervisor is gone.
    process.on("SIGINT", () => {});
    process.on("disconnect", () => void shutdown("the supervisor went away"));
  } else {
    process.on("SIGINT", () => void shutdown("SIGINT"));
  }
  process.on("uncaughtException", (err) => {
    log.error("uncaught exception in the executor", { error: err.message, stack: err.stack });
    process.exit(1);
  });
  process.on("unhandledRejection", (err) => {
    log.error("unhandled rejection in the executor", { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });

  const executor = await startExecutor({
    db,
    databaseUrl: url,
    slots,
    leaseMs: env.EXECUTION_LEASE_MS,
    maxConcurrent: maxConcurrentExecutions(env),
    maxRunsPerIsolate: env.SANDBOX_MAX_RUNS_PER_ISOLATE,
    ...(id ? { id } : {}),
  });
  running.executor = executor;
  if (stopping) await executor.stop("stopped while starting");
  process.send?.({ type: "ready", executorId: executor.id });
}

main().catch((err) => {
  log.error(`executor failed to start: ${err instanceof Error ? err.message : String(err)}`);
  exitSoon(1);
});

// `npm start`: builds the production app when its sources changed, boots the database
// (embedded unless DATABASE_URL is set), migrates, seeds, starts and supervises
// EXECUTOR_PROCESSES executor processes (scripts/worker.ts: plugin code never runs in the
// web server) and serves on PORT. Ctrl-C stops the server, then the executors (running
// executions finish, bounded), then the database, cleanly.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Socket } from "node:net";
import next from "next";
import { getEnv, resetEnvCache } from "../lib/env";
import { getDataDir } from "../lib/data-dir";
import { getAuthSecret } from "../lib/auth/auth-secret";
import { bootDatabase } from "../lib/db/boot";
import { getPrisma } from "../lib/db/prisma";
import { seedDatabase } from "../lib/db/seed";
import { appendEvent } from "../lib/events/append-event";
import { createDueCheckpoints } from "../lib/events/checkpoints";
import { getLiveEvents } from "../lib/events/live-events";
import { getSigningKey } from "../lib/events/signing-key";
import { startSupervisor, type Supervisor } from "../lib/execution/executor/supervisor";
import { CLIENT_IP_HEADER } from "../lib/http/client-ip";
import { log } from "../lib/log";
import { getSecretsKey } from "../lib/secrets/secrets-key";
import { APP_VERSION } from "../lib/version";

const isDev = process.argv.includes("--dev");
const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "next.config.mjs", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function buildIfNeeded() {
  const marker = path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const changed = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (built && built >= changed) return;
  log.info(built ? "sources changed since the last build: building" : "no production build yet: building (about a minute)");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/** The preview runtime bundles (.runtime/): rebuilt when missing or older than what they are built from. */
function buildPreviewRuntimeIfNeeded() {
  const manifest = path.join(root, ".runtime", "manifest.json");
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const inputs = ["package-lock.json", "lib/previews/presets.ts", "scripts/build-preview-runtime.mjs"];
  if (built && built >= Math.max(...inputs.map((s) => newestMtime(path.join(root, s))))) return;
  log.info("building the preview runtime (three, Chart.js, d3)");
  const result = spawnSync(process.execPath, [path.join(root, "scripts/build-preview-runtime.mjs"), "--quiet"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("building the preview runtime failed");
}

async function main() {
  const env = getEnv();
  buildPreviewRuntimeIfNeeded();
  if (!isDev) buildIfNeeded();
  const dataDir = getDataDir();
  const secret = getAuthSecret();
  const database = await bootDatabase({ secret, log: (l) => log.info(l) });

  // The web process knows only the least-privileged connection.
  process.env.DATABASE_URL = database.appUrl;
  process.env.DATABASE_APP_URL = database.appUrl;
  process.env.AUTH_SECRET = secret;
  process.env.NEXTAUTH_SECRET = secret;
  process.env.NEXTAUTH_URL ??= env.APP_URL ?? `http://localhost:${env.PORT}`;
  process.env.CAPREG_DB_LEAST_PRIVILEGE = database.isLeastPrivilege ? "1" : "0";
  process.env.CAPREG_STARTED_AT = new Date().toISOString();
  resetEnvCache();
  getSigningKey();

  const db = getPrisma();
  const seed = await seedDatabase(db);
  await appendEvent(db, {
    type: "system.started",
    data: { version: APP_VERSION, instance: `${os.hostname()}:${process.pid}` },
    stream: { type: "system", id: "system" },
    actor: { type: "system", id: null },
  });
  const executors = startExecutors();

  const app = next({ dev: isDev, dir: root, port: env.PORT, hostname: env.HOSTNAME ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    // The only trustworthy client address is the socket's; a client-sent copy is dropped.
    const forwarded = env.TRUST_PROXY ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
    req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || "unknown";
    void handle(req, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOSTNAME, resolve));

  const checkpointTimer = setInterval(() => {
    createDueCheckpoints(db, { atHead: true }).catch((err) => log.error("checkpoint failed", { error: String(err) }));
  }, env.AUDIT_CHECKPOINT_INTERVAL_MS);
  const everyTimer = setInterval(() => {
    createDueCheckpoints(db).catch((err) => log.error("checkpoint failed", { error: String(err) }));
  }, 5000);
  void getLiveEvents().start();

  const url = `http://localhost:${env.PORT}`;
  const lines = [
    "",
    `  Capability Registry ${APP_VERSION} is running at ${url}`,
    `  database: ${database.isEmbedded ? `embedded PostgreSQL, data in ${path.join(dataDir, "pg")}` : "DATABASE_URL"}`,
    `  admin login: ${seed.adminEmail}`,
  ];
  if (seed.adminPassword && !env.ADMIN_PASSWORD) lines.push(`  password:    ${seed.adminPassword}   (shown once; also in ${seed.passwordFile}, mode 0600)`);
  else if (seed.passwordFile) lines.push(`  password:    in ${seed.passwordFile}`);
  else lines.push("  password:    ADMIN_PASSWORD");
  lines.push("  Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));

  let stopping = false;
  // While stopping, connections dropped by the database going away are expected.
  process.on("uncaughtException", (err) => {
    if (stopping) return;
    log.error("uncaught exception", { error: err.message, stack: err.stack });
    process.exit(1);
  });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    clearInterval(checkpointTimer);
    clearInterval(everyTimer);
    server.close();
    // SSE streams never end by themselves; give requests a moment, then cut them.
    setTimeout(() => sockets.forEach((s) => s.destroy()), 1500).unref();
    await new Promise((r) => setTimeout(r, sockets.size ? 1600 : 0));
    // Executors before the database: they finish or hand back their work while it is up.
    await executors?.stop();
    await getLiveEvents().close();
    await db.$disconnect().catch(() => {});
    await database.stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/** Environment of an executor process: what it needs to reach the database and decrypt secrets, not the web's keys. */
function executorEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: getDataDir() };
  for (const k of ["AUTH_SECRET", "NEXTAUTH_SECRET", "ADMIN_PASSWORD", "AUDIT_SIGNING_KEY"]) delete env[k];
  return env;
}

function startExecutors(): Supervisor | null {
  const count = getEnv().EXECUTOR_PROCESSES;
  if (count === 0) {
    log.info("EXECUTOR_PROCESSES=0: no executor processes here (run `npm run worker` against this database)");
    return null;
  }
  // Created now if it does not exist yet, so the executors read the same key from DATA_DIR.
  getSecretsKey();
  return startSupervisor({
    count,
    db: getPrisma(),
    command: { file: process.execPath, args: ["--no-node-snapshot", "--import", "tsx", path.join(root, "scripts/worker.ts")] },
    cwd: root,
    env: executorEnv(),
  });
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

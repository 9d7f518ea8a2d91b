// Starts the real server as users do (`npx tsx scripts/start.ts`) in a child process with
// its own DATA_DIR, waits for /api/health, and stops it with SIGINT (Ctrl-C), which makes
// it stop its own embedded PostgreSQL. Output goes to a log file, not the console.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface StartServerOptions {
  root: string;
  dataDir: string;
  port: number;
  pgPort: number;
  adminEmail: string;
  adminPassword: string;
  logFile: string;
  /** How long to wait for /api/health (the first start may run `next build`). */
  readyTimeoutMs?: number;
  /** Extra environment for the server (e.g. NODE_OPTIONS for profiling). */
  env?: Record<string, string>;
  onProgress?: (line: string) => void;
}

export interface ServerHandle {
  baseUrl: string;
  port: number;
  pgPort: number;
  dataDir: string;
  pid: number;
  /** Seconds from spawn to the first healthy response. */
  startupSeconds: number;
  /** Whether the start ran `next build`. */
  built: boolean;
  /** Owner (superuser) connection to the server's embedded database. */
  ownerUrl(): string;
  /** SIGINT, then wait for exit; escalates to SIGKILL of the process group after a grace period. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; graceful: boolean; leftovers: boolean }>;
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1" }, () => srv.close(() => resolve(true)));
  });
}

export async function findFreePort(preferred: number, exclude: number[] = []): Promise<number> {
  for (let p = preferred; p < preferred + 200; p++) {
    if (!exclude.includes(p) && (await isPortFree(p))) return p;
  }
  throw new Error(`no free port near ${preferred}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Environment variables that would point the child at another database or identity. */
const STRIPPED_ENV = ["DATABASE_URL", "DATABASE_APP_URL", "AUTH_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "APP_URL", "AUDIT_SIGNING_KEY", "HOSTNAME"];

export async function startServer(o: StartServerOptions): Promise<ServerHandle> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIPPED_ENV.includes(k)) env[k] = v;
  Object.assign(env, {
    DATA_DIR: o.dataDir,
    PORT: String(o.port),
    EMBEDDED_PG_PORT: String(o.pgPort),
    ADMIN_EMAIL: o.adminEmail,
    ADMIN_PASSWORD: o.adminPassword,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...o.env,
  });
  const log = createWriteStream(o.logFile, { flags: "a" });
  log.write(`\n=== ${new Date().toISOString()} npx tsx scripts/start.ts (PORT=${o.port} EMBEDDED_PG_PORT=${o.pgPort} DATA_DIR=${o.dataDir})\n`);
  const started = performance.now();
  // Its own process group, so a crash of the bench can still take the whole tree down.
  const child: ChildProcess = spawn("npx", ["tsx", "scripts/start.ts"], { cwd: o.root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not spawn the server");
  let built = false;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    log.write(text);
    if (/building/i.test(text) && !built) {
      built = true;
      o.onProgress?.("server: running `next build` first (sources changed since the last build)");
    }
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);
  const killGroup = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.once("exit", killGroup);

  const baseUrl = `http://localhost:${o.port}`;
  const deadline = started + (o.readyTimeoutMs ?? 240_000);
  for (;;) {
    if (exited) {
      log.end();
      throw new Error(`the server exited during start-up (code ${exited.code}, signal ${exited.signal}); see ${o.logFile}`);
    }
    if (performance.now() > deadline) {
      killGroup();
      log.end();
      throw new Error(`the server was not healthy within ${Math.round((o.readyTimeoutMs ?? 240_000) / 1000)} s; see ${o.logFile}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  const startupSeconds = (performance.now() - started) / 1000;

  return {
    baseUrl,
    port: o.port,
    pgPort: o.pgPort,
    dataDir: o.dataDir,
    pid,
    startupSeconds,
    built,
    ownerUrl() {
      const password = readFileSync(path.join(o.dataDir, "pg-superuser-password"), "utf8").trim();
      return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${o.pgPort}/capreg`;
    },
    async stop() {
      if (!exited) {
        // Ctrl-C: npx relays it to tsx, tsx to the server, which closes and stops its database.
        try {
          process.kill(pid, "SIGINT");
        } catch {
          // already gone
        }
      }
      const graceful = await Promise.race([exitPromise.then(() => true), sleep(30_000).then(() => false)]);
      if (!graceful) killGroup();
      const result = await exitPromise;
      // The group should be empty after a clean stop; anything left (e.g. postgres) is ours.
      let leftovers = false;
      for (let i = 0; i < 25 && groupAlive(); i++) await sleep(200);
      if (groupAlive()) {
        leftovers = true;
        killGroup();
      }
      process.off("exit", killGroup);
      await new Promise<void>((r) => log.end(r));
      return { ...result, graceful, leftovers };
    },
  };
}

// Starts the real server as users do (`npx tsx scripts/start.ts`) in a child process with
// its own DATA_DIR, waits for /api/health, and stops it with SIGINT (Ctrl-C), which makes
// it stop its own embedded PostgreSQL. Output goes to a log file, not the console.
import { spawn } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from "node:fs";
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
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Node flags for the server process (tsx passes them on), e.g. --cpu-prof. */
  nodeArgs?: string[];
  onProgress?: (line: string) => void;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Exited after SIGINT (to the server, or else to its process group). */
  graceful: boolean;
  via: "SIGINT to the server" | "SIGINT to the process group" | "SIGKILL";
  /** Processes of its group were still alive after it exited (they were killed). */
  leftovers: boolean;
  seconds: number;
  /** Error lines the server printed while stopping. */
  shutdownErrors: string[];
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
  stop(): Promise<StopResult>;
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

type Exit = { code: number | null; signal: NodeJS.Signals | null };

interface Spawned {
  pid: number;
  exited: Exit | undefined;
  exitPromise: Promise<Exit>;
  sawBuildLock: boolean;
  /** Everything the server printed (stdout + stderr). */
  output: string[];
  killGroup(): void;
  groupAlive(): boolean;
  /** Forget the process (it has exited): no kill at the bench's exit. */
  detach(): void;
}

function spawnServer(root: string, env: Record<string, string>, nodeArgs: string[], log: WriteStream, onBuild: () => void): Spawned {
  // Its own process group, so a crash of the bench can still take the whole tree down.
  const child = spawn("npx", ["tsx", ...nodeArgs, "scripts/start.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not spawn the server");
  const killGroup = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const s: Spawned = {
    pid,
    exited: undefined,
    exitPromise: new Promise<Exit>((resolve) =>
      child.once("exit", (code, signal) => {
        s.exited = { code, signal };
        resolve(s.exited);
      }),
    ),
    sawBuildLock: false,
    output: [],
    killGroup,
    groupAlive() {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    },
    detach: () => process.off("exit", killGroup),
  };
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    log.write(text);
    s.output.push(text);
    if (/optimized production build|building/i.test(text)) onBuild();
    if (/Another next build process is already running/i.test(text)) s.sawBuildLock = true;
  };
  child.stdout.on("data", onOutput);
  child.stderr.on("data", onOutput);
  process.once("exit", killGroup);
  return s;
}

async function waitHealthy(baseUrl: string, child: Spawned, deadline: number): Promise<"healthy" | "exited" | "timeout"> {
  for (;;) {
    if (child.exited) return "exited";
    if (performance.now() > deadline) return "timeout";
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200 && !child.exited) return "healthy";
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** The deepest descendant of `root` running scripts/start.ts (Linux /proc), i.e. the server itself. */
function serverProcess(root: number): number | undefined {
  try {
    const children = new Map<number, number[]>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        // exited meanwhile
      }
    }
    let found: number | undefined;
    const queue = [root];
    while (queue.length) {
      const p = queue.shift()!;
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
        if (cmd.some((a) => a.endsWith("scripts/start.ts")) && !cmd[0]?.endsWith("postgres")) found = p;
      } catch {
        // exited meanwhile
      }
      queue.push(...(children.get(p) ?? []));
    }
    return found;
  } catch {
    return undefined;
  }
}

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
  const started = performance.now();
  const deadline = started + (o.readyTimeoutMs ?? 240_000);
  const baseUrl = `http://localhost:${o.port}`;
  let built = false;
  let child: Spawned;
  for (let attempt = 1; ; attempt++) {
    log.write(`\n=== ${new Date().toISOString()} npx tsx scripts/start.ts (PORT=${o.port} EMBEDDED_PG_PORT=${o.pgPort} DATA_DIR=${o.dataDir}) attempt ${attempt}\n`);
    child = spawnServer(o.root, env, o.nodeArgs ?? [], log, () => {
      if (!built) o.onProgress?.("server: running `next build` first (sources changed since the last build)");
      built = true;
    });
    const outcome = await waitHealthy(baseUrl, child, deadline);
    if (outcome === "healthy") break;
    if (outcome === "timeout") {
      child.killGroup();
      log.end();
      throw new Error(`the server was not healthy within ${Math.round((o.readyTimeoutMs ?? 240_000) / 1000)} s; see ${o.logFile}`);
    }
    // It may have exited after starting its database (start.ts exits without stopping it then).
    if (child.groupAlive()) child.killGroup();
    // Another engineer's `next build` holds the build lock: wait for it and start again.
    if (child.sawBuildLock && performance.now() + 10_000 < deadline) {
      o.onProgress?.("server: another `next build` is running in this checkout; retrying in 10 s");
      child.detach();
      await sleep(10_000);
      continue;
    }
    child.detach();
    log.end();
    const e = child.exited;
    throw new Error(`the server exited during start-up (code ${e?.code}, signal ${e?.signal}); see ${o.logFile}`);
  }
  const { pid, killGroup, groupAlive, exitPromise } = child;
  let exited = child.exited;
  void exitPromise.then((e) => (exited = e));
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
      const outputBefore = child.output.length;
      if (!exited) {
        // SIGINT to the server process itself (npx and its `sh -c` do not relay signals);
        // it closes, stops its embedded database, and the wrappers exit after it.
        const target = serverProcess(pid) ?? pid;
        signal(target, "SIGINT");
      }
      const t0 = performance.now();
      let via: StopResult["via"] = "SIGINT to the server";
      let graceful = await Promise.race([exitPromise.then(() => true), sleep(20_000).then(() => false)]);
      if (!graceful) {
        // What a terminal's Ctrl-C does: SIGINT to the whole group.
        via = "SIGINT to the process group";
        signal(-pid, "SIGINT");
        graceful = await Promise.race([exitPromise.then(() => true), sleep(10_000).then(() => false)]);
      }
      if (!graceful) {
        via = "SIGKILL";
        killGroup();
      }
      const result = await exitPromise;
      // The group should be empty after a clean stop; anything left (e.g. postgres) is ours.
      let leftovers = false;
      for (let i = 0; i < 25 && groupAlive(); i++) await sleep(200);
      if (groupAlive()) {
        leftovers = true;
        killGroup();
      }
      child.detach();
      await new Promise<void>((r) => log.end(r));
      const shutdownOutput = child.output.slice(outputBefore).join("");
      const errors = shutdownOutput.split("\n").filter((l) => /uncaught|error/i.test(l) && !/npm warn/.test(l)).map((l) => l.trim());
      return { ...result, graceful, leftovers, via, seconds: (performance.now() - t0) / 1000, shutdownErrors: [...new Set(errors)] };
    },
  };
}

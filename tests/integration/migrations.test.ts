// The migration runner keeps _prisma_migrations exactly as Prisma Migrate does, is
// idempotent, and refuses to start on a modified or failed migration.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getMigrationStatus, migrate, readMigrations } from "../../lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(() => t.drop());

test("applies every migration once and records it as Prisma does", async () => {
  const first = await migrate(t.ownerUrl);
  const names = readMigrations().map((m) => m.name);
  expect(first.applied).toEqual(names);
  const owner = await t.ownerClient();
  const rows = (await owner.query(`SELECT * FROM "_prisma_migrations" ORDER BY started_at`)).rows;
  expect(rows).toHaveLength(names.length);
  for (const [i, row] of rows.entries()) {
    const sql = readFileSync(`prisma/migrations/${names[i]}/migration.sql`, "utf8");
    expect(row).toMatchObject({
      migration_name: names[i],
      checksum: createHash("sha256").update(sql).digest("hex"),
      applied_steps_count: 1,
      logs: null,
      rolled_back_at: null,
    });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
  }
  const columns = (await owner.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`)).rows;
  expect(columns.map((c) => c.column_name)).toEqual(["id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count"]);
  await owner.end();
});

test("is idempotent: a second run applies nothing and changes no record", async () => {
  const owner = await t.ownerClient();
  const before = (await owner.query(`SELECT * FROM "_prisma_migrations" ORDER BY started_at`)).rows;
  const second = await migrate(t.ownerUrl);
  expect(second.applied).toEqual([]);
  expect(second.alreadyApplied).toHaveLength(before.length);
  expect((await owner.query(`SELECT * FROM "_prisma_migrations" ORDER BY started_at`)).rows).toEqual(before);
  expect((await getMigrationStatus(owner)).isCurrent).toBe(true);
  await owner.end();
});

test("concurrent runs (two instances starting) apply each migration once", async () => {
  const fresh = await createTestDatabase({ migrate: false });
  const results = await Promise.all([migrate(fresh.ownerUrl), migrate(fresh.ownerUrl)]);
  expect(results.map((r) => r.applied.length).sort()).toEqual([0, readMigrations().length]);
  await fresh.drop();
});

test("refuses to run when an applied migration was modified", async () => {
  const owner = await t.ownerClient();
  const name = readMigrations()[0]!.name;
  const { rows } = await owner.query(`SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
  await owner.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, ["0".repeat(64), name]);
  await expect(migrate(t.ownerUrl)).rejects.toThrow(/was modified after it was applied/);
  await owner.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [rows[0].checksum, name]);
  await owner.end();
});

test("refuses to run while a failed migration is unresolved", async () => {
  const owner = await t.ownerClient();
  await owner.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES (gen_random_uuid()::text, $1, '29990101000000_broken', 'boom', now(), 0)`,
    ["a".repeat(64)],
  );
  await expect(migrate(t.ownerUrl)).rejects.toThrow(/failed earlier/);
  await owner.end();
});

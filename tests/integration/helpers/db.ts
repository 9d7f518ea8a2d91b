// Gives a test file its own fresh database, migrated, with the app's least-privileged
// role, and a Prisma client that connects as that role (as the app does).
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { ensureAppRole } from "../../../lib/db/app-role";
import { migrate } from "../../../lib/db/migrate";
import { createPrismaClient, type Db } from "../../../lib/db/prisma";
import { resetEnvCache } from "../../../lib/env";

export interface TestDatabase {
  name: string;
  /** Superuser/owner connection to this database (bypasses the app role's limits). */
  ownerUrl: string;
  /** The app role's connection. */
  appUrl: string;
  db: Db;
  /** Opens a raw pg client as the owner; the caller ends it. */
  ownerClient(): Promise<pg.Client>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  // Secrets and signing keys of this test file live in their own directory.
  process.env.DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "capreg-itf-"));
  process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
  resetEnvCache();
  const adminUrl = inject("adminDatabaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const ownerUrl = withDatabase(adminUrl, name);
  let appUrl = ownerUrl;
  if (options.migrate !== false) {
    await migrate(ownerUrl);
    appUrl = (await ensureAppRole({ ownerUrl, secret: process.env.AUTH_SECRET })).appUrl;
  }
  const db = createPrismaClient(appUrl);
  return {
    name,
    ownerUrl,
    appUrl,
    db,
    async ownerClient() {
      const c = new pg.Client({ connectionString: ownerUrl });
      await c.connect();
      return c;
    },
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${name}_app`).catch(() => {});
      await c.end();
    },
  };
}

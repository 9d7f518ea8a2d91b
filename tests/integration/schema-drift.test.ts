// prisma/schema.prisma and prisma/migrations must describe the same database: migrate a
// fresh one, read it back from pg_catalog and compare with what the schema implies.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrate } from "../../lib/db/migrate";
import { diffSchema, introspectDatabase, parsePrismaSchema, type DatabaseShape } from "../../lib/db/schema-drift";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

const schemaText = readFileSync(path.resolve(process.cwd(), "prisma/schema.prisma"), "utf8");

let t: TestDatabase;
let migrated: DatabaseShape;

async function introspect(): Promise<DatabaseShape> {
  const client = await t.ownerClient();
  try {
    return await introspectDatabase(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
  await migrate(t.ownerUrl);
  migrated = await introspect();
});
afterAll(async () => {
  await t?.drop();
});

test("the migrations create exactly the database schema.prisma describes", () => {
  const drift = diffSchema(parsePrismaSchema(schemaText), migrated);
  expect(drift, `schema.prisma and prisma/migrations disagree:\n${drift.join("\n")}`).toEqual([]);
  // Guards against a vacuous pass, e.g. an introspection that finds nothing.
  expect(Object.keys(migrated.tables)).toEqual(expect.arrayContaining(["users", "api_tokens", "events"]));
  expect(migrated.enums.Role).toEqual(["admin", "member"]);
});

test("a field added to schema.prisma without a migration is reported", () => {
  const modified = schemaText.replace(/(model User \{\n)/, "$1  extra String\n");
  expect(modified).not.toBe(schemaText);
  expect(diffSchema(parsePrismaSchema(modified), migrated)).toEqual(["users: missing column extra (text NOT NULL)"]);
});

test("a column added to the database outside the migrations is reported", async () => {
  const client = await t.ownerClient();
  try {
    await client.query("ALTER TABLE users ADD COLUMN surprise int");
  } finally {
    await client.end();
  }
  expect(diffSchema(parsePrismaSchema(schemaText), await introspect())).toEqual(["users: extra column surprise (integer)"]);
});

// The first-start seed: the catalog and the built-ins are published, public and approved,
// idempotently, with no invented installs or reviews.
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedDatabase } from "../../lib/db/seed";
import { resetEnvCache } from "../../lib/env";
import { verifyChain } from "../../lib/events/verify-chain";
import { readSeedCatalog } from "../../lib/registry/seed-catalog";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { useAppDatabase } from "./helpers/app";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  process.env.ADMIN_EMAIL = "seed-admin@example.com";
  process.env.ADMIN_PASSWORD = "seed-admin-password";
});
afterAll(() => t.drop());

test("publishes every catalog capability and the built-ins, once", async () => {
  const first = await seedDatabase(t.db);
  expect(first).toMatchObject({ adminEmail: "seed-admin@example.com", created: true });
  const catalog = readSeedCatalog();
  const caps = await t.db.capability.findMany({ select: { slug: true, isBuiltin: true, versions: { select: { version: true, visibility: true, reviewState: true, status: true } } } });
  const slugs = caps.map((c) => c.slug).sort();
  expect(slugs).toEqual([...catalog.map((c) => c.manifest.slug), "code-asset", "preview", "task-materialization"].sort());
  for (const c of caps) expect(c.versions).toEqual([{ version: "1.0.0", visibility: "public", reviewState: "approved", status: "published" }]);
  expect(caps.filter((c) => c.isBuiltin).map((c) => c.slug).sort()).toEqual(["code-asset", "preview", "task-materialization"]);
  expect(await t.db.installation.count()).toBe(0);
  expect(await t.db.review.count()).toBe(0);
  const before = await verifyChain(t.db);
  const second = await seedDatabase(t.db);
  expect(second.created).toBe(false);
  expect(await t.db.capability.count()).toBe(caps.length);
  // A second start changes nothing, so it writes no event either.
  expect((await verifyChain(t.db)).headSeq).toBe(before.headSeq);
});

test("the system publisher is verified and cannot sign in", async () => {
  const publisher = await t.db.user.findFirstOrThrow({ where: { isVerifiedPublisher: true }, select: { disabledAt: true, role: true } });
  expect(publisher.disabledAt).not.toBeNull();
  expect(publisher.role).toBe("member");
});

test("a restart without ADMIN_EMAIL keeps the existing administrator and adds none", async () => {
  const admins = await t.db.user.count({ where: { role: "admin" } });
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
  resetEnvCache();
  const again = await seedDatabase(t.db);
  expect(again).toMatchObject({ adminEmail: "seed-admin@example.com", created: false });
  expect(await t.db.user.count({ where: { role: "admin" } })).toBe(admins);
});

test("two instances seeding at the same moment both start, with one admin and one catalog", async () => {
  const fresh = await createTestDatabase();
  process.env.ADMIN_EMAIL = "race@example.com";
  process.env.ADMIN_PASSWORD = "race-admin-password";
  resetEnvCache();
  try {
    const results = await Promise.all([seedDatabase(fresh.db), seedDatabase(fresh.db)]);
    expect(results.map((r) => r.adminEmail)).toEqual(["race@example.com", "race@example.com"]);
    expect(await fresh.db.user.count({ where: { email: "race@example.com" } })).toBe(1);
    expect(await fresh.db.capability.count()).toBe(readSeedCatalog().length + 3);
    expect((await verifyChain(fresh.db)).ok).toBe(true);
  } finally {
    await fresh.drop();
  }
});

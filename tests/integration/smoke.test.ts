import { afterAll, beforeAll, expect, test } from "vitest";
import { appendEvent } from "../../lib/events/append-event";
import { verifyChain } from "../../lib/events/verify-chain";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t.drop(); });

test("append and verify", async () => {
  const a = await appendEvent(t.db, { type: "note.recorded", data: { message: "hi" }, stream: { type: "system", id: "system" }, actor: { type: "system", id: null } });
  expect(a.id).toMatch(/^evt_/);
  const v = await verifyChain(t.db);
  expect(v.ok).toBe(true);
});

// Publishes the seed catalog (prisma/seed/catalog) and the built-ins as public, approved
// versions owned by the product's own publisher account, which cannot sign in. Idempotent:
// a capability that exists is left alone, so a later release of the catalog is published by
// bumping its version there and running the publish flow, not by overwriting.
import { randomBytes } from "node:crypto";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/prisma";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { ensureBuiltinCapabilities, publishShippedCapability } from "./builtin-capabilities";
import { orderByDependencies, readSeedCatalog } from "./seed-catalog";

export const SYSTEM_PUBLISHER_EMAIL = "publisher@capreg.invalid";
const SYSTEM: Actor = { type: "system", id: null };

async function ensureSystemPublisher(db: Db): Promise<string> {
  const existing = await db.user.findUnique({ where: { email: SYSTEM_PUBLISHER_EMAIL }, select: { id: true } });
  if (existing) return existing.id;
  const id = newId("usr");
  const passwordHash = await hashPassword(randomBytes(32).toString("hex"));
  try {
    await db.$transaction(async (tx) => {
      await tx.user.create({
        data: { id, email: SYSTEM_PUBLISHER_EMAIL, name: "Capability Registry", passwordHash, role: "member", isVerifiedPublisher: true, disabledAt: new Date() },
        select: { id: true },
      });
      await appendEvent(tx, { type: "user.created", data: { email: SYSTEM_PUBLISHER_EMAIL, role: "member", via: "seed" }, stream: { type: "user", id }, subject: { type: "user", id }, actor: SYSTEM });
      await appendEvent(tx, { type: "publisher.verification_changed", data: { userId: id, verified: true }, stream: { type: "user", id }, subject: { type: "user", id }, actor: SYSTEM });
    });
    return id;
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") return (await db.user.findUniqueOrThrow({ where: { email: SYSTEM_PUBLISHER_EMAIL }, select: { id: true } })).id;
    throw err;
  }
}

export async function publishSeedCatalog(db: Db): Promise<{ created: string[]; existing: string[] }> {
  const ownerId = await ensureSystemPublisher(db);
  const result = await ensureBuiltinCapabilities(db, ownerId);
  for (const { manifest } of orderByDependencies(readSeedCatalog())) {
    const isNew = await publishShippedCapability(db, { manifest, ownerId, isBuiltin: false, changelog: "First release." });
    (isNew ? result.created : result.existing).push(manifest.slug);
  }
  return result;
}

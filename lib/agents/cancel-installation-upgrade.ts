// Drops an upgrade that waits for consent; the installed version was never touched.
// Evented as installation.upgrade_cancelled on the agent's stream, in the same transaction.
import type { Db } from "../db/prisma";
import { conflict } from "../errors";
import { loadInstallationView } from "./installation-views";
import { appendInstallationEvent, lockInstallation } from "./lock-installation";
import type { UpdateInstallationOptions, UpdateInstallationResult } from "./update-installation";

export async function cancelInstallationUpgrade(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult> {
  const { caller, agentId, installationId } = options;
  await db.$transaction(async (tx) => {
    const inst = await lockInstallation(tx, { caller, agentId, installationId });
    if (!inst.pendingVersionId) throw conflict(`no upgrade of ${inst.capability.slug} is waiting for consent`);
    const pending = await tx.capabilityVersion.findUniqueOrThrow({ where: { id: inst.pendingVersionId }, select: { version: true } });
    await tx.installation.update({ where: { id: inst.id }, data: { pendingVersionId: null }, select: { id: true } });
    await appendInstallationEvent(tx, {
      caller,
      inst,
      type: "installation.upgrade_cancelled",
      data: { slug: inst.capability.slug, from: inst.version.version, to: pending.version },
    });
  });
  return { status: "upgrade_cancelled", installation: (await loadInstallationView(db, { caller, agentId, installationId }))! };
}

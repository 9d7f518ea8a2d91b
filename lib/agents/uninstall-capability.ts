// Removes an installation from an agent (its encrypted secrets go by cascade) with
// installation.uninstalled. Refused (409) while another installation on the agent
// requires it by a non-optional dependency, naming each. Dependencies that were installed
// along stay installed: they may be in use, and uninstalling them is one more call.
import type { Db } from "../db/prisma";
import { conflict } from "../errors";
import type { Caller } from "./agent-access";
import { findDependents } from "./find-dependents";
import { appendInstallationEvent, lockInstallation } from "./lock-installation";

export async function uninstallCapability(
  db: Db,
  options: { caller: Caller; agentId: string; installationId: string },
): Promise<{ id: string; uninstalled: true; capability: { slug: string }; version: string }> {
  const { caller, agentId, installationId } = options;
  return db.$transaction(async (tx) => {
    const inst = await lockInstallation(tx, { caller, agentId, installationId });
    const slug = inst.capability.slug;
    const dependents = (await findDependents(tx, { agentId, slug, excludeInstallationId: inst.id })).filter((d) => !d.optional);
    if (dependents.length) {
      throw conflict(`${slug} is required by ${dependents.map((d) => `${d.slug} (installation ${d.installationId}, needs ${d.range})`).join(", ")}: uninstall ${dependents.length > 1 ? "those" : "it"} first`);
    }
    await tx.installation.delete({ where: { id: inst.id }, select: { id: true } });
    await appendInstallationEvent(tx, { caller, inst, type: "installation.uninstalled", data: { slug, version: inst.version.version } });
    return { id: inst.id, uninstalled: true as const, capability: { slug }, version: inst.version.version };
  });
}

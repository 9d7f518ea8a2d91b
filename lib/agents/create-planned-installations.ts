// Writes planned installations (the one asked for and the dependencies installed along)
// inside the caller's transaction: the row, its encrypted secrets, and its
// installation.created event (key names only; secret values also passed for redaction).
import type { Prisma } from "../db/prisma";
import { appendEvent } from "../events/append-event";
import { saveInstallationSecrets } from "../secrets/save-installation-secrets";
import type { Caller } from "./agent-access";
import type { PlannedInstall } from "./plan-dependencies";

export async function createPlannedInstallations(tx: Prisma.TransactionClient, options: { caller: Caller; agentId: string; installs: PlannedInstall[] }): Promise<void> {
  const { caller, agentId } = options;
  for (const p of options.installs) {
    await tx.installation.create({
      data: {
        id: p.installationId,
        agentId,
        capabilityId: p.capability.id,
        versionId: p.version.id,
        grantedPermissions: p.granted,
        config: p.config,
        requiredById: p.requiredBy?.installationId ?? null,
        installedById: caller.userId,
      },
      select: { id: true },
    });
    await saveInstallationSecrets(tx, { installationId: p.installationId, set: p.secrets });
    await appendEvent(tx, {
      type: "installation.created",
      data: {
        slug: p.capability.slug,
        version: p.version.version,
        requested: p.version.permissions,
        granted: p.granted,
        configKeys: Object.keys(p.config),
        secretKeys: Object.keys(p.secrets),
        requiredBy: p.requiredBy?.slug ?? null,
      },
      stream: { type: "agent", id: agentId },
      subject: { type: "installation", id: p.installationId },
      actor: caller.actor,
      correlationId: caller.correlationId,
      secrets: Object.values(p.secrets),
    });
  }
}

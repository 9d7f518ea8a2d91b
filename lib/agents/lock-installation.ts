// Loads one installation of an agent for a change, inside a transaction, after locking
// the agent row (so concurrent changes to the agent's installations are serialised), and
// appends installation events to the agent's stream. 404 when the caller may not see
// the agent or the installation is not on it.
import type { Prisma } from "../db/prisma";
import { notFound } from "../errors";
import { appendEvent } from "../events/append-event";
import type { EventData, EventType } from "../events/event-types";
import { lockAgentForCaller, type Caller } from "./agent-access";
import { capabilitySelect, versionSelect } from "./find-versions";
import type { ConfigState, ConfigValues } from "./installation-config";

const select = {
  id: true,
  agentId: true,
  enabled: true,
  grantedPermissions: true,
  config: true,
  pendingVersionId: true,
  previousVersionId: true,
  capability: { select: capabilitySelect },
  version: { select: versionSelect },
  secrets: { select: { key: true } },
} as const;
export type LockedInstallation = Prisma.InstallationGetPayload<{ select: typeof select }>;

export async function lockInstallation(tx: Prisma.TransactionClient, options: { caller: Caller; agentId: string; installationId: string }): Promise<LockedInstallation> {
  await lockAgentForCaller(tx, { caller: options.caller, agentId: options.agentId });
  const inst = await tx.installation.findFirst({ where: { id: options.installationId, agentId: options.agentId }, select });
  if (!inst) throw notFound("installation");
  return inst;
}

export function configStateOf(inst: LockedInstallation): ConfigState {
  return { config: (inst.config ?? {}) as ConfigValues, secretKeys: new Set(inst.secrets.map((s) => s.key)) };
}

export async function appendInstallationEvent<T extends EventType>(
  tx: Prisma.TransactionClient,
  options: { caller: Caller; inst: { id: string; agentId: string }; type: T; data: EventData<T>; secrets?: Iterable<string> },
): Promise<void> {
  await appendEvent(tx, {
    type: options.type,
    data: options.data,
    stream: { type: "agent", id: options.inst.agentId },
    subject: { type: "installation", id: options.inst.id },
    actor: options.caller.actor,
    correlationId: options.caller.correlationId,
    secrets: options.secrets,
  });
}

// The kill switch for external writes: while on, the gate denies every action whose
// permissions include an external write (network.http.post, integration.*, data.write,
// data.delete, file.write…), whatever else says. Stored as an organisation setting so it
// holds across instances; POLICY_KILL_SWITCH_EXTERNAL_WRITE=1 forces it on. Every change
// is evented in the same transaction.
import type { Db } from "../db/prisma";
import { getEnv } from "../env";
import { appendEvent, type Actor } from "../events/append-event";

const KEY = "policy.killSwitch";

export interface KillSwitchState {
  /** What the gate applies: stored OR forced by the environment. */
  on: boolean;
  stored: boolean;
  forcedByEnv: boolean;
  changedAt: string | null;
  changedBy: string | null;
}

export async function getKillSwitch(db: Db): Promise<KillSwitchState> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const stored = row?.value === true;
  const forcedByEnv = getEnv().POLICY_KILL_SWITCH_EXTERNAL_WRITE;
  return { on: stored || forcedByEnv, stored, forcedByEnv, changedAt: row ? row.updatedAt.toISOString() : null, changedBy: row?.updatedBy ?? null };
}

export async function setKillSwitch(db: Db, options: { on: boolean; reason?: string | null; actor: Actor; correlationId?: string }): Promise<KillSwitchState> {
  await db.$transaction(async (tx) => {
    const row = await tx.setting.findUnique({ where: { key: KEY } });
    if ((row?.value === true) === options.on) return;
    await tx.setting.upsert({
      where: { key: KEY },
      create: { key: KEY, value: options.on, updatedBy: options.actor.id },
      update: { value: options.on, updatedBy: options.actor.id },
    });
    await appendEvent(tx, {
      type: "policy.kill_switch_changed",
      data: { on: options.on, reason: options.reason ?? null },
      stream: { type: "policy", id: "org" },
      actor: options.actor,
      correlationId: options.correlationId,
    });
  });
  return getKillSwitch(db);
}

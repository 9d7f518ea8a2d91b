// Organisation settings: typed, defaulted, every change evented with before and after.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { appendEvent, type Actor } from "../events/append-event";

export const SettingsSchema = z.object({
  signupEnabled: z.boolean(),
  /** Members may decide RESTRICTED approvals of other people's requests (admins always may). */
  membersMayApproveRestricted: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial().strict();

const DEFAULTS: Settings = { signupEnabled: true, membersMayApproveRestricted: false };

export async function getSettings(db: Db): Promise<Settings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.keys(DEFAULTS) } } });
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = SettingsSchema.partial().safeParse(stored);
  return { ...DEFAULTS, ...(parsed.success ? parsed.data : {}) };
}

export async function updateSettings(
  db: Db,
  actor: Actor,
  patch: z.infer<typeof SettingsPatchSchema>,
  correlationId?: string,
): Promise<Settings> {
  return db.$transaction(async (tx) => {
    const current = await getSettings(tx as unknown as Db);
    for (const [key, to] of Object.entries(patch) as [keyof Settings, Settings[keyof Settings]][]) {
      if (to === undefined || current[key] === to) continue;
      await tx.setting.upsert({ where: { key }, create: { key, value: to, updatedBy: actor.id }, update: { value: to, updatedBy: actor.id } });
      await appendEvent(tx, {
        type: "setting.changed",
        data: { key, from: current[key], to },
        stream: { type: "settings", id: "org" },
        actor,
        correlationId,
      });
      current[key] = to;
    }
    return current;
  });
}

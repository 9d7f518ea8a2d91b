// Accounts: self-service sign-up (when the organisation allows it) and admin changes
// to roles and disabled state, each evented.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { getSettings } from "../settings/settings";
import { createUser } from "./create-user";
import { hitRateLimit } from "./rate-limit";

export const SignUpSchema = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(10, "use at least 10 characters").max(1000),
});

export const UpdateUserSchema = z
  .object({ role: z.enum(["admin", "member"]).optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: "give role or disabled" });

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: "admin" | "member";
  disabled: boolean;
  createdAt: string;
}

const select = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;
const toRecord = (u: { id: string; email: string; name: string; role: "admin" | "member"; disabledAt: Date | null; createdAt: Date }): UserRecord => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
  createdAt: u.createdAt.toISOString(),
});

export async function signUp(db: Db, input: z.infer<typeof SignUpSchema>, ip: string | null): Promise<UserRecord> {
  if (!(await getSettings(db)).signupEnabled) throw forbidden("sign-up is turned off; ask an administrator for an account");
  if (ip) {
    const limit = await hitRateLimit(db, `signup:ip:${ip}`, { limit: 10, windowMs: 60 * 60 * 1000 });
    if (limit.count > 10) throw new AppError("rate_limited", "too many sign-ups from this address", { retryAfterSeconds: limit.retryAfterSeconds });
  }
  const user = await createUser(db, { ...input, role: "member", via: "signup", actor: { type: "system", id: null } });
  return { ...user, disabled: false, createdAt: new Date().toISOString() };
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.user.findMany({ select, orderBy: { createdAt: "asc" }, take: 500 });
  return rows.map(toRecord);
}

export async function updateUser(db: Db, actor: Actor, userId: string, patch: z.infer<typeof UpdateUserSchema>, correlationId?: string): Promise<UserRecord> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select });
    if (!user) throw notFound("user");
    const losesAdmin = user.role === "admin" && (patch.role === "member" || patch.disabled === true);
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
      if (admins <= 1) throw conflict("this is the last active administrator");
    }
    if (patch.role && patch.role !== user.role) {
      await tx.user.update({ where: { id: userId }, data: { role: patch.role }, select: { id: true } });
      await appendEvent(tx, { type: "user.role_changed", data: { from: user.role, to: patch.role }, stream: { type: "user", id: userId }, subject: { type: "user", id: userId }, actor, correlationId });
    }
    if (patch.disabled !== undefined && patch.disabled !== (user.disabledAt !== null)) {
      await tx.user.update({ where: { id: userId }, data: { disabledAt: patch.disabled ? new Date() : null }, select: { id: true } });
      await appendEvent(tx, { type: "user.disabled_changed", data: { disabled: patch.disabled }, stream: { type: "user", id: userId }, subject: { type: "user", id: userId }, actor, correlationId });
    }
    return toRecord((await tx.user.findUnique({ where: { id: userId }, select }))!);
  });
}

// Checks an email and password for the sign-in form, with failed attempts limited per
// account and per IP (counted in Postgres). Every outcome is evented.
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { appendEvent } from "../events/append-event";
import { getDummyHash, verifyPassword } from "./password";
import { hitRateLimit, peekRateLimit, resetRateLimit } from "./rate-limit";

export const LOGIN_LIMITS = {
  account: { limit: 5, windowMs: 15 * 60 * 1000 },
  ip: { limit: 20, windowMs: 15 * 60 * 1000 },
};

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "member";
}

const accountKey = (email: string) => `login:account:${email}`;
const ipKey = (ip: string) => `login:ip:${ip}`;

/** Throws rate_limited when the account or the IP has too many recent failures. */
export async function assertSignInAllowed(db: Db, email: string, ip: string | null): Promise<void> {
  const [acc, byIp] = await Promise.all([
    peekRateLimit(db, accountKey(email.trim().toLowerCase()), LOGIN_LIMITS.account),
    ip ? peekRateLimit(db, ipKey(ip), LOGIN_LIMITS.ip) : Promise.resolve({ isLimited: false, retryAfterSeconds: 0, count: 0 }),
  ]);
  const limited = [acc, byIp].filter((s) => s.isLimited);
  if (limited.length) {
    const retryAfterSeconds = Math.max(...limited.map((s) => s.retryAfterSeconds));
    throw new AppError("rate_limited", "too many failed sign-in attempts; try again later", { retryAfterSeconds });
  }
}

export async function signIn(db: Db, input: { email: string; password: string; ip: string | null }): Promise<SignedInUser | null> {
  const email = input.email.trim().toLowerCase();
  try {
    await assertSignInAllowed(db, email, input.ip);
  } catch (err) {
    await appendEvent(db, {
      type: "user.sign_in_failed",
      data: { email, ip: input.ip, reason: "rate_limited" },
      stream: { type: "auth", id: "sign-in" },
      actor: { type: "system", id: null },
    });
    throw err;
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, passwordHash: true },
  });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !ok || user.disabledAt) {
    await Promise.all([
      hitRateLimit(db, accountKey(email), LOGIN_LIMITS.account),
      input.ip ? hitRateLimit(db, ipKey(input.ip), LOGIN_LIMITS.ip) : null,
    ]);
    await appendEvent(db, {
      type: "user.sign_in_failed",
      data: { email, ip: input.ip, reason: user && ok ? "disabled" : "bad_credentials" },
      stream: user ? { type: "user", id: user.id } : { type: "auth", id: "sign-in" },
      subject: user ? { type: "user", id: user.id } : null,
      actor: { type: "system", id: null },
    });
    return null;
  }
  await resetRateLimit(db, accountKey(email));
  await appendEvent(db, {
    type: "user.signed_in",
    data: { email, ip: input.ip },
    stream: { type: "user", id: user.id },
    subject: { type: "user", id: user.id },
    actor: { type: "user", id: user.id },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

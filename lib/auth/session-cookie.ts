// Reads the next-auth session JWT from a cookie header without touching the database;
// used by proxy.ts for page gating and by request authentication.
import { decode } from "next-auth/jwt";

export const SESSION_COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export interface SessionClaims {
  userId: string;
  role: "admin" | "member";
  email: string;
}

export function findSessionCookie(get: (name: string) => string | undefined): string | undefined {
  for (const name of SESSION_COOKIE_NAMES) {
    const v = get(name);
    if (v) return v;
  }
  return undefined;
}

export async function decodeSessionCookie(value: string | undefined, secret: string): Promise<SessionClaims | null> {
  if (!value) return null;
  try {
    const token = await decode({ token: value, secret });
    if (!token || typeof token.sub !== "string") return null;
    const role = token.role === "admin" ? "admin" : "member";
    return { userId: token.sub, role, email: typeof token.email === "string" ? token.email : "" };
  } catch {
    return null;
  }
}

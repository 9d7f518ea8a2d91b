// Who is calling: a bearer API token, or a browser session cookie whose user is loaded
// from the database (role and disabled state are always current).
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { Actor } from "../events/append-event";
import { authenticateApiToken } from "./api-tokens";
import { getAuthSecret } from "./auth-secret";
import { scopesForRole, type Role, type Scope } from "./scopes";
import { decodeSessionCookie, findSessionCookie } from "./session-cookie";

export interface RequestIdentity {
  via: "session" | "token";
  userId: string;
  email: string;
  role: Role;
  scopes: Scope[];
  tokenId?: string;
  actor: Actor;
}

export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

export async function authenticateRequest(db: Db, headers: Headers): Promise<RequestIdentity | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw new AppError("unauthenticated", "Authorization must be `Bearer <token>`");
    const t = await authenticateApiToken(db, m[1]!);
    return { via: "token", userId: t.userId, email: t.email, role: t.role, scopes: t.scopes, tokenId: t.tokenId, actor: { type: "user", id: t.userId } };
  }
  const cookies = parseCookies(headers.get("cookie"));
  const claims = await decodeSessionCookie(findSessionCookie((n) => cookies.get(n)), getAuthSecret());
  if (!claims) return null;
  const user = await db.user.findUnique({ where: { id: claims.userId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { via: "session", userId: user.id, email: user.email, role: user.role, scopes: scopesForRole(user.role), actor: { type: "user", id: user.id } };
}

/**
 * CSRF: a state-changing request authenticated by cookie must come from our own origin.
 * Bearer requests are exempt (browsers never attach them by themselves).
 */
export function isSameOrigin(headers: Headers, requestUrl: string, appUrl?: string): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  const allowed = new Set<string>();
  if (appUrl) allowed.add(new URL(appUrl).origin);
  const host = headers.get("host");
  if (host) {
    const proto = new URL(requestUrl).protocol;
    allowed.add(`${proto}//${host}`);
  }
  allowed.add(new URL(requestUrl).origin);
  return allowed.has(origin);
}

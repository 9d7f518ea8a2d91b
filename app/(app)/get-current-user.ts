// Who is signed in, for server components: the session cookie decoded, then the user read
// from the database so role and disabled state are current (proxy.ts only checks that a
// valid cookie exists). Cached per request, so the layout and the page share one query.
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getAuthSecret } from "@/lib/auth/auth-secret";
import { scopesForRole, type Role, type Scope } from "@/lib/auth/scopes";
import { decodeSessionCookie, findSessionCookie } from "@/lib/auth/session-cookie";
import { getPrisma } from "@/lib/db/prisma";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  scopes: Scope[];
  createdAt: string;
}

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const cookieStore = await cookies();
  const claims = await decodeSessionCookie(findSessionCookie((name) => cookieStore.get(name)?.value), getAuthSecret());
  if (!claims) return null;
  const user = await getPrisma().user.findUnique({
    where: { id: claims.userId },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true },
  });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, scopes: scopesForRole(user.role), createdAt: user.createdAt.toISOString() };
});

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

// next-auth configuration: email + password credentials, JWT sessions (SameSite=Lax,
// HttpOnly cookie), role in the token. Authorization is re-checked against the database
// on every API request (lib/auth/authenticate-request.ts), so a demoted or disabled user
// loses access at once, not when the JWT expires.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getPrisma } from "../db/prisma";
import { CLIENT_IP_HEADER } from "../http/client-ip";
import { getAuthSecret } from "./auth-secret";
import { signIn } from "./sign-in";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "").slice(0, 320);
          const password = String(credentials?.password ?? "").slice(0, 1000);
          if (!email || !password) return null;
          const header = req?.headers?.[CLIENT_IP_HEADER];
          const ip = typeof header === "string" ? header : null;
          const user = await signIn(getPrisma(), { email, password, ip });
          return user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = (user as { role?: string }).role === "admin" ? "admin" : "member";
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, role: token.role } };
      },
    },
  };
}

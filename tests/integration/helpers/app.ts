// Drives the real route handlers (app/api/**/route.ts) in-process against a test
// database: the same code the server runs, minus the HTTP socket.
import { encode } from "next-auth/jwt";
import { createApiToken } from "../../../lib/auth/api-tokens";
import { getAuthSecret } from "../../../lib/auth/auth-secret";
import { createUser } from "../../../lib/auth/create-user";
import type { Scope } from "../../../lib/auth/scopes";
import { resetEnvCache } from "../../../lib/env";
import type { TestDatabase } from "./db";

export const ORIGIN = "http://localhost:3000";

export function useAppDatabase(t: TestDatabase): void {
  process.env.DATABASE_APP_URL = t.appUrl;
  process.env.DATABASE_URL = t.appUrl;
  process.env.LOG_LEVEL = "silent";
  resetEnvCache();
  (globalThis as { capregPrisma?: unknown }).capregPrisma = t.db;
}

let n = 0;
export async function makeUser(t: TestDatabase, role: "admin" | "member" = "member") {
  n++;
  const password = `password-${n}-long-enough`;
  const user = await createUser(t.db, { email: `u${n}-${Date.now()}@example.com`, name: `User ${n}`, password, role, via: "admin", actor: { type: "system", id: null } });
  return { ...user, password };
}

export async function makeToken(t: TestDatabase, user: { id: string; role: "admin" | "member" }, scopes: Scope[], expiresInDays?: number) {
  const { token, record } = await createApiToken(
    t.db,
    { userId: user.id, role: user.role, scopes, actor: { type: "user", id: user.id } },
    { name: "test", scopes, expiresInDays },
  );
  return { token, id: record.id };
}

export async function sessionCookie(user: { id: string; email: string; role: string }): Promise<string> {
  const value = await encode({ token: { sub: user.id, email: user.email, role: user.role }, secret: getAuthSecret() });
  return `next-auth.session-token=${value}`;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: BodyInit;
  params?: Record<string, string | string[]>;
  signal?: AbortSignal;
}

export async function call(handler: Handler, o: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { host: "localhost:3000", ...o.headers };
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers["content-type"] ??= "application/json";
  }
  const req = new Request(`${ORIGIN}${o.path}`, { method: o.method ?? "GET", headers, body, signal: o.signal, duplex: "half" } as RequestInit);
  return handler(req, { params: Promise.resolve(o.params ?? {}) });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

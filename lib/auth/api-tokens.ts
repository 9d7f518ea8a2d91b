// API tokens: random, shown once, stored only as a sha256 hash; scoped, expiring,
// revocable, with a last-used time. A token can never grant more than its creator has.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { ScopeSchema, scopesForRole, type Role, type Scope } from "./scopes";

export const TOKEN_PREFIX = "crk_";
const LAST_USED_RESOLUTION_MS = 60_000;

export const CreateTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(ScopeSchema).min(1).max(20),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type CreateTokenInput = z.infer<typeof CreateTokenSchema>;

export interface TokenRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenOwner {
  userId: string;
  role: Role;
  /** The caller's own scopes (a token's scopes, or all of the role's for a session). */
  scopes: Scope[];
  actor: Actor;
  correlationId?: string;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const select = { id: true, name: true, prefix: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

function toRecord(t: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }): TokenRecord {
  return {
    ...t,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(db: Db, owner: TokenOwner, input: CreateTokenInput): Promise<{ token: string; record: TokenRecord }> {
  const allowed = new Set(scopesForRole(owner.role).filter((s) => owner.scopes.includes(s)));
  const excess = input.scopes.filter((s) => !allowed.has(s));
  if (excess.length) {
    throw new AppError("forbidden", `you cannot grant scopes you do not hold: ${excess.join(", ")}`, {
      errors: excess.map((s) => ({ path: `scopes[${input.scopes.indexOf(s)}]`, message: `not allowed for you: ${s}` })),
    });
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const id = newId("tok");
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const scopes = [...new Set(input.scopes)];
  const record = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { id, userId: owner.userId, name: input.name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(token), scopes, expiresAt },
      select,
    });
    await appendEvent(tx, {
      type: "token.created",
      data: { name: row.name, prefix: row.prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      stream: { type: "user", id: owner.userId },
      subject: { type: "token", id },
      actor: owner.actor,
      correlationId: owner.correlationId,
      secrets: [token],
    });
    return row;
  });
  return { token, record: toRecord(record) };
}

export async function listApiTokens(db: Db, userId: string): Promise<TokenRecord[]> {
  const rows = await db.apiToken.findMany({ where: { userId }, select, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map(toRecord);
}

export async function revokeApiToken(db: Db, owner: TokenOwner, tokenId: string): Promise<TokenRecord> {
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id: tokenId, userId: owner.userId }, select });
    if (!row) throw notFound("token");
    if (row.revokedAt) return toRecord(row);
    const updated = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() }, select });
    await appendEvent(tx, {
      type: "token.revoked",
      data: { name: row.name, prefix: row.prefix },
      stream: { type: "user", id: owner.userId },
      subject: { type: "token", id: tokenId },
      actor: owner.actor,
      correlationId: owner.correlationId,
    });
    return toRecord(updated);
  });
}

export interface TokenIdentity {
  tokenId: string;
  userId: string;
  role: Role;
  scopes: Scope[];
  email: string;
}

/** Resolves a bearer token, or throws unauthenticated (unknown, revoked, expired, disabled user). */
export async function authenticateApiToken(db: Db, token: string): Promise<TokenIdentity> {
  const invalid = () => new AppError("unauthenticated", "the API token is invalid, expired or revoked");
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw invalid();
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, role: true, email: true, disabledAt: true } } },
  });
  const now = Date.now();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now) || row.user.disabledAt) throw invalid();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) }, select: { id: true } });
  }
  // A member's token never carries admin power, even if the role changed after creation.
  const roleScopes = new Set(scopesForRole(row.user.role));
  const scopes = row.scopes.filter((s): s is Scope => roleScopes.has(s as Scope));
  return { tokenId: row.id, userId: row.user.id, role: row.user.role, scopes, email: row.user.email };
}


// Who may see and who may change a capability. A capability is visible to everyone when
// it is listed (visibility public, which the registry sets only while it has a public,
// approved, not yanked version), and otherwise only to its owner and admins. Anything a
// caller may not see is "not found", never "forbidden", so its existence does not leak.
import type { Db, Prisma } from "../db/prisma";
import type { Role } from "../auth/scopes";
import { forbidden, notFound } from "../errors";

export interface Viewer {
  userId: string;
  role: Role;
}

/** A Prisma client or an interactive transaction. */
export type DbOrTx = Db | Prisma.TransactionClient;

const accessSelect = { id: true, slug: true, ownerId: true, visibility: true, isBuiltin: true } as const;
export type CapabilityAccess = { id: string; slug: string; ownerId: string; visibility: "private" | "public"; isBuiltin: boolean };

export function canManageCapability(viewer: Viewer | null, cap: { ownerId: string }): boolean {
  return !!viewer && (viewer.role === "admin" || viewer.userId === cap.ownerId);
}

export function canSeeCapability(viewer: Viewer | null, cap: { ownerId: string; visibility: string }): boolean {
  return cap.visibility === "public" || canManageCapability(viewer, cap);
}

/** The capability if the viewer may see it; 404 otherwise. */
export async function findVisibleCapability(db: DbOrTx, options: { slug: string; viewer: Viewer | null }): Promise<CapabilityAccess> {
  const cap = await db.capability.findUnique({ where: { slug: options.slug }, select: accessSelect });
  if (!cap || !canSeeCapability(options.viewer, cap)) throw notFound("capability");
  return cap;
}

/**
 * The capability if the viewer may change it, row-locked until the transaction ends so
 * concurrent publishes and status changes of one capability run one after the other.
 * 404 when the viewer cannot see it, 403 when they can see it but not change it.
 */
export async function lockManageableCapability(tx: Prisma.TransactionClient, options: { slug: string; viewer: Viewer }): Promise<CapabilityAccess> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM capabilities WHERE slug = ${options.slug} FOR UPDATE`;
  if (!rows[0]) throw notFound("capability");
  const cap = await tx.capability.findUniqueOrThrow({ where: { id: rows[0].id }, select: accessSelect });
  if (!canSeeCapability(options.viewer, cap)) throw notFound("capability");
  if (!canManageCapability(options.viewer, cap)) throw forbidden("only the capability's owner or an admin can change it");
  return cap;
}

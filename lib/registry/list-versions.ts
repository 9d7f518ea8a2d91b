// A capability's versions as the viewer may see them, newest first: everything for its
// owner and admins; public, approved versions (yanked ones included, flagged) for others.
// Versions are published in increasing semver order, so publish time is semver order.
import type { Db, Prisma } from "../db/prisma";
import { canManageCapability, findVisibleCapability, type Viewer } from "./capability-access";
import { decodeCursor, encodeCursor } from "./cursor";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

export interface ListVersionsOptions {
  slug: string;
  viewer: Viewer | null;
  limit: number;
  cursor?: string;
}

export function visibleVersionsWhere(viewer: Viewer | null, cap: { ownerId: string }): Prisma.CapabilityVersionWhereInput {
  return canManageCapability(viewer, cap) ? {} : { visibility: "public", reviewState: "approved" };
}

export async function listVersions(db: Db, options: ListVersionsOptions): Promise<{ items: VersionRecord[]; nextCursor: string | null }> {
  const cap = await findVisibleCapability(db, options);
  const where: Prisma.CapabilityVersionWhereInput = { capabilityId: cap.id, ...visibleVersionsWhere(options.viewer, cap) };
  if (options.cursor) {
    const [at, id] = decodeCursor("versions", options.cursor, 2) as [string, string];
    const when = new Date(at);
    where.OR = [{ publishedAt: { lt: when } }, { publishedAt: when, id: { lt: id } }];
  }
  const rows = await db.capabilityVersion.findMany({ where, select: versionRecordSelect, orderBy: [{ publishedAt: "desc" }, { id: "desc" }], take: options.limit + 1 });
  const items = rows.slice(0, options.limit).map(toVersionRecord);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor("versions", [last.publishedAt, last.id]) : null };
}

// One version of a capability with its frozen manifest, if the viewer may see it.
import type { Db } from "../db/prisma";
import { notFound } from "../errors";
import { findVisibleCapability, type Viewer } from "./capability-access";
import { visibleVersionsWhere } from "./list-versions";
import type { Manifest } from "./manifest-schema";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

/** One version with its frozen manifest, if the viewer may see it. */
export async function getVersion(db: Db, options: { slug: string; version: string; viewer: Viewer | null }): Promise<VersionRecord & { manifest: Manifest }> {
  const cap = await findVisibleCapability(db, options);
  const row = await db.capabilityVersion.findFirst({
    where: { capabilityId: cap.id, version: options.version, ...visibleVersionsWhere(options.viewer, cap) },
    select: { ...versionRecordSelect, manifest: true },
  });
  if (!row) throw notFound("version");
  return { ...toVersionRecord(row), manifest: row.manifest as unknown as Manifest };
}

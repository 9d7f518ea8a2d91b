// Deprecates, yanks or restores a published version (owner or admin). Yanked: no new
// installs (installers check status), existing installations keep working and are
// flagged. Yanking the last listed version takes the capability off the marketplace;
// restoring a public, approved version lists it again. Only the status moves: the
// version's content is frozen.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { lockManageableCapability, type Viewer } from "./capability-access";
import { refreshListing } from "./refresh-listing";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

export const UpdateVersionStatusSchema = z.object({
  status: z.enum(["published", "deprecated", "yanked"]),
  reason: z.string().trim().min(1).max(2000).optional(),
});
export type UpdateVersionStatusInput = z.infer<typeof UpdateVersionStatusSchema>;

export interface UpdateVersionStatusOptions {
  slug: string;
  version: string;
  viewer: Viewer;
  actor: Actor;
  input: UpdateVersionStatusInput;
  correlationId?: string;
}

export async function updateVersionStatus(db: Db, options: UpdateVersionStatusOptions): Promise<VersionRecord> {
  return db.$transaction(async (tx) => {
    const cap = await lockManageableCapability(tx, { slug: options.slug, viewer: options.viewer });
    const current = await tx.capabilityVersion.findUnique({
      where: { capabilityId_version: { capabilityId: cap.id, version: options.version } },
      select: { id: true, status: true, visibility: true, reviewState: true },
    });
    if (!current) throw notFound("version");
    const to = options.input.status;
    // No change, no event.
    if (current.status === to) return toVersionRecord(await tx.capabilityVersion.findUniqueOrThrow({ where: { id: current.id }, select: versionRecordSelect }));
    const row = await tx.capabilityVersion.update({ where: { id: current.id }, data: { status: to }, select: versionRecordSelect });
    const restoresListing = current.status === "yanked" && current.visibility === "public" && current.reviewState === "approved";
    await refreshListing(tx, { capabilityId: cap.id, relist: restoresListing });
    await appendEvent(tx, {
      type: "capability.version_status_changed",
      data: { slug: cap.slug, version: options.version, from: current.status, to, ...(options.input.reason ? { reason: options.input.reason } : {}) },
      stream: { type: "capability", id: cap.id },
      subject: { type: "capability_version", id: current.id },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    return toVersionRecord(row);
  });
}

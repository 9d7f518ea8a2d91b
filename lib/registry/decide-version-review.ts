// An admin's decision on a public version waiting in review. Approving lists the
// capability in the marketplace (showing this version if it is the highest listed);
// rejecting keeps it out and says why. Only versions in review can be decided.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import type { Viewer } from "./capability-access";
import { refreshListing } from "./refresh-listing";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

export const DecideVersionReviewSchema = z.object({
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().max(4000).optional(),
});
export type DecideVersionReviewInput = z.infer<typeof DecideVersionReviewSchema>;

export interface DecideVersionReviewOptions {
  slug: string;
  version: string;
  viewer: Viewer;
  actor: Actor;
  input: DecideVersionReviewInput;
  correlationId?: string;
}

export async function decideVersionReview(db: Db, options: DecideVersionReviewOptions): Promise<VersionRecord> {
  if (options.viewer.role !== "admin") throw forbidden("only admins review capability versions");
  const { decision } = options.input;
  const comment = options.input.comment || null;
  if (decision === "reject" && !comment) {
    throw new AppError("validation_failed", "say why the version is rejected", { errors: [{ path: "comment", message: "required when rejecting" }] });
  }
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM capabilities WHERE slug = ${options.slug} FOR UPDATE`;
    const capId = locked[0]?.id;
    if (!capId) throw notFound("capability");
    const v = await tx.capabilityVersion.findUnique({
      where: { capabilityId_version: { capabilityId: capId, version: options.version } },
      select: { id: true, reviewState: true },
    });
    if (!v) throw notFound("version");
    if (v.reviewState !== "in_review") throw conflict(`version ${options.version} is not waiting for review (its review state is ${v.reviewState})`);
    const state = decision === "approve" ? "approved" : "rejected";
    const row = await tx.capabilityVersion.update({
      where: { id: v.id },
      data: { reviewState: state, reviewComment: comment, reviewedById: options.viewer.userId, reviewedAt: new Date() },
      select: versionRecordSelect,
    });
    await refreshListing(tx, { capabilityId: capId, relist: state === "approved" });
    await appendEvent(tx, {
      type: "capability.review_decided",
      data: { slug: options.slug, version: options.version, decision: state, comment },
      stream: { type: "capability", id: capId },
      subject: { type: "capability_version", id: v.id },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    return toVersionRecord(row);
  });
}

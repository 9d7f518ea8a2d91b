// An admin's decision on a public version waiting in review. Approving lists the
// capability in the marketplace (showing this version if it is the highest listed);
// rejecting keeps it out and says why. Only versions in review can be decided.
// A public publish also opened an approval (kind "publish") in the Approval Inbox: deciding
// the review here closes it the same way (approved / denied, approval.decided), and the
// inbox's decision goes through applyReviewDecision, so the two never disagree. Lock
// order is approval row → capability row on both paths, so they cannot deadlock. An admin
// may not approve their own DANGEROUS publish here either (mayDecide, as in the inbox).
// An approval past its expiry is left to the sweeper (it expires; the review stands).
import { z } from "zod";
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict, forbidden, notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { mayDecide } from "../policy/approvals/authorize";
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

/** Records a review decision on a version in review (the capability row locked by the caller): the row, the listing, capability.review_decided. */
export async function applyReviewDecision(
  tx: Prisma.TransactionClient,
  o: { capabilityId: string; versionId: string; slug: string; version: string; state: "approved" | "rejected"; comment: string | null; reviewerId: string | null; actor: Actor; correlationId?: string },
): Promise<VersionRecord> {
  const row = await tx.capabilityVersion.update({
    where: { id: o.versionId },
    data: { reviewState: o.state, reviewComment: o.comment, reviewedById: o.reviewerId, reviewedAt: new Date() },
    select: versionRecordSelect,
  });
  await refreshListing(tx, { capabilityId: o.capabilityId, relist: o.state === "approved" });
  await appendEvent(tx, {
    type: "capability.review_decided",
    data: { slug: o.slug, version: o.version, decision: o.state, comment: o.comment },
    stream: { type: "capability", id: o.capabilityId },
    subject: { type: "capability_version", id: o.versionId },
    actor: o.actor,
    correlationId: o.correlationId,
  });
  return toVersionRecord(row);
}

interface PendingPublishApproval {
  id: string;
  kind: string;
  security_level: string;
  approver: string;
  requester_user_id: string | null;
  correlation_id: string;
}

export async function decideVersionReview(db: Db, options: DecideVersionReviewOptions): Promise<VersionRecord> {
  if (options.viewer.role !== "admin") throw forbidden("only admins review capability versions");
  const { decision } = options.input;
  const comment = options.input.comment || null;
  if (decision === "reject" && !comment) {
    throw new AppError("validation_failed", "say why the version is rejected", { errors: [{ path: "comment", message: "required when rejecting" }] });
  }
  return db.$transaction(async (tx) => {
    // The inbox's approval of this version first (same lock order as a decision there).
    const approvals = await tx.$queryRaw<PendingPublishApproval[]>`
      SELECT id, kind, security_level, approver, requester_user_id, correlation_id FROM approvals
      WHERE kind = 'publish' AND status = 'pending' AND expires_at > now() AND capability_slug = ${options.slug} AND version = ${options.version}
      ORDER BY id FOR UPDATE`;
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM capabilities WHERE slug = ${options.slug} FOR UPDATE`;
    const capId = locked[0]?.id;
    if (!capId) throw notFound("capability");
    const v = await tx.capabilityVersion.findUnique({
      where: { capabilityId_version: { capabilityId: capId, version: options.version } },
      select: { id: true, reviewState: true },
    });
    if (!v) throw notFound("version");
    if (v.reviewState !== "in_review") throw conflict(`version ${options.version} is not waiting for review (its review state is ${v.reviewState})`);
    if (decision === "approve") {
      for (const a of approvals) {
        const right = mayDecide(
          { userId: options.viewer.userId, role: options.viewer.role },
          { kind: a.kind, securityLevel: a.security_level, approver: a.approver, requesterUserId: a.requester_user_id },
          { membersMayApproveRestricted: false },
        );
        if (!right.ok) throw forbidden(right.why);
      }
    }
    const state = decision === "approve" ? "approved" : "rejected";
    const record = await applyReviewDecision(tx, {
      capabilityId: capId,
      versionId: v.id,
      slug: options.slug,
      version: options.version,
      state,
      comment,
      reviewerId: options.viewer.userId,
      actor: options.actor,
      correlationId: options.correlationId,
    });
    for (const a of approvals) {
      const status = decision === "approve" ? "approved" : "denied";
      await tx.approval.update({
        where: { id: a.id },
        data: {
          status,
          held: false,
          decidedById: options.viewer.userId,
          decidedAt: new Date(),
          decisionComment: comment,
          outcome: { ok: true, message: `decided through the version review: ${options.slug} ${options.version} ${state}` },
        },
      });
      await appendEvent(tx, {
        type: "approval.decided",
        data: { approvalId: a.id, kind: "publish", decision: decision === "approve" ? "approve" : "deny", status, comment, slug: options.slug, action: null, agentId: null, executionId: null },
        stream: { type: "approval", id: a.id },
        subject: { type: "approval", id: a.id },
        actor: options.actor,
        correlationId: a.correlation_id,
      });
    }
    return record;
  });
}

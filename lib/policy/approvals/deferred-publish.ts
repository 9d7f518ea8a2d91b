// The deferred action of a public publish: approving the approval approves the version's
// review (as POST /api/capabilities/:slug/versions/:version/review would: listed in the
// marketplace), inside the deciding transaction; denying it rejects the review with the
// approver's comment (denyDeferredPublish, called by the decision's deny path). A version
// no longer in review (decided through the review endpoint meanwhile, which also closes
// the approval) or removed changes nothing; the outcome says why. Lock order: the approval
// row (held by the decision), then the capability row — as decideVersionReview does.
import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "../../events/append-event";
import { applyReviewDecision } from "../../registry/decide-version-review";
import type { PublishPayload } from "../../registry/publish-version";
import type { DeferredHandler } from "./deferred";
import { deniedOnRecheck, inSavepoint } from "./deferred-install";
import type { ApprovalOutcome, ApprovalRow } from "./types";

type ReviewTarget = { ok: true; capabilityId: string; versionId: string } | { ok: false; code: string; message: string };

async function lockReviewTarget(tx: Prisma.TransactionClient, p: PublishPayload): Promise<ReviewTarget> {
  const cap = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM capabilities WHERE id = ${p.capabilityId} FOR UPDATE`;
  if (!cap.length) return { ok: false, code: "capability_removed", message: `not done: ${p.slug} no longer exists` };
  const v = await tx.capabilityVersion.findUnique({ where: { id: p.versionId }, select: { id: true, reviewState: true } });
  if (!v) return { ok: false, code: "version_removed", message: `not done: ${p.slug} ${p.version} no longer exists` };
  if (v.reviewState !== "in_review") return { ok: false, code: "not_in_review", message: `not done: ${p.slug} ${p.version} is no longer waiting for review (its review state is ${v.reviewState})` };
  return { ok: true, capabilityId: p.capabilityId, versionId: v.id };
}

export const runDeferredPublish: DeferredHandler = async (tx, a, ctx) => {
  const denied = deniedOnRecheck(ctx);
  const p = a.payload as PublishPayload;
  if (denied) return { outcome: { ...denied, message: `${denied.message}; ${p.slug} ${p.version} stays in review` } };
  // The decision's comment, when the decision passes it along (see the lead's DeferredContext).
  const comment = ctx.comment;
  const outcome = await inSavepoint(tx, "deferred_publish", async () => {
    const target = await lockReviewTarget(tx, p);
    if (!target.ok) return target;
    await applyReviewDecision(tx, {
      capabilityId: target.capabilityId,
      versionId: target.versionId,
      slug: p.slug,
      version: p.version,
      state: "approved",
      comment,
      reviewerId: ctx.decider.userId,
      actor: ctx.decider.actor,
      correlationId: a.correlationId,
    });
    return { ok: true, message: `${p.slug} ${p.version} is approved for the public marketplace`, versionId: p.versionId };
  });
  return { outcome };
};

/**
 * The deny side, for the decision's deny path (DEFERRED_ON_DENY; inside its transaction,
 * the approval row locked and already marked denied): rejects the review with the
 * approver's comment, as the approver (the row's decidedById unless `by` is given), and
 * records what happened as the approval's outcome. Never throws for a version that is no
 * longer in review: the outcome says so.
 */
export async function denyDeferredPublish(
  tx: Prisma.TransactionClient,
  approval: ApprovalRow,
  comment: string | null,
  by?: { userId: string; actor: Actor },
): Promise<void> {
  const p = approval.payload as PublishPayload;
  const decider = by ?? (await tx.approval.findUnique({ where: { id: approval.id }, select: { decidedById: true } }))?.decidedById ?? null;
  const reviewerId = typeof decider === "string" ? decider : (decider?.userId ?? null);
  const actor: Actor = typeof decider === "string" ? { type: "user", id: decider } : (decider?.actor ?? { type: "system", id: null });
  const outcome: ApprovalOutcome = await inSavepoint(tx, "deferred_publish_deny", async () => {
    const target = await lockReviewTarget(tx, p);
    if (!target.ok) return target;
    await applyReviewDecision(tx, {
      capabilityId: target.capabilityId,
      versionId: target.versionId,
      slug: p.slug,
      version: p.version,
      state: "rejected",
      comment: comment ?? `publishing was denied (approval ${approval.id})`,
      reviewerId,
      actor,
      correlationId: approval.correlationId,
    });
    return { ok: true, message: `${p.slug} ${p.version} was rejected: it stays out of the marketplace` };
  });
  await tx.approval.update({ where: { id: approval.id }, data: { outcome: outcome as unknown as Prisma.InputJsonValue }, select: { id: true } });
}

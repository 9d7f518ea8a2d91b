// An approver's decision: approve, deny or hold. The approvals row is locked FOR UPDATE
// for the whole decision, so of two admins approving at the same moment one wins and the
// other gets 409; approving runs the deferred action (lib/policy/approvals/deferred.ts) in
// the same transaction, so it happens exactly once — a crash before COMMIT leaves the
// approval pending and nothing done, a crash after leaves it approved with its execution
// queued in Postgres for whichever executor comes up. A decision after expiry gets 409
// (and the approval is marked expired if the sweeper had not got to it yet).
import { z } from "zod";
import type { Db } from "../../db/prisma";
import { AppError, conflict, forbidden, notFound } from "../../errors";
import { appendEvent, type Actor } from "../../events/append-event";
import type { Prisma } from "../../generated/prisma/client";
import { evaluatePolicy } from "../gate";
import { policyEvaluatedEvent } from "../evaluate-request";
import { loadPolicy } from "../load-policy";
import { mayDecide } from "./authorize";
import { DEFERRED_HANDLERS, DEFERRED_ON_DENY } from "./deferred";
import { expireDueApprovalsInTx } from "./expire-approvals";
import { canSeeApproval } from "./visibility";
import { APPROVAL_DECISIONS, type ApprovalKind, type ApprovalRow, type StoredApprovalRequest } from "./types";

export const DecideApprovalSchema = z.object({
  decision: z.enum(APPROVAL_DECISIONS),
  comment: z.string().trim().max(4000).optional().nullable(),
});
export type DecideApprovalInput = z.infer<typeof DecideApprovalSchema>;

export interface DecideApprovalOptions {
  id: string;
  decider: { userId: string; role: "admin" | "member"; actor: Actor };
  input: DecideApprovalInput;
  correlationId?: string;
}

/** Reads and locks one approvals row (camel-cased like the Prisma model). */
export async function lockApproval(tx: Prisma.TransactionClient, id: string): Promise<ApprovalRow | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM approvals WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) return null;
  return (await tx.approval.findUnique({ where: { id } })) as ApprovalRow | null;
}

export async function decideApproval(db: Db, o: DecideApprovalOptions): Promise<void> {
  const comment = o.input.comment?.trim() || null;
  const expired = await db.$transaction(async (tx) => {
    const a = await lockApproval(tx, o.id);
    const policy = await loadPolicy(tx);
    if (!a) throw notFound("approval");
    // Deciding is refused with the reason (403) whether or not the decider may see it: ids are unguessable.
    if (!canSeeApproval(o.decider, a, policy)) {
      const right = mayDecide(o.decider, a, policy);
      throw forbidden(right.ok ? "you may not decide this approval" : right.why);
    }
    if (a.status === "pending" && a.expiresAt.getTime() <= Date.now()) {
      await expireDueApprovalsInTx(tx, [a.id]);
      return a.expiresAt;
    }
    if (a.status !== "pending") {
      throw conflict(a.status === "expired" ? `the approval expired at ${a.expiresAt.toISOString()}: the request must be made again` : `the approval was already decided (${a.status})`);
    }
    const right = mayDecide(o.decider, a, policy);
    if (!right.ok) throw forbidden(right.why);

    const stored = a.request as StoredApprovalRequest;
    const correlationId = a.correlationId;
    const decided = async (status: string, executionId: string | null) =>
      appendEvent(tx, {
        type: "approval.decided",
        data: { approvalId: a.id, kind: a.kind, decision: o.input.decision, status, comment, slug: a.capabilitySlug, action: a.action, agentId: a.agentId, executionId },
        stream: { type: "approval", id: a.id },
        subject: a.agentId ? { type: "agent", id: a.agentId } : { type: "approval", id: a.id },
        actor: o.decider.actor,
        correlationId,
      });

    if (o.input.decision === "hold") {
      await tx.approval.update({ where: { id: a.id }, data: { held: true, note: comment } });
      await decided("pending", null);
      return null;
    }
    if (o.input.decision === "deny") {
      await tx.approval.update({ where: { id: a.id }, data: { status: "denied", held: false, decidedById: o.decider.userId, decidedAt: new Date(), decisionComment: comment } });
      await DEFERRED_ON_DENY[a.kind as ApprovalKind]?.(tx, a, comment, { userId: o.decider.userId, actor: o.decider.actor });
      await decided("denied", null);
      return null;
    }

    const handler = DEFERRED_HANDLERS[a.kind as ApprovalKind];
    if (!handler) throw new AppError("conflict", `approving ${a.kind} requests is not supported yet: deny it or let it expire`);
    const request = { ...stored.policy, context: { ...stored.policy.context, approved: true } };
    const recheck = evaluatePolicy(request, policy.compiled);
    await appendEvent(tx, policyEvaluatedEvent(request, { decision: recheck, rulesVersion: policy.rulesVersion }, { actor: o.decider.actor, correlationId, approvalId: a.id }));
    const result = await handler(tx, a, { decider: o.decider, correlationId, recheck, comment });
    await tx.approval.update({
      where: { id: a.id },
      data: {
        status: "approved",
        held: false,
        decidedById: o.decider.userId,
        decidedAt: new Date(),
        decisionComment: comment,
        executionId: result.executionId ?? null,
        outcome: (result.outcome ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
    await decided("approved", result.executionId ?? null);
    return null;
  });
  if (expired) throw conflict(`the approval expired at ${expired.toISOString()}: the request must be made again`);
}

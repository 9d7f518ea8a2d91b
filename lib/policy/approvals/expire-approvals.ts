// Pending approvals past their expiry become `expired`, each with an approval.expired event
// in the same transaction. Safe to run from every instance at once: the UPDATE … WHERE
// status = 'pending' takes each row once (a concurrent run skips rows already taken).
// Runs lazily on reads and decisions, and periodically from the executors' reaper.
import type { Prisma } from "../../generated/prisma/client";
import type { Db } from "../../db/prisma";
import { appendEvent } from "../../events/append-event";

interface ExpiredRow {
  id: string;
  kind: string;
  capability_slug: string | null;
  action: string | null;
  agent_id: string | null;
  correlation_id: string;
  expires_at: Date;
}

/** Expires due approvals inside the caller's transaction; `ids` limits it to those rows. */
export async function expireDueApprovalsInTx(tx: Prisma.TransactionClient, ids?: string[]): Promise<string[]> {
  const rows = ids
    ? await tx.$queryRaw<ExpiredRow[]>`
        UPDATE approvals SET status = 'expired', updated_at = now()
        WHERE id = ANY(${ids}) AND status = 'pending' AND expires_at <= now()
        RETURNING id, kind, capability_slug, action, agent_id, correlation_id, expires_at`
    : await tx.$queryRaw<ExpiredRow[]>`
        UPDATE approvals SET status = 'expired', updated_at = now()
        WHERE id IN (SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= now() ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, capability_slug, action, agent_id, correlation_id, expires_at`;
  for (const r of rows) {
    await appendEvent(tx, {
      type: "approval.expired",
      data: { approvalId: r.id, kind: r.kind, slug: r.capability_slug, action: r.action, agentId: r.agent_id, expiresAt: r.expires_at.toISOString() },
      stream: { type: "approval", id: r.id },
      subject: r.agent_id ? { type: "agent", id: r.agent_id } : { type: "approval", id: r.id },
      actor: { type: "system", id: null },
      correlationId: r.correlation_id,
    });
  }
  return rows.map((r) => r.id);
}

/** Expires every due approval; cheap when none is due (one indexed read). */
export async function expireDueApprovals(db: Db): Promise<number> {
  const due = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM approvals WHERE status = 'pending' AND expires_at <= now()`;
  if (!due[0]?.n) return 0;
  const ids = await db.$transaction((tx) => expireDueApprovalsInTx(tx));
  return ids.length;
}

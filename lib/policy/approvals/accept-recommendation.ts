// Progressive trust, accepted with one click: the standing allow rule the gate recommends
// for a pending approval (this agent, capability, action; no more permissions or domains
// than now) becomes an organisation rule — inserted before the org rule that required the
// approval (first match wins), else at the top — as a new rules version (policy.rule_changed,
// via "trust"). The approval itself is still decided separately.
import type { Db } from "../../db/prisma";
import { conflict, forbidden, notFound } from "../../errors";
import type { Actor } from "../../events/append-event";
import { loadPolicy } from "../load-policy";
import { insertRule } from "../rule-store";
import type { OrgRule } from "../rules";
import { recommendationFor } from "./approval-view";
import type { ApprovalRow } from "./types";

export async function acceptRecommendation(
  db: Db,
  o: { id: string; viewer: { userId: string; role: "admin" | "member" }; actor: Actor; correlationId?: string },
): Promise<{ rule: OrgRule; version: number }> {
  if (o.viewer.role !== "admin") throw forbidden("only admins change the organisation's rules");
  const row = (await db.approval.findUnique({ where: { id: o.id } })) as ApprovalRow | null;
  if (!row) throw notFound("approval");
  const policy = await loadPolicy(db);
  const rec = await recommendationFor(db, row, policy);
  if (!rec) throw conflict("there is no standing-rule recommendation for this approval (it needs a pending request approved enough times with no denial)");
  const set = await insertRule(db, {
    rule: rec.rule,
    before: row.ruleId,
    via: "trust",
    comment: `accepted the recommendation of approval ${row.id} (${rec.approvals} approvals, no denial)`,
    actor: o.actor,
    correlationId: o.correlationId ?? row.correlationId,
  });
  return { rule: rec.rule, version: set.version };
}

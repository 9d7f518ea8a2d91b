// Approvals as the API and the inbox show them: one (GET /api/approvals/:id, with the
// progressive-trust recommendation), a filtered page (pending first, then newest; keyset
// cursor), and the count of pending ones a viewer may decide (the navigation badge).
// Inputs are redacted for display; the invoke result is the execution's real output once
// it finished. Due approvals are expired before reading, so nobody sees a stale "pending".
import { z } from "zod";
import type { Db } from "../../db/prisma";
import { redact } from "../../events/redact";
import { describePermissions } from "../../agents/action-permissions";
import { isFinalStatus, type ExecutionError, type ExecutionStatus } from "../../execution/types";
import { decodeCursor, encodeCursor } from "../../registry/cursor";
import { RISK_LEVELS } from "../../registry/permissions";
import { notFound } from "../../errors";
import { evaluatePolicy, type SecurityLevel } from "../gate";
import { trustCounts } from "../evaluate-request";
import { loadPolicy, type LoadedPolicy } from "../load-policy";
import { mayDecide } from "./authorize";
import { expireDueApprovals } from "./expire-approvals";
import { canSeeApproval } from "./visibility";
import { APPROVAL_KINDS, APPROVAL_STATUSES, type ApprovalKind, type ApprovalOutcome, type ApprovalRow, type ApprovalStatus, type ApprovalView, type StoredApprovalRequest } from "./types";

export interface Viewer {
  userId: string;
  role: "admin" | "member";
}

interface Related {
  users: Map<string, { email: string; name: string }>;
  agents: Map<string, string>;
  capabilities: Map<string, string>;
  executions: Map<string, { id: string; status: string; output: unknown; error: unknown; durationMs: number | null }>;
}

async function loadRelated(db: Db, rows: ApprovalRow[]): Promise<Related> {
  const userIds = [...new Set(rows.flatMap((r) => [r.requesterUserId, r.decidedById]).filter((x): x is string => !!x))];
  const agentIds = [...new Set(rows.map((r) => r.agentId).filter((x): x is string => !!x))];
  const slugs = [...new Set(rows.map((r) => r.capabilitySlug).filter((x): x is string => !!x))];
  const execIds = [...new Set(rows.map((r) => r.executionId).filter((x): x is string => !!x))];
  const [users, agents, caps, execs] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, name: true } }) : [],
    agentIds.length ? db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }) : [],
    slugs.length ? db.capability.findMany({ where: { slug: { in: slugs } }, select: { slug: true, name: true } }) : [],
    execIds.length ? db.execution.findMany({ where: { id: { in: execIds } }, select: { id: true, status: true, output: true, error: true, durationMs: true } }) : [],
  ]);
  return {
    users: new Map(users.map((u) => [u.id, { email: u.email, name: u.name }])),
    agents: new Map(agents.map((a) => [a.id, a.name])),
    capabilities: new Map(caps.map((c) => [c.slug, c.name])),
    executions: new Map(execs.map((e) => [e.id, e])),
  };
}

const perms = (names: readonly string[]) => describePermissions(names).map((p) => ({ name: p.name, label: p.label, explanation: p.explanation, risk: p.risk }));

function toView(a: ApprovalRow, rel: Related, viewer: Viewer, policy: LoadedPolicy, recommendation: ApprovalView["recommendation"] = null): ApprovalView {
  const stored = (a.request ?? {}) as Partial<StoredApprovalRequest>;
  const display = stored.display ?? { permissions: [], domains: [] };
  const requester = a.requesterUserId ? rel.users.get(a.requesterUserId) : undefined;
  const decider = a.decidedById ? rel.users.get(a.decidedById) : undefined;
  const exec = a.executionId ? rel.executions.get(a.executionId) : undefined;
  const status = a.status as ApprovalStatus;
  const right = status === "pending" ? mayDecide(viewer, a, policy) : { ok: false as const, why: `the approval is ${status}` };
  const finalDecision = status === "approved" || status === "denied";
  const reason =
    status === "denied" ? (a.decisionComment ?? "denied without a comment") : status === "expired" ? `nobody decided before ${a.expiresAt.toISOString()}` : null;
  return {
    id: a.id,
    kind: a.kind as ApprovalKind,
    status,
    held: a.held,
    note: a.note,
    requester: {
      type: a.requesterType,
      id: a.requesterId,
      userId: a.requesterUserId,
      email: requester?.email ?? null,
      name: requester?.name ?? null,
      role: a.requesterRole,
      via: stored.via ?? null,
    },
    agent: a.agentId ? { id: a.agentId, name: rel.agents.get(a.agentId) ?? null } : null,
    capability: a.capabilitySlug ? { slug: a.capabilitySlug, name: rel.capabilities.get(a.capabilitySlug) ?? null, version: a.version, action: a.action } : null,
    securityLevel: a.securityLevel as SecurityLevel,
    risk: a.risk,
    approver: a.approver === "any" ? "any" : "admin",
    policy: { reasonCode: a.reasonCode, reasons: Array.isArray(a.reasons) ? (a.reasons as string[]) : [], ruleId: a.ruleId },
    request: {
      ...(display.input !== undefined ? { input: redact(display.input) } : {}),
      permissions: perms(display.permissions ?? []),
      domains: display.domains ?? [],
      ...(display.permissionDiff ? { permissionDiff: { added: perms(display.permissionDiff.added), removed: display.permissionDiff.removed, kept: display.permissionDiff.kept } } : {}),
      ...(display.visibility ? { visibility: display.visibility } : {}),
      ...(display.fromVersion ? { fromVersion: display.fromVersion } : {}),
      ...(display.details ? { details: redact(display.details) as Record<string, unknown> } : {}),
      ...(a.securityLevel === "DANGEROUS" && stored.policy ? { full: redact(stored.policy) } : {}),
    },
    correlationId: a.correlationId,
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    decision:
      finalDecision && a.decidedAt
        ? {
            decision: status === "approved" ? "approve" : "deny",
            comment: a.decisionComment,
            by: a.decidedById ? { id: a.decidedById, email: decider?.email ?? null, name: decider?.name ?? null } : null,
            at: a.decidedAt.toISOString(),
          }
        : null,
    reason,
    result:
      exec && isFinalStatus(exec.status as ExecutionStatus)
        ? {
            executionId: exec.id,
            status: exec.status as ExecutionStatus,
            output: exec.output ?? null,
            durationMs: exec.durationMs,
            ...(exec.error ? { error: exec.error as ExecutionError } : {}),
            links: { self: `/api/executions/${exec.id}` },
          }
        : null,
    outcome: (a.outcome as ApprovalOutcome | null) ?? null,
    recommendation,
    viewer: { canDecide: right.ok, whyNot: right.ok ? null : right.why, canTrust: viewer.role === "admin" && recommendation !== null },
    links: {
      self: `/api/approvals/${a.id}`,
      decide: `/api/approvals/${a.id}/decide`,
      html: `/approvals?id=${a.id}`,
      stream: `/api/events/stream?correlationId=${encodeURIComponent(a.correlationId)}`,
      ...(a.executionId ? { execution: `/api/executions/${a.executionId}` } : {}),
    },
  };
}

/** The standing rule the gate recommends for this pending approval, if any. */
export async function recommendationFor(db: Db, a: ApprovalRow, policy: LoadedPolicy): Promise<ApprovalView["recommendation"]> {
  if (a.status !== "pending" || !a.agentId || !a.capabilitySlug || a.kind === "publish") return null;
  const stored = a.request as StoredApprovalRequest;
  if (!stored?.policy) return null;
  const c = await trustCounts(db, { agentId: a.agentId, slug: a.capabilitySlug, action: a.action, kind: a.kind });
  const d = evaluatePolicy({ ...stored.policy, context: { ...stored.policy.context, recentApprovals: c.approved, recentDenials: c.denied } }, policy.compiled);
  return d.recommendation ? { rule: d.recommendation.rule, approvals: c.approved } : null;
}

/** Whether the approval's execution (if any) has finished. */
export function isSettled(v: ApprovalView): boolean {
  if (v.status === "pending") return false;
  if (v.status !== "approved" || !v.links.execution) return true;
  return v.result !== null;
}

export async function getApprovalView(db: Db, id: string, viewer: Viewer): Promise<ApprovalView> {
  await expireDueApprovals(db);
  const [row, policy] = await Promise.all([db.approval.findUnique({ where: { id } }), loadPolicy(db)]);
  if (!row || !canSeeApproval(viewer, row, policy)) throw notFound("approval");
  const a = row as ApprovalRow;
  const [rel, recommendation] = await Promise.all([loadRelated(db, [a]), recommendationFor(db, a, policy)]);
  return toView(a, rel, viewer, policy, recommendation);
}

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const ListApprovalsQuerySchema = z.object({
  status: z.union([z.literal("all"), csvOf(APPROVAL_STATUSES)]).default("all"),
  agentId: z.string().min(1).max(100).optional(),
  capability: z.string().min(1).max(64).optional(),
  risk: csvOf(RISK_LEVELS).optional(),
  kind: csvOf(APPROVAL_KINDS).optional(),
  correlationId: z.string().min(1).max(200).optional(),
  mine: z.enum(["1", "true", "0", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
});
export type ListApprovalsQuery = z.infer<typeof ListApprovalsQuerySchema>;

const CURSOR_TAG = "approvals";

export async function listApprovals(db: Db, q: ListApprovalsQuery, viewer: Viewer): Promise<{ items: ApprovalView[]; nextCursor: string | null; pendingCount: number }> {
  await expireDueApprovals(db);
  const policy = await loadPolicy(db);
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (viewer.role !== "admin") {
    where.push(
      policy.membersMayApproveRestricted
        ? `(requester_user_id = ${p(viewer.userId)} OR (security_level = 'RESTRICTED' AND approver = 'any'))`
        : `requester_user_id = ${p(viewer.userId)}`,
    );
  }
  if (q.mine === "1" || q.mine === "true") where.push(`requester_user_id = ${p(viewer.userId)}`);
  if (q.agentId) where.push(`agent_id = ${p(q.agentId)}`);
  if (q.capability) where.push(`capability_slug = ${p(q.capability.toLowerCase())}`);
  if (q.risk) where.push(`risk = ANY(${p(q.risk)}::text[])`);
  if (q.kind) where.push(`kind = ANY(${p(q.kind)}::text[])`);
  if (q.correlationId) where.push(`correlation_id = ${p(q.correlationId)}`);
  const filtered = [...where];
  if (q.status !== "all") where.push(`status = ANY(${p(q.status)}::text[])`);
  const rank = `(CASE WHEN status = 'pending' THEN 0 ELSE 1 END)`;
  if (q.cursor) {
    const [r, created, id] = decodeCursor(CURSOR_TAG, q.cursor, 3) as [number, string, string];
    where.push(`(${rank} > ${p(r)}::int OR (${rank} = ${p(r)}::int AND (created_at, id) < (${p(created)}::timestamptz, ${p(id)})))`);
  }
  const sql = `SELECT id FROM approvals ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${rank}, created_at DESC, id DESC LIMIT ${q.limit + 1}`;
  const ids = (await db.$queryRawUnsafe<{ id: string }[]>(sql, ...params)).map((r) => r.id);
  const page = ids.slice(0, q.limit);
  const rows = (page.length ? await db.approval.findMany({ where: { id: { in: page } } }) : []) as ApprovalRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = page.map((id) => byId.get(id)!).filter(Boolean);
  const rel = await loadRelated(db, ordered);
  const last = ordered.at(-1);
  const countParams = params.slice(0, filteredParamCount(filtered, params));
  const pendingRows = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM approvals WHERE status = 'pending'${filtered.length ? ` AND ${filtered.join(" AND ")}` : ""}`,
    ...countParams,
  );
  return {
    items: ordered.map((a) => toView(a, rel, viewer, policy)),
    nextCursor: ids.length > q.limit && last ? encodeCursor(CURSOR_TAG, [last.status === "pending" ? 0 : 1, last.createdAt.toISOString(), last.id]) : null,
    pendingCount: pendingRows[0]?.n ?? 0,
  };
}

/** The filter clauses come first, so their parameters are a prefix of the list: count those. */
function filteredParamCount(clauses: string[], params: unknown[]): number {
  let max = 0;
  for (const c of clauses) for (const m of c.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return Math.min(max, params.length);
}

/** Pending approvals this viewer may decide (the navigation badge). */
export async function countDecidable(db: Db, viewer: Viewer): Promise<{ pending: number }> {
  await expireDueApprovals(db);
  const policy = await loadPolicy(db);
  if (viewer.role === "admin") {
    const rows = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM approvals
      WHERE status = 'pending' AND NOT (security_level = 'DANGEROUS' AND requester_user_id IS NOT DISTINCT FROM ${viewer.userId})`;
    return { pending: rows[0]?.n ?? 0 };
  }
  if (!policy.membersMayApproveRestricted) return { pending: 0 };
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM approvals
    WHERE status = 'pending' AND security_level = 'RESTRICTED' AND approver = 'any' AND kind <> 'publish'
      AND requester_user_id IS DISTINCT FROM ${viewer.userId}`;
  return { pending: rows[0]?.n ?? 0 };
}

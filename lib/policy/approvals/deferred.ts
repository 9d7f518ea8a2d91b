// What an approval runs once approved, by kind. Each handler runs INSIDE the transaction
// that records the approval (the approvals row is locked), so the deferred action and the
// decision commit together: exactly once, whoever approves and whenever the server
// restarts. Before it runs, the decision re-asks the gate with `approved: true`: the kill
// switch or a deny rule switched on meanwhile still stops it (`recheck`), and the handler
// records that as its outcome instead of acting.
import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "../../events/append-event";
import type { PolicyDecision } from "../gate";
import { runDeferredInstall } from "./deferred-install";
import { runDeferredInvoke } from "./deferred-invoke";
import { denyDeferredPublish, runDeferredPublish } from "./deferred-publish";
import { isGrantChange, runDeferredGrantChange } from "./deferred-grants";
import { runDeferredTask } from "./deferred-task";
import { runDeferredUpgrade } from "./deferred-upgrade";
import type { ApprovalKind, ApprovalOutcome, ApprovalRow } from "./types";

export interface DeferredContext {
  /** Who approved. */
  decider: { userId: string; role: "admin" | "member"; actor: Actor };
  correlationId: string;
  /** The gate asked again with approved: true. Handlers must not act on a deny. */
  recheck: PolicyDecision;
  /** The approver's comment. */
  comment: string | null;
}

export interface DeferredResult {
  executionId?: string | null;
  outcome: ApprovalOutcome | null;
}

export type DeferredHandler = (tx: Prisma.TransactionClient, approval: ApprovalRow, ctx: DeferredContext) => Promise<DeferredResult>;

/** Kinds whose denial must also change something (a public version in review is rejected). */
export type DenyHandler = (tx: Prisma.TransactionClient, approval: ApprovalRow, comment: string | null, by?: { userId: string; actor: Actor }) => Promise<void>;
export const DEFERRED_ON_DENY: Partial<Record<ApprovalKind, DenyHandler>> = { publish: denyDeferredPublish };

export const DEFERRED_HANDLERS: Partial<Record<ApprovalKind, DeferredHandler>> = {
  invoke: runDeferredInvoke,
  install: runDeferredInstall,
  // An upgrade approval is a version upgrade, or a grant change of the installed version.
  upgrade: (tx, a, ctx) => (isGrantChange(a.payload) ? runDeferredGrantChange(tx, a, ctx) : runDeferredUpgrade(tx, a, ctx)),
  publish: runDeferredPublish,
  materialize_task: runDeferredTask,
};

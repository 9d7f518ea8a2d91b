// The deferred action of an approved invocation: queue its execution (row + NOTIFY) in the
// deciding transaction, with the original requester as actor and the request's correlation
// id, so the executors run it once and the timeline links request, decision and run.
// An installation removed, disabled or moved to another version since the request is not
// run (the approval was for what was asked then); neither is a request the gate now denies
// (recorded as a `denied` execution, as a fresh invoke would be).
import type { Prisma } from "../../generated/prisma/client";
import type { Db } from "../../db/prisma";
import type { ActorType } from "../../events/event-types";
import { recordDeniedExecutionInTx } from "../../execution/invoke/record-denied-execution";
import { enqueueExecution } from "../../execution/queue/enqueue";
import type { ExecutionKind } from "../../execution/types";
import type { DeferredHandler } from "./deferred";

/** The payload an invoke approval stores (lib/execution/invoke/invoke-action.ts writes it). */
export interface InvokePayload {
  installationId: string;
  capabilityId: string;
  versionId: string;
  version: string;
  kind: ExecutionKind;
  timeoutMs: number;
  /** The queued input's JSON (known secret values already replaced). */
  inputJson: string;
  tokenId: string | null;
}

export const runDeferredInvoke: DeferredHandler = async (tx: Prisma.TransactionClient, a, ctx) => {
  const p = a.payload as InvokePayload;
  const inst = await tx.installation.findUnique({ where: { id: p.installationId }, select: { enabled: true, versionId: true } });
  if (!inst) return { outcome: { ok: false, code: "installation_removed", message: "the capability was uninstalled from the agent after the request: invoke again" } };
  if (!inst.enabled) return { outcome: { ok: false, code: "installation_disabled", message: "the installation was disabled after the request: enable it and invoke again" } };
  if (inst.versionId !== p.versionId) return { outcome: { ok: false, code: "installation_changed", message: "the installation moved to another version after the request: invoke again" } };
  const row = {
    agentId: a.agentId!,
    installationId: p.installationId,
    capabilityId: p.capabilityId,
    versionId: p.versionId,
    capabilitySlug: a.capabilitySlug!,
    version: p.version,
    action: a.action!,
    kind: p.kind,
    correlationId: a.correlationId,
    actor: { type: a.requesterType as ActorType, id: a.requesterId },
    tokenId: p.tokenId,
    timeoutMs: p.timeoutMs,
  };
  if (ctx.recheck.decision === "deny") {
    const reason = ctx.recheck.reasons.join("; ");
    const denied = await recordDeniedExecutionInTx(tx, { ...row, inputJson: p.inputJson, reasonCode: ctx.recheck.reasonCode, reason });
    return { executionId: denied.id, outcome: { ok: false, code: "policy_denied", message: `approved, but the policy now denies it: ${reason}` } };
  }
  const queued = await enqueueExecution(tx as unknown as Db, { ...row, input: { json: p.inputJson, bytes: Buffer.byteLength(p.inputJson) } });
  return { executionId: queued.id, outcome: null };
};

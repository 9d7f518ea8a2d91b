// The deferred action of an approved permission change (PATCH of an installation's
// grantedPermissions that adds a permission the policy holds for approval): set the grants
// as asked, inside the deciding transaction, as the requester — unless the installation
// moved to another version or is gone since (then nothing changes and the outcome says so).
// It is stored as an `upgrade` approval with `payload.grantChange` (granting more to an
// installed capability is the same risk as upgrading it to a version that asks more).
import type { Prisma } from "../../generated/prisma/client";
import { appendInstallationEvent, lockInstallation } from "../../agents/lock-installation";
import type { DeferredContext, DeferredResult } from "./deferred";
import { deniedOnRecheck, inSavepoint, requesterCaller } from "./deferred-install";
import type { ApprovalRow } from "./types";

export interface GrantChangePayload {
  grantChange: { installationId: string; versionId: string; grantedPermissions: string[] };
}

export function isGrantChange(payload: unknown): payload is GrantChangePayload {
  return typeof payload === "object" && payload !== null && typeof (payload as GrantChangePayload).grantChange?.installationId === "string";
}

export async function runDeferredGrantChange(tx: Prisma.TransactionClient, a: ApprovalRow, ctx: DeferredContext): Promise<DeferredResult> {
  const denied = deniedOnRecheck(ctx);
  if (denied) return { outcome: denied };
  const { grantChange: g } = a.payload as GrantChangePayload;
  const caller = await requesterCaller(tx, a);
  if ("ok" in caller) return { outcome: caller };
  const outcome = await inSavepoint(tx, "deferred_grants", async () => {
    const inst = await lockInstallation(tx, { caller, agentId: a.agentId!, installationId: g.installationId });
    if (inst.version.id !== g.versionId) return { ok: false, code: "installation_changed", message: "not done: the installation moved to another version since the request; ask again" };
    const requested = inst.version.permissions;
    const next = [...new Set(g.grantedPermissions.filter((p) => requested.includes(p)))];
    const granted = next.filter((p) => !inst.grantedPermissions.includes(p));
    const revoked = inst.grantedPermissions.filter((p) => !next.includes(p));
    if (granted.length || revoked.length) {
      await tx.installation.update({ where: { id: inst.id }, data: { grantedPermissions: next }, select: { id: true } });
      await appendInstallationEvent(tx, { caller, inst, type: "installation.permissions_changed", data: { slug: inst.capability.slug, granted, revoked } });
    }
    return { ok: true, message: `${inst.capability.slug} now has ${next.length ? next.join(", ") : "no permissions"}`, installationId: inst.id, granted, revoked };
  });
  return { outcome };
}

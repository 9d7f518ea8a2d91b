// The deferred action of an approved upgrade: the same upgrade the requester asked for
// (lib/agents/upgrade-installation.ts upgradeInstallationInTx), inside the deciding
// transaction, as the requester, to the exact version resolved when asked, from the
// version installed then (an installation that moved meanwhile is not upgraded: the
// approval was for that diff). Refusals (installation removed, target yanked, config now
// invalid, policy now denies, more grants than approved) change nothing and become the
// outcome; the attempt runs under a SAVEPOINT so the decision still commits.
import { upgradeInstallationInTx, type UpgradePayload } from "../../agents/upgrade-installation";
import { openSecrets } from "../../agents/sealed-secrets";
import type { DeferredHandler } from "./deferred";
import { deniedOnRecheck, inSavepoint, requesterCaller } from "./deferred-install";

export const runDeferredUpgrade: DeferredHandler = async (tx, a, ctx) => {
  const denied = deniedOnRecheck(ctx);
  if (denied) return { outcome: denied };
  const p = a.payload as UpgradePayload;
  const caller = await requesterCaller(tx, a);
  if ("ok" in caller) return { outcome: caller };
  const agentId = a.agentId;
  const slug = a.capabilitySlug;
  if (!agentId || !slug) return { outcome: { ok: false, code: "invalid_approval", message: "not done: the approval names no agent or capability" } };

  const outcome = await inSavepoint(tx, "deferred_upgrade", async () => {
    const inst = await tx.installation.findFirst({ where: { id: p.installationId, agentId }, select: { versionId: true } });
    if (!inst) return { ok: false, code: "installation_removed", message: `not done: ${slug} was uninstalled from the agent (or the agent deleted) after the request` };
    if (inst.versionId !== p.fromVersionId) return { ok: false, code: "installation_changed", message: `not done: ${slug} is no longer on ${p.fromVersion}; the approval was for an upgrade from it` };
    const target = await tx.capabilityVersion.findUnique({ where: { id: p.targetVersionId }, select: { status: true } });
    if (!target) return { ok: false, code: "version_removed", message: `not done: ${slug} ${p.targetVersion} no longer exists` };
    if (target.status === "yanked") return { ok: false, code: "version_yanked", message: `not done: ${slug} ${p.targetVersion} was yanked after the request` };

    const dependencyConfig = Object.fromEntries(
      [...new Set([...Object.keys(p.dependencyConfig), ...Object.keys(p.dependencySecrets)])].map((s) => [
        s,
        { config: p.dependencyConfig[s]?.config ?? {}, secrets: openSecrets(p.sealId, `dep:${s}`, p.dependencySecrets[s]) },
      ]),
    );
    const r = await upgradeInstallationInTx(tx, {
      caller,
      agentId,
      installationId: p.installationId,
      approved: { permissions: p.permissions, fromVersionId: p.fromVersionId },
      input: {
        upgradeTo: p.targetVersion,
        grantedPermissions: p.grantedPermissions ?? undefined,
        config: p.config ?? undefined,
        secrets: openSecrets(p.sealId, "root", p.secrets),
        dependencyGrants: p.dependencyGrants ?? undefined,
        dependencyConfig,
      },
    });
    if (r.kind === "needs_consent") return { ok: false, code: "needs_consent", message: `not done: ${slug} ${p.targetVersion} asks for permissions that were not granted; upgrade again with the grants` };
    if (r.kind !== "upgraded") throw new Error(`deferred upgrade ended as ${r.kind}`);
    return {
      ok: true,
      message: `upgraded ${slug} from ${p.fromVersion} to ${p.targetVersion}${r.newIds.length ? ` with ${r.newIds.length} new dependenc${r.newIds.length > 1 ? "ies" : "y"}` : ""}`,
      installationId: p.installationId,
      installedDependencies: r.newIds,
    };
  });
  return { outcome };
};

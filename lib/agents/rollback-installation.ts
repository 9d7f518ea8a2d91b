// Goes back to the version the installation ran before its last upgrade, in one call.
// previousVersionId then points at the version just left, so a rollback can be undone
// the same way. Consent never grows by itself: the granted permissions become those
// still granted that the previous version requests (re-grant others explicitly).
// Configuration is carried as on upgrade; a yanked previous version is refused (409),
// as is a version that a dependent's range would not accept.
import type { Db } from "../db/prisma";
import { AppError, conflict, type FieldError } from "../errors";
import { permissionDiff, type Permission } from "../registry/permissions";
import { saveInstallationSecrets } from "../secrets/save-installation-secrets";
import { createPlannedInstallations } from "./create-planned-installations";
import { versionSelect } from "./find-versions";
import { applyConfigChange, carryConfig } from "./installation-config";
import { loadInstallationViews } from "./installation-views";
import { describeConfigField, readInstalledManifest } from "./installed-manifest";
import { appendInstallationEvent, configStateOf, lockInstallation } from "./lock-installation";
import { planDependencies } from "./plan-dependencies";
import { installPolicyRequest } from "./installation-policy";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import { evaluateRequest, policyEvaluatedEvent } from "../policy/evaluate-request";
import type { UpdateInstallationOptions, UpdateInstallationResult } from "./update-installation";
import { assertDependentsAccept } from "./upgrade-installation";

const union = (...lists: string[][]) => [...new Set(lists.flat())];

export async function rollbackInstallation(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult> {
  const { caller, agentId, installationId, input } = options;
  const outcome = await db.$transaction(async (tx) => {
    const inst = await lockInstallation(tx, { caller, agentId, installationId });
    const slug = inst.capability.slug;
    if (!inst.previousVersionId) throw conflict(`${slug} has no previous version to roll back to`);
    const from = inst.version;
    const to = await tx.capabilityVersion.findUniqueOrThrow({ where: { id: inst.previousVersionId }, select: versionSelect });
    if (to.status === "yanked") throw conflict(`${slug} ${to.version} was yanked: it cannot be rolled back to; upgrade to another version instead`);
    await assertDependentsAccept(tx, inst, to.version);

    const toManifest = readInstalledManifest(to.manifest);
    const carried = carryConfig(readInstalledManifest(from.manifest).configuration, toManifest.configuration, configStateOf(inst));
    const errors: FieldError[] = [];
    const cfg = applyConfigChange(toManifest.configuration, carried, { config: input.config, secrets: input.secrets });
    errors.push(...cfg.errors);
    const deps = await planDependencies(tx, {
      caller,
      agentId,
      root: { installationId: inst.id, capability: inst.capability, version: to, manifest: toManifest },
      dependencyGrants: input.dependencyGrants ?? {},
      dependencyConfig: input.dependencyConfig ?? {},
    });
    errors.push(...deps.errors);
    if (errors.length) throw new AppError("validation_failed", `${slug} cannot be rolled back to ${to.version} as asked`, { errors });

    // Rolling back grants nothing new to the installation itself, but dependencies it needs
    // again are installed along with the grants asked: those pass the gate like an install.
    // A rollback cannot wait for a person, so anything but allow refuses it (evented).
    const depGrants = deps.installs.filter((d) => d.granted.length);
    if (depGrants.length) {
      const request = installPolicyRequest({ what: "install", caller, agentId, auth: options.auth, slug: depGrants[0]!.capability.slug, version: depGrants[0]!.version.version, items: depGrants.map((d) => ({ manifest: d.version.manifest, granted: d.granted })) });
      const e = await evaluateRequest(tx, request);
      await appendEvent(tx, policyEvaluatedEvent(request, e, { actor: caller.actor, correlationId: caller.correlationId ?? newId("cor") }));
      if (e.decision.decision !== "allow") {
        const why = e.decision.decision === "deny" ? "the policy denies it" : "the policy wants a person to approve it";
        return { refused: new AppError("policy_denied", `rolling back would install ${depGrants.map((d) => d.capability.slug).join(", ")} with permissions, and ${why}: ${e.decision.reasons.join("; ")}. Install the dependencies first (that asks for approval), then roll back.`) };
      }
    }

    const granted = inst.grantedPermissions.filter((p) => to.permissions.includes(p));
    const revoked = inst.grantedPermissions.filter((p) => !granted.includes(p));
    await tx.installation.update({
      where: { id: inst.id },
      data: { versionId: to.id, previousVersionId: from.id, pendingVersionId: null, grantedPermissions: granted, config: cfg.config },
      select: { id: true },
    });
    await saveInstallationSecrets(tx, { installationId: inst.id, set: cfg.secretsToSet, clear: union(carried.droppedSecretKeys, cfg.secretsToClear) });
    await appendInstallationEvent(tx, { caller, inst, type: "installation.rolled_back", data: { slug, from: from.version, to: to.version } });
    if (revoked.length) await appendInstallationEvent(tx, { caller, inst, type: "installation.permissions_changed", data: { slug, granted: [], revoked } });
    const configKeys = union(carried.droppedConfigKeys, cfg.changedConfigKeys);
    const secretKeys = union(carried.droppedSecretKeys, cfg.changedSecretKeys);
    if (configKeys.length || secretKeys.length) {
      await appendInstallationEvent(tx, { caller, inst, type: "installation.config_changed", data: { slug, configKeys, secretKeys }, secrets: Object.values(cfg.secretsToSet) });
    }
    await createPlannedInstallations(tx, { caller, agentId, installs: deps.installs });
    return {
      permissionDiff: permissionDiff(from.permissions as Permission[], to.permissions as Permission[]),
      newConfig: carried.newFields.map(describeConfigField),
      droppedConfig: union(carried.droppedConfigKeys, carried.droppedSecretKeys),
      newIds: deps.installs.map((d) => d.installationId),
    };
  });
  // A refused rollback committed only its policy.evaluated event.
  if ("refused" in outcome) throw outcome.refused;
  const views = await loadInstallationViews(db, { caller, agentId, ids: [installationId, ...outcome.newIds] });
  const { newIds, ...rest } = outcome;
  return {
    status: "rolled_back",
    ...rest,
    installation: views.find((v) => v.id === installationId)!,
    ...(newIds.length ? { installedDependencies: views.filter((v) => newIds.includes(v.id)) } : {}),
  };
}

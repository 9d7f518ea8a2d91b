// Moves an installation to another version (normally a newer one; "latest" = the latest
// published release). Nothing moves by itself: an installation stays pinned to its exact
// version until someone calls this.
// Permission drift: when the target requests permissions the installed version did not
// (diff of requested sets), and the request carries no `grantedPermissions`, nothing is
// switched: the target is recorded as pending (installation.upgrade_pending) and the
// answer is needs_consent with the diff and the configuration to ask for; the installed
// version keeps working. Sending `grantedPermissions` (⊆ the target's requested) is the
// consent and completes the upgrade. Without drift the upgrade completes at once, keeping
// the granted permissions the target still requests.
// On completion: configuration that still fits the target's schema is kept, what no
// longer exists is dropped, new values come from `config`/`secrets` (422 when a required
// one is missing), new dependencies are installed along, previousVersionId is set for a
// rollback, and installation.upgraded records the diff, all in one transaction.
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict, type FieldError } from "../errors";
import { permissionDiff, type Permission } from "../registry/permissions";
import { saveInstallationSecrets } from "../secrets/save-installation-secrets";
import { createPlannedInstallations } from "./create-planned-installations";
import { dependentsBrokenBy, findDependents } from "./find-dependents";
import { findInstallableVersion } from "./find-versions";
import { grantErrors } from "./install-capability";
import { applyConfigChange, carryConfig } from "./installation-config";
import { loadInstallationViews } from "./installation-views";
import { describeConfigField, readInstalledManifest } from "./installed-manifest";
import { appendInstallationEvent, configStateOf, lockInstallation, type LockedInstallation } from "./lock-installation";
import { planDependencies } from "./plan-dependencies";
import type { UpdateInstallationOptions, UpdateInstallationResult } from "./update-installation";

/** Refuses a version change that would leave a dependent's range unsatisfied. */
export async function assertDependentsAccept(tx: Prisma.TransactionClient, inst: LockedInstallation, version: string): Promise<void> {
  const broken = dependentsBrokenBy(await findDependents(tx, { agentId: inst.agentId, slug: inst.capability.slug, excludeInstallationId: inst.id }), version);
  if (broken.length) {
    throw conflict(
      `${broken.map((d) => `${d.slug} (installation ${d.installationId}) needs ${inst.capability.slug} ${d.range}`).join("; ")}: ${version} does not satisfy it`,
    );
  }
}

const union = (...lists: string[][]) => [...new Set(lists.flat())];

export async function upgradeInstallation(db: Db, options: UpdateInstallationOptions & { input: { upgradeTo: string } }): Promise<UpdateInstallationResult> {
  const { caller, agentId, installationId, input } = options;
  const outcome = await db.$transaction(async (tx) => {
    const inst = await lockInstallation(tx, { caller, agentId, installationId });
    const slug = inst.capability.slug;
    const from = inst.version;
    const target = await findInstallableVersion(tx, { caller, capability: inst.capability, version: input.upgradeTo });
    if (target.id === from.id) throw conflict(`${slug} is already on ${from.version}`);
    await assertDependentsAccept(tx, inst, target.version);

    const diff = permissionDiff(from.permissions as Permission[], target.permissions as Permission[]);
    const fromManifest = readInstalledManifest(from.manifest);
    const toManifest = readInstalledManifest(target.manifest);
    const carried = carryConfig(fromManifest.configuration, toManifest.configuration, configStateOf(inst));
    const summary = {
      permissionDiff: diff,
      newConfig: carried.newFields.map(describeConfigField),
      droppedConfig: union(carried.droppedConfigKeys, carried.droppedSecretKeys),
    };

    if (diff.added.length && input.grantedPermissions === undefined) {
      if (inst.pendingVersionId !== target.id) {
        await tx.installation.update({ where: { id: inst.id }, data: { pendingVersionId: target.id }, select: { id: true } });
        await appendInstallationEvent(tx, {
          caller,
          inst,
          type: "installation.upgrade_pending",
          data: { slug, from: from.version, to: target.version, added: diff.added, removed: diff.removed },
        });
      }
      return { status: "needs_consent" as const, ...summary, pendingVersion: { id: target.id, version: target.version }, newIds: [] as string[] };
    }

    const what = `${slug} ${target.version}`;
    const errors: FieldError[] = grantErrors(input.grantedPermissions ?? [], target.permissions, what);
    const granted = input.grantedPermissions
      ? [...new Set(input.grantedPermissions.filter((p) => target.permissions.includes(p)))]
      : inst.grantedPermissions.filter((p) => target.permissions.includes(p));
    const cfg = applyConfigChange(toManifest.configuration, carried, { config: input.config, secrets: input.secrets });
    errors.push(...cfg.errors);
    const deps = await planDependencies(tx, {
      caller,
      agentId,
      root: { installationId: inst.id, capability: inst.capability, version: target, manifest: toManifest },
      dependencyGrants: input.dependencyGrants ?? {},
      dependencyConfig: input.dependencyConfig ?? {},
    });
    errors.push(...deps.errors);
    if (errors.length) throw new AppError("validation_failed", `${slug} cannot be upgraded to ${target.version} as asked`, { errors });

    await tx.installation.update({
      where: { id: inst.id },
      data: { versionId: target.id, previousVersionId: from.id, pendingVersionId: null, grantedPermissions: granted, config: cfg.config },
      select: { id: true },
    });
    await saveInstallationSecrets(tx, { installationId: inst.id, set: cfg.secretsToSet, clear: union(carried.droppedSecretKeys, cfg.secretsToClear) });
    await appendInstallationEvent(tx, {
      caller,
      inst,
      type: "installation.upgraded",
      data: { slug, from: from.version, to: target.version, added: diff.added, removed: diff.removed, granted },
    });
    const configKeys = union(carried.droppedConfigKeys, cfg.changedConfigKeys);
    const secretKeys = union(carried.droppedSecretKeys, cfg.changedSecretKeys);
    if (configKeys.length || secretKeys.length) {
      await appendInstallationEvent(tx, { caller, inst, type: "installation.config_changed", data: { slug, configKeys, secretKeys }, secrets: Object.values(cfg.secretsToSet) });
    }
    await createPlannedInstallations(tx, { caller, agentId, installs: deps.installs });
    return { status: "upgraded" as const, ...summary, newIds: deps.installs.map((d) => d.installationId) };
  });
  const views = await loadInstallationViews(db, { caller, agentId, ids: [installationId, ...outcome.newIds] });
  const { newIds, ...rest } = outcome;
  return {
    ...rest,
    installation: views.find((v) => v.id === installationId)!,
    ...(newIds.length ? { installedDependencies: views.filter((v) => newIds.includes(v.id)) } : {}),
  };
}

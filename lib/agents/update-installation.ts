// PATCH of an installation. Upgrades, rollbacks and cancelling a pending upgrade go to
// their own use-cases; here: enable/disable, configuration and secrets (a secret can be
// replaced, or cleared with null), and consent (granted ⊆ the version's requested).
// These may be combined; each kind of change appends its own event, in one transaction,
// and a request that changes nothing writes nothing.
import type { Db } from "../db/prisma";
import { AppError, type FieldError } from "../errors";
import { saveInstallationSecrets } from "../secrets/save-installation-secrets";
import type { Caller } from "./agent-access";
import type { UpdateInstallationInput } from "./agent-schemas";
import { cancelInstallationUpgrade } from "./cancel-installation-upgrade";
import { grantErrors } from "./install-capability";
import { applyConfigChange } from "./installation-config";
import { loadInstallationView, type InstallationView } from "./installation-views";
import { readInstalledManifest, type ConfigFieldView } from "./installed-manifest";
import { appendInstallationEvent, configStateOf, lockInstallation } from "./lock-installation";
import { rollbackInstallation } from "./rollback-installation";
import { upgradeInstallation } from "./upgrade-installation";

export interface UpdateInstallationResult {
  status: "updated" | "unchanged" | "needs_consent" | "upgraded" | "rolled_back" | "upgrade_cancelled";
  installation: InstallationView;
  /** Upgrades and rollbacks: what the target version adds, drops and keeps (vs. the version left). */
  permissionDiff?: { added: string[]; removed: string[]; kept: string[] };
  /** Upgrades: fields of the new version to ask for (new, retyped, or required without a value). */
  newConfig?: ConfigFieldView[];
  /** Upgrades and rollbacks: configuration keys that do not exist in the target version (dropped on completion). */
  droppedConfig?: string[];
  /** needs_consent: the version waiting for consent. */
  pendingVersion?: { id: string; version: string };
  installedDependencies?: InstallationView[];
}

export interface UpdateInstallationOptions {
  caller: Caller;
  agentId: string;
  installationId: string;
  input: UpdateInstallationInput;
}

export async function updateInstallation(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult> {
  const { input } = options;
  if (input.upgradeTo !== undefined) return upgradeInstallation(db, { ...options, input: { ...input, upgradeTo: input.upgradeTo } });
  if (input.rollback) return rollbackInstallation(db, options);
  if (input.cancelUpgrade) return cancelInstallationUpgrade(db, options);
  return changeInstallation(db, options);
}

async function changeInstallation(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult> {
  const { caller, agentId, installationId, input } = options;
  const changed = await db.$transaction(async (tx) => {
    const inst = await lockInstallation(tx, { caller, agentId, installationId });
    const manifest = readInstalledManifest(inst.version.manifest);
    const requested = inst.version.permissions;
    const slug = inst.capability.slug;
    const errors: FieldError[] = [];
    if (input.grantedPermissions) errors.push(...grantErrors(input.grantedPermissions, requested, `${slug} ${inst.version.version}`));
    const cfg = input.config || input.secrets ? applyConfigChange(manifest.configuration, configStateOf(inst), { config: input.config, secrets: input.secrets }) : null;
    if (cfg) errors.push(...cfg.errors);
    if (errors.length) throw new AppError("validation_failed", `the change to ${slug} is not valid`, { errors });

    let count = 0;
    if (input.enabled !== undefined && input.enabled !== inst.enabled) {
      await tx.installation.update({ where: { id: inst.id }, data: { enabled: input.enabled }, select: { id: true } });
      await appendInstallationEvent(tx, { caller, inst, type: "installation.enabled_changed", data: { slug, enabled: input.enabled } });
      count++;
    }
    if (input.grantedPermissions) {
      const next = [...new Set(input.grantedPermissions)];
      const granted = next.filter((p) => !inst.grantedPermissions.includes(p));
      const revoked = inst.grantedPermissions.filter((p) => !next.includes(p));
      if (granted.length || revoked.length) {
        await tx.installation.update({ where: { id: inst.id }, data: { grantedPermissions: next }, select: { id: true } });
        await appendInstallationEvent(tx, { caller, inst, type: "installation.permissions_changed", data: { slug, granted, revoked } });
        count++;
      }
    }
    if (cfg && (cfg.changedConfigKeys.length || cfg.changedSecretKeys.length)) {
      if (cfg.changedConfigKeys.length) await tx.installation.update({ where: { id: inst.id }, data: { config: cfg.config }, select: { id: true } });
      await saveInstallationSecrets(tx, { installationId: inst.id, set: cfg.secretsToSet, clear: cfg.secretsToClear });
      await appendInstallationEvent(tx, {
        caller,
        inst,
        type: "installation.config_changed",
        data: { slug, configKeys: cfg.changedConfigKeys, secretKeys: cfg.changedSecretKeys },
        secrets: Object.values(cfg.secretsToSet),
      });
      count++;
    }
    return count > 0;
  });
  const installation = (await loadInstallationView(db, { caller, agentId, installationId }))!;
  return { status: changed ? "updated" : "unchanged", installation };
}

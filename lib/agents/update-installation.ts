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
import { allowedDomains, gateInstallation, installPolicyRequest, type PendingApprovalAnswer, type RequestAuth } from "./installation-policy";

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

/** A grant change the policy holds for a person: the other changes of the request were made. */
export interface PendingGrantChange {
  status: "pending_approval";
  installation: InstallationView;
  approval: PendingApprovalAnswer;
}

export interface UpdateInstallationOptions {
  caller: Caller;
  agentId: string;
  installationId: string;
  input: UpdateInstallationInput;
  /** How the caller authenticated (the policy gate's request names the token). */
  auth?: RequestAuth;
}

export async function updateInstallation(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult | PendingGrantChange> {
  const { input } = options;
  if (input.upgradeTo !== undefined) return upgradeInstallation(db, { ...options, input: { ...input, upgradeTo: input.upgradeTo } });
  if (input.rollback) return rollbackInstallation(db, options);
  if (input.cancelUpgrade) return cancelInstallationUpgrade(db, options);
  return changeInstallation(db, options);
}

async function changeInstallation(db: Db, options: UpdateInstallationOptions): Promise<UpdateInstallationResult | PendingGrantChange> {
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
    let approval: PendingApprovalAnswer | null = null;
    let denial: AppError | null = null;
    if (input.grantedPermissions) {
      const next = [...new Set(input.grantedPermissions)];
      const granted = next.filter((p) => !inst.grantedPermissions.includes(p));
      const revoked = inst.grantedPermissions.filter((p) => !next.includes(p));
      // Granting more passes the gate like an upgrade that asks more (taking away never does).
      const gate = granted.length
        ? await gateInstallation(tx, {
            kind: "upgrade",
            request: installPolicyRequest({ what: "upgrade", caller, agentId, auth: options.auth, slug, version: inst.version.version, items: [{ manifest: inst.version.manifest, granted: next }] }),
            caller,
            auth: options.auth,
            agentId,
            capabilityId: inst.capability.id,
            display: {
              permissions: next,
              domains: allowedDomains(inst.version.manifest),
              permissionDiff: { added: granted, removed: revoked, kept: next.filter((p) => inst.grantedPermissions.includes(p)) },
              fromVersion: inst.version.version,
              details: { change: "permissions", installationId: inst.id },
            },
            payload: { grantChange: { installationId: inst.id, versionId: inst.version.id, grantedPermissions: next } },
            secrets: [],
          })
        : ({ decision: "allow" } as const);
      if (gate.decision === "deny") denial = gate.error;
      else if (gate.decision === "require_approval") approval = gate.answer;
      else if (granted.length || revoked.length) {
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
    // A denied grant change still commits its policy.evaluated event (and nothing else).
    if (denial) return { count: 0, approval: null, denial };
    return { count, approval, denial: null };
  });
  if (changed.denial) throw changed.denial;
  const installation = (await loadInstallationView(db, { caller, agentId, installationId }))!;
  if (changed.approval) return { status: "pending_approval", installation, approval: changed.approval };
  return { status: changed.count > 0 ? "updated" : "unchanged", installation };
}

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
// Policy: an upgrade that would complete passes the gate "by the permissions asked" — the
// grants after the upgrade (new code runs with them), with those of dependencies installed
// along — after every validation (422 first). allow → upgraded; deny → 403 policy_denied
// with policy.evaluated committed; require_approval → 202 and nothing moves until
// lib/policy/approvals/deferred-upgrade.ts redoes it through upgradeInstallationInTx.
// Recording a needs_consent grants nothing, so it is not gated.
// On completion: configuration that still fits the target's schema is kept, what no
// longer exists is dropped, new values come from `config`/`secrets` (422 when a required
// one is missing), new dependencies are installed along, previousVersionId is set for a
// rollback, and installation.upgraded records the diff, all in one transaction.
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict, type FieldError } from "../errors";
import { permissionDiff, type Permission } from "../registry/permissions";
import { saveInstallationSecrets } from "../secrets/save-installation-secrets";
import type { UpdateInstallationInput } from "./agent-schemas";
import { createPlannedInstallations } from "./create-planned-installations";
import { dependentsBrokenBy, findDependents } from "./find-dependents";
import { findInstallableVersion } from "./find-versions";
import { assertWithinApproval, grantErrors } from "./install-capability";
import { applyConfigChange, carryConfig } from "./installation-config";
import { gateInstallation, installPolicyRequest, type PendingApprovalAnswer, type RequestAuth } from "./installation-policy";
import { loadInstallationViews } from "./installation-views";
import { describeConfigField, readInstalledManifest } from "./installed-manifest";
import { appendInstallationEvent, configStateOf, lockInstallation, type LockedInstallation } from "./lock-installation";
import { planDependencies } from "./plan-dependencies";
import { newSealId, sealSecrets, secretValues, type SealedSecrets } from "./sealed-secrets";
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
const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {});

export type UpgradeInput = Pick<UpdateInstallationInput, "grantedPermissions" | "config" | "secrets" | "dependencyGrants" | "dependencyConfig"> & { upgradeTo: string };

export interface UpgradeInstallationOptions extends Omit<UpdateInstallationOptions, "input"> {
  input: UpgradeInput;
  auth?: RequestAuth;
}

export interface UpgradeInTxOptions extends UpgradeInstallationOptions {
  /** Set by the deferred upgrade: what the approval covers. The gate is not asked again (the decision re-checked it). */
  approved?: { permissions: readonly string[]; fromVersionId: string };
}

/** What an upgrade approval stores to redo it exactly (secret values encrypted). */
export interface UpgradePayload {
  sealId: string;
  installationId: string;
  fromVersionId: string;
  fromVersion: string;
  targetVersionId: string;
  /** The exact version resolved when asked ("latest" is not re-resolved on approval). */
  targetVersion: string;
  /** null: keep the granted permissions the target still requests. */
  grantedPermissions: string[] | null;
  config: UpgradeInput["config"] | null;
  secrets: SealedSecrets;
  dependencyGrants: UpgradeInput["dependencyGrants"] | null;
  dependencyConfig: Record<string, { config: NonNullable<UpgradeInput["config"]> }>;
  dependencySecrets: Record<string, SealedSecrets>;
  /** Everything the upgrade grants, as the gate saw it: the approval covers no more. */
  permissions: string[];
  tokenId: string | null;
}

interface UpgradeSummary {
  permissionDiff: { added: string[]; removed: string[]; kept: string[] };
  newConfig: ReturnType<typeof describeConfigField>[];
  droppedConfig: string[];
}

/** The 202 of an upgrade that waits for approval: what the approval shows about the grants, too. */
export type UpgradePendingAnswer = PendingApprovalAnswer & {
  fromVersion: string;
  toVersion: string;
  /** Granted after vs granted now. */
  permissionDiff: { added: string[]; removed: string[]; kept: string[] };
};

export type UpgradeInTxOutcome =
  | ({ kind: "needs_consent"; pendingVersion: { id: string; version: string } } & UpgradeSummary)
  | ({ kind: "upgraded"; newIds: string[] } & UpgradeSummary)
  | { kind: "denied"; error: AppError }
  | { kind: "pending"; answer: UpgradePendingAnswer };

export type UpgradeResult = UpdateInstallationResult | { status: "pending_approval"; approval: UpgradePendingAnswer };

/** The upgrade inside the caller's transaction (the API's, or the deciding one of an approval). */
export async function upgradeInstallationInTx(tx: Prisma.TransactionClient, options: UpgradeInTxOptions): Promise<UpgradeInTxOutcome> {
  const { caller, agentId, installationId, input } = options;
  const inst = await lockInstallation(tx, { caller, agentId, installationId });
  const slug = inst.capability.slug;
  const from = inst.version;
  if (options.approved && from.id !== options.approved.fromVersionId) {
    throw conflict(`${slug} moved to ${from.version} after the request: the approval was for an upgrade from another version; ask again`);
  }
  const target = await findInstallableVersion(tx, { caller, capability: inst.capability, version: input.upgradeTo });
  if (target.id === from.id) throw conflict(`${slug} is already on ${from.version}`);
  await assertDependentsAccept(tx, inst, target.version);

  const diff = permissionDiff(from.permissions as Permission[], target.permissions as Permission[]);
  const fromManifest = readInstalledManifest(from.manifest);
  const toManifest = readInstalledManifest(target.manifest);
  const carried = carryConfig(fromManifest.configuration, toManifest.configuration, configStateOf(inst));
  const summary: UpgradeSummary = {
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
    return { kind: "needs_consent", ...summary, pendingVersion: { id: target.id, version: target.version } };
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

  const request = installPolicyRequest({
    what: "upgrade",
    caller,
    agentId,
    auth: options.auth,
    slug,
    version: target.version,
    items: [{ manifest: target.manifest, granted }, ...deps.installs.map((d) => ({ manifest: d.version.manifest, granted: d.granted }))],
  });
  const permissions = request.capability!.permissions;
  if (options.approved) {
    assertWithinApproval(permissions, options.approved.permissions);
  } else {
    const grantDiff = {
      added: granted.filter((p) => !inst.grantedPermissions.includes(p)),
      removed: inst.grantedPermissions.filter((p) => !granted.includes(p)),
      kept: granted.filter((p) => inst.grantedPermissions.includes(p)),
    };
    const depConfig = input.dependencyConfig ?? {};
    const sealId = newSealId();
    const payload: UpgradePayload = {
      sealId,
      installationId: inst.id,
      fromVersionId: from.id,
      fromVersion: from.version,
      targetVersionId: target.id,
      targetVersion: target.version,
      grantedPermissions: input.grantedPermissions ? granted : null,
      config: input.config ?? null,
      secrets: sealSecrets(sealId, "root", input.secrets ?? undefined),
      dependencyGrants: input.dependencyGrants ?? null,
      dependencyConfig: Object.fromEntries(Object.entries(depConfig).map(([s, c]) => [s, { config: c.config }])),
      dependencySecrets: Object.fromEntries(Object.entries(depConfig).map(([s, c]) => [s, sealSecrets(sealId, `dep:${s}`, c.secrets)])),
      permissions,
      tokenId: options.auth?.tokenId ?? null,
    };
    const gate = await gateInstallation(tx, {
      kind: "upgrade",
      request,
      caller,
      auth: options.auth,
      agentId,
      capabilityId: inst.capability.id,
      secrets: secretValues(input.secrets ?? undefined, ...Object.values(depConfig).map((c) => c.secrets)),
      payload: payload as unknown as Record<string, unknown>,
      display: {
        permissions,
        domains: request.capability!.domains,
        permissionDiff: grantDiff,
        fromVersion: from.version,
        details: {
          installationId: inst.id,
          version: target.version,
          requestedPermissionDiff: diff,
          configKeys: keys(input.config ?? undefined),
          secretKeys: keys(input.secrets ?? undefined),
          newConfig: carried.newFields.map((f) => f.key),
          droppedConfig: summary.droppedConfig,
          dependencies: deps.installs.map((d) => ({
            slug: d.capability.slug,
            version: d.version.version,
            grantedPermissions: d.granted,
            configKeys: keys(d.config),
            secretKeys: keys(d.secrets),
          })),
        },
      },
    });
    if (gate.decision === "deny") return { kind: "denied", error: gate.error };
    if (gate.decision === "require_approval") {
      return { kind: "pending", answer: { ...gate.answer, fromVersion: from.version, toVersion: target.version, permissionDiff: grantDiff } };
    }
  }

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
  return { kind: "upgraded", ...summary, newIds: deps.installs.map((d) => d.installationId) };
}

/** The gated upgrade as the API answers it: the upgrade, needs_consent, or a pending approval (202). */
export async function upgradeInstallationOrRequestApproval(db: Db, options: UpgradeInstallationOptions): Promise<UpgradeResult> {
  const { caller, agentId, installationId } = options;
  // A deny commits its policy.evaluated event with this transaction, then answers 403.
  const outcome = await db.$transaction((tx) => upgradeInstallationInTx(tx, options));
  if (outcome.kind === "denied") throw outcome.error;
  if (outcome.kind === "pending") return { status: "pending_approval", approval: outcome.answer };
  const newIds = outcome.kind === "upgraded" ? outcome.newIds : [];
  const views = await loadInstallationViews(db, { caller, agentId, ids: [installationId, ...newIds] });
  const installation = views.find((v) => v.id === installationId)!;
  if (outcome.kind === "needs_consent") {
    const { kind: _kind, ...rest } = outcome;
    return { status: "needs_consent", ...rest, installation };
  }
  const { kind: _kind, newIds: _newIds, ...rest } = outcome;
  return {
    status: "upgraded",
    ...rest,
    installation,
    ...(newIds.length ? { installedDependencies: views.filter((v) => newIds.includes(v.id)) } : {}),
  };
}

/**
 * For updateInstallation (a PATCH with upgradeTo), whose answer has no room for a pending
 * approval: the route sends upgrades to upgradeInstallationOrRequestApproval instead. A
 * caller that still lands here gets a 409 naming the approval (created and pending), never
 * an upgrade that skipped the gate.
 */
export async function upgradeInstallation(db: Db, options: UpgradeInstallationOptions): Promise<UpdateInstallationResult> {
  const r = await upgradeInstallationOrRequestApproval(db, options);
  if (r.status === "pending_approval") throw conflict(`the upgrade needs approval ${r.approval.approvalId}: it runs once approved (${r.approval.links.self})`);
  return r;
}

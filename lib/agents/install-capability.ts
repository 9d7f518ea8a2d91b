// Installs a capability version on an agent: consent (granted ⊆ requested), configuration
// checked against the manifest (secrets apart, encrypted), dependencies resolved and
// installed along (see plan-dependencies.ts), all in one transaction with one
// installation.created event per installation. Every problem is reported at once (422).
// A dry run answers with the plan and its problems and writes nothing.
import type { Db } from "../db/prisma";
import { AppError, conflict, notFound, type FieldError } from "../errors";
import { newId } from "../ids";
import { lockAgentForCaller, type Caller } from "./agent-access";
import type { InstallCapabilityInput } from "./agent-schemas";
import { createPlannedInstallations } from "./create-planned-installations";
import { findInstallableVersion, findVisibleCapability } from "./find-versions";
import { applyConfigChange, EMPTY_CONFIG } from "./installation-config";
import { loadInstallationViews, type InstallationView } from "./installation-views";
import { readInstalledManifest } from "./installed-manifest";
import { planDependencies, planItem, type PlanItem, type PlannedInstall } from "./plan-dependencies";

export type InstallResult =
  | { dryRun: true; valid: boolean; errors: FieldError[]; plan: PlanItem[] }
  | { dryRun: false; installation: InstallationView; installedDependencies: InstallationView[] };

/** Grants that the version does not request, each at its path. */
export function grantErrors(granted: readonly string[], requested: readonly string[], what: string, path = "grantedPermissions"): FieldError[] {
  return granted.flatMap((p, i) => (requested.includes(p) ? [] : [{ path: `${path}[${i}]`, message: `${p} is not requested by ${what}` }]));
}

export async function installCapability(db: Db, options: { caller: Caller; agentId: string; input: InstallCapabilityInput }): Promise<InstallResult> {
  const { caller, agentId, input } = options;
  const outcome = await db.$transaction(async (tx) => {
    await lockAgentForCaller(tx, { caller, agentId });
    const capability = await findVisibleCapability(tx, { caller, slug: input.capability });
    if (!capability) throw notFound(`capability ${input.capability}`);
    const already = await tx.installation.findUnique({ where: { agentId_capabilityId: { agentId, capabilityId: capability.id } }, select: { id: true, version: { select: { version: true } } } });
    if (already) throw conflict(`${capability.slug} is already installed on this agent (${already.version.version}, installation ${already.id}): upgrade or uninstall it instead`);
    const version = await findInstallableVersion(tx, { caller, capability, version: input.version });
    const manifest = readInstalledManifest(version.manifest);
    const what = `${capability.slug} ${version.version}`;

    const errors: FieldError[] = grantErrors(input.grantedPermissions, version.permissions, what);
    const granted = [...new Set(input.grantedPermissions.filter((p) => version.permissions.includes(p)))];
    const cfg = applyConfigChange(manifest.configuration, EMPTY_CONFIG, { config: input.config, secrets: input.secrets });
    errors.push(...cfg.errors);
    const root: PlannedInstall = { installationId: newId("ins"), capability, version, manifest, requiredBy: null, granted, config: cfg.config, secrets: cfg.secretsToSet };
    const deps = await planDependencies(tx, { caller, agentId, root, dependencyGrants: input.dependencyGrants, dependencyConfig: input.dependencyConfig });
    errors.push(...deps.errors);

    if (input.dryRun) {
      const plan = [planItem(root, { action: "install", requiredBy: null, range: null, grantedPermissions: granted, needsConsent: false }), ...deps.items];
      return { dryRun: true as const, valid: errors.length === 0, errors, plan };
    }
    if (errors.length) throw new AppError("validation_failed", `${what} cannot be installed as asked`, { errors });
    await createPlannedInstallations(tx, { caller, agentId, installs: [root, ...deps.installs] });
    return { dryRun: false as const, ids: [root.installationId, ...deps.installs.map((d) => d.installationId)] };
  });
  if (outcome.dryRun) return outcome;
  const views = await loadInstallationViews(db, { caller, agentId, ids: outcome.ids });
  const byId = new Map(views.map((v) => [v.id, v]));
  return { dryRun: false, installation: byId.get(outcome.ids[0]!)!, installedDependencies: outcome.ids.slice(1).map((id) => byId.get(id)!) };
}

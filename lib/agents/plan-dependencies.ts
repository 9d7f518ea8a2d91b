// Resolves the dependencies of a version about to be installed (or upgraded to) on an
// agent, transitively. Each required dependency `{slug, range}` is
//  - reused when the agent already has it at a version satisfying the range;
//  - an error when the agent has it at a version that does not (upgrade it first);
//  - otherwise installed along, at the highest visible non-yanked version satisfying the
//    range, with consent decided by this rule: the permissions listed for it in
//    `dependencyGrants[slug]` (a subset of what it requests) when given; else everything
//    it requests when that version's risk is low; else the install stops with a 422 that
//    names the dependency, what it requests and where to consent. Its configuration comes
//    from `dependencyConfig[slug]` (required fields missing → 422 with their paths).
// Optional dependencies are never installed automatically. Nothing is written here.
import semver from "semver";
import type { Prisma } from "../db/prisma";
import type { FieldError } from "../errors";
import { newId } from "../ids";
import type { Caller } from "./agent-access";
import { describePermissions } from "./action-permissions";
import { findHighestSatisfying, findVisibleCapability, type CapabilityRow, type VersionRow } from "./find-versions";
import { applyConfigChange, EMPTY_CONFIG, type ConfigChange, type ConfigValues } from "./installation-config";
import { describeConfigField, readInstalledManifest, type ConfigFieldView, type InstalledManifest } from "./installed-manifest";

const MAX_DEPENDENCY_INSTALLS = 25;
const capabilitySelectForReuse = { slug: true, name: true, icon: true, risk: true } as const;

export interface PlannedInstall {
  installationId: string;
  capability: CapabilityRow;
  version: VersionRow;
  manifest: InstalledManifest;
  requiredBy: { installationId: string; slug: string } | null;
  granted: string[];
  config: ConfigValues;
  secrets: Record<string, string>;
}

/** One line of an install plan, as a dry run shows it. */
export interface PlanItem {
  slug: string;
  name: string;
  icon: string;
  version: string;
  action: "install" | "reuse";
  /** Slug of the capability that needs this one (null for the one asked for). */
  requiredBy: string | null;
  range: string | null;
  risk: string;
  requestedPermissions: { name: string; label: string; explanation: string; risk: string }[];
  /** What would be granted (null for a reused installation, whose consent stands). */
  grantedPermissions: string[] | null;
  /** A dependency whose consent must be given in dependencyGrants before it can be installed. */
  needsConsent: boolean;
  configuration: ConfigFieldView[];
}

export interface PlanDependenciesOptions {
  caller: Caller;
  agentId: string;
  root: { installationId: string; capability: CapabilityRow; version: VersionRow; manifest: InstalledManifest };
  dependencyGrants: Record<string, string[]>;
  dependencyConfig: Record<string, ConfigChange>;
}

export function planItem(p: { capability: CapabilityRow; version: VersionRow; manifest: InstalledManifest }, extra: Pick<PlanItem, "action" | "requiredBy" | "range" | "grantedPermissions" | "needsConsent">): PlanItem {
  return {
    slug: p.capability.slug,
    name: p.capability.name,
    icon: p.capability.icon,
    version: p.version.version,
    risk: p.version.risk,
    requestedPermissions: describePermissions(p.version.permissions),
    configuration: p.manifest.configuration.map(describeConfigField),
    ...extra,
  };
}

export async function planDependencies(tx: Prisma.TransactionClient, options: PlanDependenciesOptions): Promise<{ installs: PlannedInstall[]; items: PlanItem[]; errors: FieldError[] }> {
  const { caller, agentId, root } = options;
  const existingRows = await tx.installation.findMany({
    where: { agentId, id: { not: root.installationId } },
    select: { id: true, capability: { select: capabilitySelectForReuse }, version: { select: { version: true } } },
  });
  const existing = new Map(existingRows.map((r) => [r.capability.slug, r]));
  const planned = new Map<string, { version: string }>([[root.capability.slug, { version: root.version.version }]]);
  const installs: PlannedInstall[] = [];
  const items: PlanItem[] = [];
  const errors: FieldError[] = [];
  const reused = new Set<string>();

  type Work = { requirer: { installationId: string; slug: string }; manifest: InstalledManifest; path: string };
  const queue: Work[] = [{ requirer: { installationId: root.installationId, slug: root.capability.slug }, manifest: root.manifest, path: "dependencies" }];

  while (queue.length) {
    const { requirer, manifest, path: base } = queue.shift()!;
    for (const [j, dep] of manifest.dependencies.entries()) {
      if (dep.optional) continue;
      const path = `${base}[${j}]`;
      const need = `needs ${dep.slug} ${dep.version}`;
      const inPlan = planned.get(dep.slug);
      if (inPlan) {
        if (!semver.satisfies(inPlan.version, dep.version)) errors.push({ path, message: `${need}, but this install puts ${dep.slug} ${inPlan.version} on the agent` });
        continue;
      }
      const have = existing.get(dep.slug);
      if (have) {
        if (!semver.satisfies(have.version.version, dep.version)) {
          errors.push({ path, message: `${need}, but ${have.version.version} is installed on this agent: upgrade it first` });
        } else if (!reused.has(dep.slug)) {
          reused.add(dep.slug);
          items.push({
            slug: dep.slug,
            name: have.capability.name,
            icon: have.capability.icon,
            version: have.version.version,
            action: "reuse",
            requiredBy: requirer.slug,
            range: dep.version,
            risk: have.capability.risk,
            requestedPermissions: [],
            grantedPermissions: null,
            needsConsent: false,
            configuration: [],
          });
        }
        continue;
      }
      const capability = await findVisibleCapability(tx, { caller, slug: dep.slug });
      const version = capability ? await findHighestSatisfying(tx, { caller, capabilityId: capability.id, range: dep.version }) : null;
      if (!capability || !version) {
        errors.push({ path, message: `${need}: no published version matches` });
        continue;
      }
      if (installs.length >= MAX_DEPENDENCY_INSTALLS) {
        errors.push({ path, message: `${need}: more than ${MAX_DEPENDENCY_INSTALLS} dependencies would be installed; install some of them first` });
        continue;
      }
      const depManifest = readInstalledManifest(version.manifest);
      const requested = version.permissions;
      let granted: string[] = [];
      let needsConsent = false;
      const listed = options.dependencyGrants[dep.slug];
      if (listed) {
        listed.forEach((p, k) => {
          if (!requested.includes(p)) errors.push({ path: `dependencyGrants.${dep.slug}[${k}]`, message: `${p} is not requested by ${dep.slug} ${version.version}` });
        });
        granted = [...new Set(listed.filter((p) => requested.includes(p)))];
      } else if (version.risk === "low") {
        granted = [...requested];
      } else {
        needsConsent = true;
        const what = describePermissions(requested)
          .map((p) => `${p.name} (${p.risk})`)
          .join(", ");
        errors.push({
          path: `dependencyGrants.${dep.slug}`,
          message: `${dep.slug} ${version.version} is installed as a dependency of ${requirer.slug} and requests ${what} (${version.risk} risk): list the permissions you grant it in dependencyGrants.${dep.slug}`,
        });
      }
      const cfg = applyConfigChange(depManifest.configuration, EMPTY_CONFIG, options.dependencyConfig[dep.slug] ?? {}, `dependencyConfig.${dep.slug}.`);
      errors.push(...cfg.errors);
      const installationId = newId("ins");
      planned.set(dep.slug, { version: version.version });
      const p: PlannedInstall = { installationId, capability, version, manifest: depManifest, requiredBy: requirer, granted, config: cfg.config, secrets: cfg.secretsToSet };
      installs.push(p);
      items.push(planItem(p, { action: "install", requiredBy: requirer.slug, range: dep.version, grantedPermissions: needsConsent ? null : granted, needsConsent }));
      queue.push({ requirer: { installationId, slug: dep.slug }, manifest: depManifest, path: `${path}.dependencies` });
    }
  }
  return { installs, items, errors };
}


// The read shape of installations (agent page, installation list, every write's answer):
// capability and version, status flags (enabled, yanked, deprecated, needsConsent),
// requested vs granted permissions with explanations, actions with the ones that need a
// withheld permission disabled, non-secret config values, and for secrets only whether
// each is set. A secret value is never read here: only the key names of stored secrets.
import semver from "semver";
import type { Db, Prisma } from "../db/prisma";
import { permissionDiff, type Permission } from "../registry/permissions";
import type { Caller } from "./agent-access";
import { describeActions, describePermissions, type ActionView } from "./action-permissions";
import { findDependentsBySlug, type Dependent } from "./find-dependents";
import { findLatestVersions, versionSelect } from "./find-versions";
import { describeConfigField, readInstalledManifest, type ConfigFieldView } from "./installed-manifest";

export interface InstallationView {
  id: string;
  agentId: string;
  capability: { id: string; slug: string; name: string; icon: string; type: string };
  version: { id: string; version: string; status: "published" | "deprecated" | "yanked"; risk: string; publishedAt: string };
  enabled: boolean;
  /** The installed version was yanked: it keeps working, but cannot be installed anew. */
  yanked: boolean;
  deprecated: boolean;
  /** An upgrade waits for consent to new permissions (see pendingUpgrade). */
  needsConsent: boolean;
  pendingUpgrade: { versionId: string; version: string; permissionDiff: { added: string[]; removed: string[]; kept: string[] } } | null;
  /** Where a rollback goes; null when there is nothing to roll back to. */
  previousVersion: { id: string; version: string; yanked: boolean } | null;
  latestVersion: string | null;
  upgradeAvailable: boolean;
  requiredBy: { installationId: string; slug: string } | null;
  /** Installations on this agent whose current version depends on this one. */
  dependents: Dependent[];
  requestedPermissions: string[];
  grantedPermissions: string[];
  withheldPermissions: string[];
  permissions: { name: string; label: string; explanation: string; risk: string; granted: boolean }[];
  actions: ActionView[];
  configuration: ConfigFieldView[];
  config: Record<string, unknown>;
  secrets: { key: string; set: boolean }[];
  installedById: string;
  createdAt: string;
  updatedAt: string;
}

const installationSelect = {
  id: true,
  agentId: true,
  enabled: true,
  grantedPermissions: true,
  config: true,
  pendingVersionId: true,
  previousVersionId: true,
  requiredById: true,
  installedById: true,
  createdAt: true,
  updatedAt: true,
  capability: { select: { id: true, slug: true, name: true, icon: true, type: true } },
  version: { select: versionSelect },
  secrets: { select: { key: true } },
} as const;

export interface LoadInstallationViewsOptions {
  caller: Caller;
  agentId: string;
  ids?: string[];
  /** Installation id to continue after (ids sort by creation). */
  after?: string;
  limit?: number;
}

export async function loadInstallationViews(db: Db | Prisma.TransactionClient, options: LoadInstallationViewsOptions): Promise<InstallationView[]> {
  const rows = await db.installation.findMany({
    where: { agentId: options.agentId, AND: [options.ids ? { id: { in: options.ids } } : {}, options.after ? { id: { gt: options.after } } : {}] },
    select: installationSelect,
    orderBy: { id: "asc" },
    take: options.limit ?? 500,
  });
  if (!rows.length) return [];
  const otherIds = [...new Set(rows.flatMap((r) => [r.pendingVersionId, r.previousVersionId]).filter((x): x is string => !!x))];
  const requiredByIds = [...new Set(rows.map((r) => r.requiredById).filter((x): x is string => !!x))];
  const [others, requirers, dependents, latest] = await Promise.all([
    db.capabilityVersion.findMany({ where: { id: { in: otherIds } }, select: { id: true, version: true, status: true, permissions: true } }),
    db.installation.findMany({ where: { id: { in: requiredByIds }, agentId: options.agentId }, select: { id: true, capability: { select: { slug: true } } } }),
    findDependentsBySlug(db, { agentId: options.agentId }),
    findLatestVersions(db, { caller: options.caller, capabilityIds: [...new Set(rows.map((r) => r.capability.id))] }),
  ]);
  const versionById = new Map(others.map((v) => [v.id, v]));
  const slugByInstallation = new Map(requirers.map((r) => [r.id, r.capability.slug]));

  return rows.map((r): InstallationView => {
    const manifest = readInstalledManifest(r.version.manifest);
    const requested = r.version.permissions;
    const granted = r.grantedPermissions;
    const pending = r.pendingVersionId ? versionById.get(r.pendingVersionId) : undefined;
    const previous = r.previousVersionId ? versionById.get(r.previousVersionId) : undefined;
    const storedSecrets = new Set(r.secrets.map((s) => s.key));
    const config = (r.config ?? {}) as Record<string, unknown>;
    const secretFields = manifest.configuration.filter((f) => f.type === "secret");
    const latestVersion = latest.get(r.capability.id) ?? null;
    const requiredBySlug = r.requiredById ? slugByInstallation.get(r.requiredById) : undefined;
    return {
      id: r.id,
      agentId: r.agentId,
      capability: r.capability,
      version: { id: r.version.id, version: r.version.version, status: r.version.status, risk: r.version.risk, publishedAt: r.version.publishedAt.toISOString() },
      enabled: r.enabled,
      yanked: r.version.status === "yanked",
      deprecated: r.version.status === "deprecated",
      needsConsent: !!pending,
      pendingUpgrade: pending
        ? { versionId: pending.id, version: pending.version, permissionDiff: permissionDiff(requested as Permission[], pending.permissions as Permission[]) }
        : null,
      previousVersion: previous ? { id: previous.id, version: previous.version, yanked: previous.status === "yanked" } : null,
      latestVersion,
      upgradeAvailable: !!latestVersion && semver.gt(latestVersion, r.version.version),
      requiredBy: r.requiredById && requiredBySlug ? { installationId: r.requiredById, slug: requiredBySlug } : null,
      dependents: dependents.get(r.capability.slug) ?? [],
      requestedPermissions: requested,
      grantedPermissions: granted,
      withheldPermissions: requested.filter((p) => !granted.includes(p)),
      permissions: describePermissions(requested).map((p) => ({ ...p, granted: granted.includes(p.name) })),
      actions: describeActions(manifest, requested, granted),
      configuration: manifest.configuration.map(describeConfigField),
      // Only keys the schema declares as non-secret, so nothing secret-typed can surface.
      config: Object.fromEntries(Object.entries(config).filter(([k]) => manifest.configuration.some((f) => f.key === k && f.type !== "secret"))),
      secrets: secretFields.map((f) => ({ key: f.key, set: storedSecrets.has(f.key) })),
      installedById: r.installedById,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function loadInstallationView(db: Db | Prisma.TransactionClient, options: { caller: Caller; agentId: string; installationId: string }): Promise<InstallationView | null> {
  const [view] = await loadInstallationViews(db, { caller: options.caller, agentId: options.agentId, ids: [options.installationId] });
  return view ?? null;
}

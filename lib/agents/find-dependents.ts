// Which installations on an agent depend on a capability, read from the manifests of the
// versions they run now (not from requiredById, which only says why something was
// installed). Used to refuse an uninstall, or an upgrade or rollback that would leave a
// dependent's version range unsatisfied.
import semver from "semver";
import type { Db, Prisma } from "../db/prisma";

export interface Dependent {
  installationId: string;
  slug: string;
  name: string;
  range: string;
  optional: boolean;
}

interface Row {
  id: string;
  slug: string;
  name: string;
  deps: unknown;
}

export async function findDependents(db: Db | Prisma.TransactionClient, options: { agentId: string; slug: string; excludeInstallationId?: string }): Promise<Dependent[]> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT i.id, c.slug, c.name, v.manifest -> 'dependencies' AS deps
    FROM installations i
    JOIN capabilities c ON c.id = i.capability_id
    JOIN capability_versions v ON v.id = i.version_id
    WHERE i.agent_id = ${options.agentId}
      AND i.id <> ${options.excludeInstallationId ?? ""}
      AND jsonb_path_exists(v.manifest, '$.dependencies[*] ? (@.slug == $slug)', jsonb_build_object('slug', ${options.slug}::text))
    ORDER BY i.created_at, i.id`;
  const out: Dependent[] = [];
  for (const r of rows) {
    for (const d of Array.isArray(r.deps) ? (r.deps as { slug?: unknown; version?: unknown; optional?: unknown }[]) : []) {
      if (d?.slug !== options.slug) continue;
      out.push({ installationId: r.id, slug: r.slug, name: r.name, range: typeof d.version === "string" ? d.version : "*", optional: d.optional === true });
    }
  }
  return out;
}

/** Required (non-optional) dependents whose range `version` does not satisfy. */
export function dependentsBrokenBy(dependents: readonly Dependent[], version: string): Dependent[] {
  return dependents.filter((d) => !d.optional && !semver.satisfies(version, d.range));
}

/** Every dependency edge on an agent: slug depended on → its dependents. */
export async function findDependentsBySlug(db: Db | Prisma.TransactionClient, options: { agentId: string }): Promise<Map<string, Dependent[]>> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT i.id, c.slug, c.name, v.manifest -> 'dependencies' AS deps
    FROM installations i
    JOIN capabilities c ON c.id = i.capability_id
    JOIN capability_versions v ON v.id = i.version_id
    WHERE i.agent_id = ${options.agentId} AND jsonb_typeof(v.manifest -> 'dependencies') = 'array'
    ORDER BY i.created_at, i.id`;
  const out = new Map<string, Dependent[]>();
  for (const r of rows) {
    for (const d of r.deps as { slug?: unknown; version?: unknown; optional?: unknown }[]) {
      if (typeof d?.slug !== "string") continue;
      const list = out.get(d.slug) ?? [];
      list.push({ installationId: r.id, slug: r.slug, name: r.name, range: typeof d.version === "string" ? d.version : "*", optional: d.optional === true });
      out.set(d.slug, list);
    }
  }
  return out;
}

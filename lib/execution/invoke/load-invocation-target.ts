// What an invocation needs to know before it can be queued, in one round trip: the agent's
// owner (for the access check), and the agent's installation of the capability with its
// grants, enabled flag and version, and the policy head the gate checks against. The version's manifest is immutable once published, so
// it is cached in process by version id (only a cache: a miss reads it again).
import type { Db } from "../../db/prisma";
import { readInstalledManifest, type InstalledManifest } from "../../agents/installed-manifest";
import type { Manifest } from "../../registry/manifest-schema";
import { POLICY_HEAD_COLUMNS, type PolicyHead } from "../../policy/load-policy";

export interface InvocationTarget {
  agentId: string;
  /** What the policy gate needs to know is current (read in the same query). */
  policyHead: PolicyHead;
  ownerId: string;
  installation: {
    id: string;
    capabilityId: string;
    versionId: string;
    version: string;
    grantedPermissions: string[];
    /** What the version requests. */
    requestedPermissions: string[];
    enabled: boolean;
  } | null;
}

interface Row extends PolicyHead {
  owner_id: string;
  installation_id: string | null;
  capability_id: string | null;
  version_id: string | null;
  version: string | null;
  granted_permissions: string[] | null;
  permissions: string[] | null;
  enabled: boolean | null;
}

/** Null when the agent does not exist. */
export async function loadInvocationTarget(db: Db, o: { agentId: string; slug: string }): Promise<InvocationTarget | null> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT a.owner_id, i.id AS installation_id, i.capability_id, i.version_id, v.version, i.granted_permissions, v.permissions, i.enabled,
       ${POLICY_HEAD_COLUMNS}
     FROM agents a
     LEFT JOIN capabilities c ON c.slug = $1
     LEFT JOIN installations i ON i.agent_id = a.id AND i.capability_id = c.id
     LEFT JOIN capability_versions v ON v.id = i.version_id
     WHERE a.id = $2`,
    o.slug,
    o.agentId,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    agentId: o.agentId,
    policyHead: { policy_version: r.policy_version, policy_kill_switch: r.policy_kill_switch, policy_members_may: r.policy_members_may },
    ownerId: r.owner_id,
    installation: r.installation_id
      ? {
          id: r.installation_id,
          capabilityId: r.capability_id!,
          versionId: r.version_id!,
          version: r.version ?? "",
          grantedPermissions: r.granted_permissions ?? [],
          requestedPermissions: r.permissions ?? [],
          enabled: r.enabled ?? false,
        }
      : null,
  };
}

export interface VersionManifest {
  manifest: Manifest;
  installed: InstalledManifest;
  /** Keys of the configuration fields of type secret. */
  secretKeys: string[];
}

const MAX_CACHED = 256;
const cache = new Map<string, VersionManifest>();

export async function loadVersionManifest(db: Db, versionId: string): Promise<VersionManifest> {
  const hit = cache.get(versionId);
  if (hit) {
    // Most recently used last, so the oldest is evicted first.
    cache.delete(versionId);
    cache.set(versionId, hit);
    return hit;
  }
  const row = await db.capabilityVersion.findUniqueOrThrow({ where: { id: versionId }, select: { manifest: true } });
  const manifest = row.manifest as unknown as Manifest;
  const installed = readInstalledManifest(manifest);
  const entry: VersionManifest = { manifest, installed, secretKeys: installed.configuration.filter((c) => c.type === "secret").map((c) => c.key) };
  cache.set(versionId, entry);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return entry;
}

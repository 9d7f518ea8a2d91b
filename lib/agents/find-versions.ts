// Which capabilities and versions a caller may install, and which version an install or
// upgrade resolves to. Visibility: administrators see everything; others see their own
// capabilities, and of listed (public) capabilities the versions that are public and
// approved by review (the same rule as lib/registry/list-versions.ts). What a caller may
// not see is reported as absent (404).
// Yanked versions are never chosen; "latest" means the highest published (not deprecated)
// release; a range picks the highest published match, else the highest deprecated one.
import semver from "semver";
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict, notFound } from "../errors";
import type { Caller } from "./agent-access";

type Reader = Db | Prisma.TransactionClient;

export const versionSelect = {
  id: true,
  capabilityId: true,
  version: true,
  status: true,
  permissions: true,
  risk: true,
  manifest: true,
  publishedAt: true,
} as const;
export type VersionRow = Prisma.CapabilityVersionGetPayload<{ select: typeof versionSelect }>;

export const capabilitySelect = { id: true, slug: true, name: true, icon: true, type: true, ownerId: true, visibility: true } as const;
export type CapabilityRow = Prisma.CapabilityGetPayload<{ select: typeof capabilitySelect }>;

export function visibleVersionsWhere(caller: Caller): Prisma.CapabilityVersionWhereInput {
  if (caller.role === "admin") return {};
  return {
    OR: [
      { capability: { ownerId: caller.userId } },
      { visibility: "public", reviewState: "approved", capability: { visibility: "public" } },
    ],
  };
}

function canSeeCapability(caller: Caller, c: CapabilityRow): boolean {
  return caller.role === "admin" || c.ownerId === caller.userId || c.visibility === "public";
}

/** The capability by slug, or null when it does not exist or the caller may not see it. */
export async function findVisibleCapability(db: Reader, options: { caller: Caller; slug: string }): Promise<CapabilityRow | null> {
  const c = await db.capability.findUnique({ where: { slug: options.slug }, select: capabilitySelect });
  return c && canSeeCapability(options.caller, c) ? c : null;
}

async function candidates(db: Reader, caller: Caller, capabilityId: string) {
  const rows = await db.capabilityVersion.findMany({
    where: { AND: [{ capabilityId, status: { not: "yanked" } }, visibleVersionsWhere(caller)] },
    select: { id: true, version: true, status: true },
  });
  return rows.sort((a, b) => semver.rcompare(a.version, b.version));
}

const load = (db: Reader, id: string) => db.capabilityVersion.findUniqueOrThrow({ where: { id }, select: versionSelect });

/** The highest visible, non-yanked version satisfying `range` (published preferred), or null. */
export async function findHighestSatisfying(db: Reader, options: { caller: Caller; capabilityId: string; range: string }): Promise<VersionRow | null> {
  const rows = await candidates(db, options.caller, options.capabilityId);
  const match = (status: string) => rows.find((r) => r.status === status && semver.satisfies(r.version, options.range));
  const pick = match("published") ?? match("deprecated");
  return pick ? load(db, pick.id) : null;
}

/**
 * The version an install or upgrade targets: an exact version (404 when absent or not
 * visible, 409 when yanked) or, for undefined / "latest", the latest published release.
 */
export async function findInstallableVersion(db: Reader, options: { caller: Caller; capability: CapabilityRow; version?: string }): Promise<VersionRow> {
  const { caller, capability } = options;
  if (options.version === undefined || options.version === "latest") {
    const latest = (await candidates(db, caller, capability.id)).find((r) => r.status === "published" && !semver.prerelease(r.version));
    if (!latest) throw conflict(`${capability.slug} has no published version you can install`);
    return load(db, latest.id);
  }
  const wanted = semver.clean(options.version);
  if (!wanted) throw new AppError("validation_failed", "not a version", { errors: [{ path: "version", message: "expected an exact version such as 1.2.0, or latest" }] });
  const row = await db.capabilityVersion.findFirst({
    where: { AND: [{ capabilityId: capability.id, version: wanted }, visibleVersionsWhere(caller)] },
    select: versionSelect,
  });
  if (!row) throw notFound(`version ${wanted} of ${capability.slug}`);
  if (row.status === "yanked") throw conflict(`${capability.slug} ${wanted} was yanked: it cannot be installed`);
  return row;
}

/** The highest visible published release per capability, for "upgrade available". */
export async function findLatestVersions(db: Reader, options: { caller: Caller; capabilityIds: string[] }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!options.capabilityIds.length) return out;
  const rows = await db.capabilityVersion.findMany({
    where: { AND: [{ capabilityId: { in: options.capabilityIds }, status: "published", prerelease: "" }, visibleVersionsWhere(options.caller)] },
    select: { capabilityId: true, version: true },
  });
  for (const r of rows) {
    const best = out.get(r.capabilityId);
    if (!best || semver.gt(r.version, best)) out.set(r.capabilityId, r.version);
  }
  return out;
}

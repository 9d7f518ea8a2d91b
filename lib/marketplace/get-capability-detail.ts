// Everything the capability page shows, for one viewer: description, actions with inputs
// and outputs, permissions with explanations and risk, configuration needed (keys and
// types, never a value), versions with changelog, status, hash and review state,
// dependencies, rating summary and latest reviews, the security report of the shown
// version, the publisher with their badge, and "used with" (capabilities most often
// installed on the same agents). `version` selects a version; else the one it lists.
import type { Db } from "../db/prisma";
import { notFound } from "../errors";
import { canManageCapability, canSeeCapability, type Viewer } from "../registry/capability-access";
import type { CapabilityRecord } from "../registry/capability-record";
import type { ConfigField, Manifest } from "../registry/manifest-schema";
import { manifestContentHash } from "../registry/parse-manifest";
import { PERMISSIONS, type Permission, type PermissionInfo } from "../registry/permissions";
import { listingFields } from "../registry/refresh-listing";
import type { SecurityReport } from "../registry/security-report";
import { listingVersion, sortVersionsDesc } from "../registry/version-order";
import { listReviewsOf, type ReviewRecord } from "./list-reviews";

export interface GetCapabilityDetailOptions {
  slug: string;
  viewer: Viewer | null;
  version?: string;
}

/** The capability's own fields (as in CapabilityRecord, without owner id and draft) and the page's extras. */
export interface CapabilityDetail extends Omit<CapabilityRecord, "ownerId" | "draft"> {
  author: string | null;
  homepage: string | null;
  license: string | null;
  publisher: { id: string; name: string; verified: boolean };
  viewer: { canEdit: boolean; canReview: boolean; isAdmin: boolean };
  /** The version shown (query `version`, else the listed one); null for a draft-only capability. */
  version: {
    id: string;
    version: string;
    status: string;
    visibility: string;
    reviewState: string;
    reviewComment: string | null;
    contentHash: string;
    changelog: string;
    publishedAt: string;
  } | null;
  latestVersion: string | null;
  actions: { id: string; name: string; description: string; inputs: FieldOut[]; outputs: FieldOut[] }[];
  permissions: (PermissionInfo & { name: string })[];
  configuration: { key: string; label: string; type: ConfigField["type"]; required: boolean; description: string | null; helpUrl: string | null }[];
  allowedDomains: string[];
  dependencies: { slug: string; version: string; optional: boolean; available: boolean }[];
  examples: { action: string | null; name: string | null; input: Record<string, unknown>; expectedOutput: unknown }[];
  versions: { version: string; status: string; visibility: string; reviewState: string; contentHash: string; changelog: string; risk: string; permissions: string[]; publishedAt: string; verdict: string }[];
  securityReport: SecurityReport | null;
  installs: number;
  rating: { average: number | null; count: number; histogram: Record<"1" | "2" | "3" | "4" | "5", number> };
  reviews: ReviewRecord[];
  myReview: { rating: number; body: string; updatedAt: string } | null;
  usedWith: { slug: string; name: string; icon: string; agents: number }[];
  /** Owner and admins only: the editable draft. */
  draft: { version: string; contentHash: string; updatedAt: string | null; manifest: Manifest } | null;
}

interface FieldOut {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  enum: (string | number)[] | null;
}

const fieldOut = (f: Manifest["actions"][number]["inputs"][number]): FieldOut => ({
  name: f.name,
  type: f.type,
  required: f.required,
  description: f.description ?? null,
  enum: f.enum ?? null,
});

export async function getCapabilityDetail(db: Db, options: GetCapabilityDetailOptions): Promise<CapabilityDetail> {
  const { viewer } = options;
  const cap = await db.capability.findUnique({
    where: { slug: options.slug },
    include: { owner: { select: { id: true, name: true, isVerifiedPublisher: true } } },
  });
  if (!cap || !canSeeCapability(viewer, cap)) throw notFound("capability");
  const canEdit = canManageCapability(viewer, cap);

  const all = await db.capabilityVersion.findMany({
    where: { capabilityId: cap.id, ...(canEdit ? {} : { visibility: "public", reviewState: "approved" }) },
    select: { id: true, version: true, status: true, visibility: true, reviewState: true, reviewComment: true, contentHash: true, changelog: true, risk: true, permissions: true, publishedAt: true, securityReport: true },
  });
  const versions = sortVersionsDesc(all);
  const selected = options.version ? versions.find((v) => v.version === options.version) : listingVersion(versions);
  if (options.version && !selected) throw notFound("version");
  const draft = cap.draftManifest as unknown as Manifest | null;
  let manifest: Manifest | null = null;
  if (selected) {
    const row = await db.capabilityVersion.findUniqueOrThrow({ where: { id: selected.id }, select: { manifest: true } });
    manifest = row.manifest as unknown as Manifest;
  } else if (canEdit) manifest = draft;

  const [stats, reviews, mine, usedWith, deps] = await Promise.all([
    db.$queryRaw<{ installs: bigint; n: bigint; avg: number | null; h1: bigint; h2: bigint; h3: bigint; h4: bigint; h5: bigint }[]>`
      SELECT (SELECT count(*) FROM installations WHERE capability_id = ${cap.id}) AS installs,
        count(*) AS n, avg(rating)::float8 AS avg,
        count(*) FILTER (WHERE rating = 1) AS h1, count(*) FILTER (WHERE rating = 2) AS h2, count(*) FILTER (WHERE rating = 3) AS h3,
        count(*) FILTER (WHERE rating = 4) AS h4, count(*) FILTER (WHERE rating = 5) AS h5
      FROM reviews WHERE capability_id = ${cap.id}`,
    listReviewsOf(db, { capabilityId: cap.id, limit: 5 }),
    viewer ? db.review.findUnique({ where: { capabilityId_userId: { capabilityId: cap.id, userId: viewer.userId } }, select: { rating: true, body: true, updatedAt: true } }) : null,
    db.$queryRaw<{ slug: string; name: string; icon: string; agents: bigint }[]>`
      SELECT c2.slug, c2.name, c2.icon, count(DISTINCT i2.agent_id) AS agents
      FROM installations i1
      JOIN installations i2 ON i2.agent_id = i1.agent_id AND i2.capability_id <> i1.capability_id
      JOIN capabilities c2 ON c2.id = i2.capability_id
      WHERE i1.capability_id = ${cap.id}
        AND (c2.visibility = 'public' OR c2.owner_id = ${viewer?.userId ?? ""} OR ${viewer?.role === "admin"})
      GROUP BY c2.id, c2.slug, c2.name, c2.icon
      ORDER BY agents DESC, c2.slug ASC LIMIT 6`,
    manifest?.dependencies.length
      ? db.capability.findMany({ where: { slug: { in: manifest.dependencies.map((d) => d.slug) } }, select: { slug: true, ownerId: true, visibility: true } })
      : [],
  ]);
  const s = stats[0]!;
  // The page describes the version shown (or the draft), not necessarily the listed one.
  const shown = manifest ? listingFields(manifest) : null;
  const count = Number(s.n);
  const seeable = new Set(deps.filter((d) => canSeeCapability(viewer, d)).map((d) => d.slug));

  return {
    id: cap.id,
    slug: cap.slug,
    name: shown?.name ?? cap.name,
    icon: shown?.icon ?? cap.icon,
    summary: shown?.summary ?? cap.summary,
    description: shown?.description ?? cap.description,
    category: shown?.category ?? cap.category,
    tags: shown?.tags ?? cap.tags,
    type: shown?.type ?? cap.type,
    risk: selected?.risk ?? shown?.risk ?? cap.risk,
    visibility: cap.visibility,
    isBuiltin: cap.isBuiltin,
    author: manifest?.author ?? null,
    homepage: manifest?.homepage ?? null,
    license: manifest?.license ?? null,
    publisher: { id: cap.owner.id, name: cap.owner.name, verified: cap.owner.isVerifiedPublisher },
    createdAt: cap.createdAt.toISOString(),
    updatedAt: cap.updatedAt.toISOString(),
    viewer: { canEdit, canReview: !!viewer && viewer.userId !== cap.ownerId, isAdmin: viewer?.role === "admin" },
    version: selected
      ? {
          id: selected.id,
          version: selected.version,
          status: selected.status,
          visibility: selected.visibility,
          reviewState: selected.reviewState,
          reviewComment: selected.reviewComment,
          contentHash: selected.contentHash,
          changelog: selected.changelog,
          publishedAt: selected.publishedAt.toISOString(),
        }
      : null,
    latestVersion: listingVersion(versions)?.version ?? null,
    actions: (manifest?.actions ?? []).map((a) => ({ id: a.id, name: a.name ?? a.id, description: a.description ?? "", inputs: a.inputs.map(fieldOut), outputs: a.outputs.map(fieldOut) })),
    permissions: (manifest?.permissions ?? []).map((name) => ({ name, ...PERMISSIONS[name as Permission] })),
    // Keys, labels and types only: never a value or a default.
    configuration: (manifest?.configuration ?? []).map((c) => ({ key: c.key, label: c.label ?? c.key, type: c.type, required: c.required, description: c.description ?? null, helpUrl: c.help_url ?? null })),
    allowedDomains: manifest?.allowed_domains ?? [],
    dependencies: (manifest?.dependencies ?? []).map((d) => ({ slug: d.slug, version: d.version, optional: d.optional, available: seeable.has(d.slug) })),
    examples: (manifest?.examples ?? []).map((e) => ({ action: e.action ?? null, name: e.name ?? null, input: e.input, expectedOutput: e.expected_output ?? null })),
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status,
      visibility: v.visibility,
      reviewState: v.reviewState,
      contentHash: v.contentHash,
      changelog: v.changelog,
      risk: v.risk,
      permissions: v.permissions,
      publishedAt: v.publishedAt.toISOString(),
      verdict: (v.securityReport as unknown as SecurityReport).verdict,
    })),
    securityReport: selected ? (selected.securityReport as unknown as SecurityReport) : null,
    installs: Number(s.installs),
    rating: {
      average: count ? Math.round(Number(s.avg) * 100) / 100 : null,
      count,
      histogram: { "1": Number(s.h1), "2": Number(s.h2), "3": Number(s.h3), "4": Number(s.h4), "5": Number(s.h5) },
    },
    reviews: reviews.items,
    myReview: mine ? { rating: mine.rating, body: mine.body, updatedAt: mine.updatedAt.toISOString() } : null,
    usedWith: usedWith.map((u) => ({ slug: u.slug, name: u.name, icon: u.icon, agents: Number(u.agents) })),
    draft: canEdit && draft ? { version: draft.version, contentHash: manifestContentHash(draft), updatedAt: cap.draftUpdatedAt?.toISOString() ?? null, manifest: draft } : null,
  };
}

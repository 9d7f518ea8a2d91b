// What the builder needs about an existing capability, for /builder/[slug] and the publish
// dialog: whether the caller may publish it, its latest published version and manifest
// (else its registry draft manifest). Only owners and admins get anything: others → null.
import "server-only";
import type { Db } from "../../db/prisma";
import type { Manifest } from "../../registry/manifest-schema";
import { canManageCapability, type Viewer } from "../../registry/capability-access";
import { sortVersionsDesc } from "../../registry/version-order";

export interface BuilderCapability {
  slug: string;
  name: string;
  visibility: "private" | "public";
  latestVersion: string | null;
  /** The latest published manifest, else the registry's draft manifest, else null. */
  manifest: Manifest | null;
}

export async function loadBuilderCapability(db: Db, options: { slug: string; viewer: Viewer }): Promise<BuilderCapability | null> {
  const cap = await db.capability.findUnique({ where: { slug: options.slug }, select: { id: true, slug: true, name: true, ownerId: true, visibility: true, draftManifest: true } });
  if (!cap || !canManageCapability(options.viewer, cap)) return null;
  const versions = sortVersionsDesc(await db.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { id: true, version: true } }));
  const latest = versions[0];
  const row = latest ? await db.capabilityVersion.findUnique({ where: { id: latest.id }, select: { manifest: true } }) : null;
  return {
    slug: cap.slug,
    name: cap.name,
    visibility: cap.visibility,
    latestVersion: latest?.version ?? null,
    manifest: ((row?.manifest ?? cap.draftManifest) as unknown as Manifest | null) ?? null,
  };
}

export interface MyCapability {
  slug: string;
  name: string;
  icon: string;
  type: string;
  visibility: "private" | "public";
  latestVersion: string | null;
  updatedAt: string;
}

/** The caller's own capabilities (built-ins excluded), most recently changed first. */
export async function listMyCapabilities(db: Db, options: { userId: string }): Promise<MyCapability[]> {
  const caps = await db.capability.findMany({
    where: { ownerId: options.userId, isBuiltin: false },
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: { id: true, slug: true, name: true, icon: true, type: true, visibility: true, updatedAt: true, versions: { select: { version: true } } },
  });
  return caps.map((c) => ({
    slug: c.slug,
    name: c.name,
    icon: c.icon,
    type: c.type,
    visibility: c.visibility,
    latestVersion: sortVersionsDesc(c.versions)[0]?.version ?? null,
    updatedAt: c.updatedAt.toISOString(),
  }));
}

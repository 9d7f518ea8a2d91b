// Keeps a capability's listing (the searchable columns and its visibility) in step with
// its versions, inside the caller's transaction. The listing shows the highest listed
// version (public, approved, not yanked), so unreviewed content never reaches the
// marketplace; without one it shows the highest version, and without versions the draft.
// Visibility public is kept only while a listed version exists.
import type { Prisma } from "../db/prisma";
import type { Manifest } from "./manifest-schema";
import { capabilityRisk } from "./permissions";
import { isListedVersion, listingVersion } from "./version-order";

export interface ListingFields {
  name: string;
  summary: string;
  description: string;
  icon: string;
  category: string;
  tags: string[];
  type: string;
  risk: string;
}

/** The first sentence of a description, for cards. */
export function summarize(description: string, max = 200): string {
  const text = description.replace(/\s+/g, " ").trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length <= max ? sentence : sentence.slice(0, max - 1).trimEnd() + "…";
}

export function listingFields(m: Manifest): ListingFields {
  return {
    name: m.name,
    summary: m.summary || summarize(m.description),
    description: m.description,
    icon: m.icon,
    category: m.category,
    tags: m.tags,
    type: m.type,
    risk: capabilityRisk(m.permissions, m.risk),
  };
}

export interface RefreshListingOptions {
  capabilityId: string;
  /** List it (visibility public) if a listed version exists: after an approval or an un-yank. */
  relist?: boolean;
}

export async function refreshListing(tx: Prisma.TransactionClient, options: RefreshListingOptions): Promise<{ visibility: "public" | "private"; listedVersion: string | null }> {
  const cap = await tx.capability.findUniqueOrThrow({ where: { id: options.capabilityId }, select: { visibility: true, draftManifest: true } });
  const versions = await tx.capabilityVersion.findMany({
    where: { capabilityId: options.capabilityId },
    select: { id: true, version: true, visibility: true, reviewState: true, status: true, risk: true },
  });
  const listed = versions.filter(isListedVersion);
  const source = listingVersion(versions);
  let fields: ListingFields | null = null;
  if (source) {
    const row = await tx.capabilityVersion.findUniqueOrThrow({ where: { id: source.id }, select: { manifest: true } });
    fields = { ...listingFields(row.manifest as unknown as Manifest), risk: source.risk };
  } else if (cap.draftManifest) {
    fields = listingFields(cap.draftManifest as unknown as Manifest);
  }
  const visibility = listed.length === 0 ? "private" : options.relist ? "public" : cap.visibility;
  await tx.capability.update({ where: { id: options.capabilityId }, data: { ...fields, visibility } });
  const top = listingVersion(listed);
  return { visibility, listedVersion: top?.version ?? null };
}

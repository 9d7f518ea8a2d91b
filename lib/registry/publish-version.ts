// Publishes a version of a capability (owner or admin): the pending draft (else the highest
// version again, under a new number), or the manifest given. The version is frozen (a
// trigger refuses content changes), its semver must be strictly higher than every existing
// version (no overwrite, no downgrade), and it stores its content hash, changelog,
// permissions, risk and security report. A public version waits in review until an admin
// approves it; a private one needs no review.
import semver from "semver";
import { z } from "zod";
import type { Db } from "../db/prisma";
import { Prisma } from "../generated/prisma/client";
import { AppError, conflict } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { lockManageableCapability, type Viewer } from "./capability-access";
import { toJsonValue } from "./create-capability";
import type { Manifest } from "./manifest-schema";
import { manifestContentHash, validateManifest } from "./parse-manifest";
import { capabilityRisk } from "./permissions";
import { MAX_MANIFEST_TEXT, readManifestSource, requireValidManifest } from "./read-manifest-source";
import { refreshListing } from "./refresh-listing";
import { computeSecurityReport } from "./security-report";
import { highestVersion, semverParts } from "./version-order";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

export const PublishVersionSchema = z
  .object({
    version: z
      .string()
      .max(100)
      .refine((v) => semver.valid(v) !== null && semver.clean(v) === v, "expected a semantic version such as 1.2.0")
      .optional(),
    changelog: z.string().trim().min(1, "say what changed").max(20_000),
    visibility: z.enum(["private", "public"]).optional(),
    manifest: z.record(z.string(), z.unknown()).optional(),
    text: z.string().max(MAX_MANIFEST_TEXT).optional(),
    format: z.enum(["json", "yaml"]).optional(),
  })
  .refine((b) => !(b.manifest !== undefined && b.text !== undefined), { message: "send either manifest or text, not both", path: ["text"] });
export type PublishVersionInput = z.infer<typeof PublishVersionSchema>;

export interface PublishVersionOptions {
  slug: string;
  viewer: Viewer;
  actor: Actor;
  input: PublishVersionInput;
  correlationId?: string;
  /** Built-ins only: publish already approved, by the system. */
  preApproved?: boolean;
}

export async function publishVersion(db: Db, options: PublishVersionOptions): Promise<VersionRecord> {
  const { input } = options;
  // Validate before taking any lock: a bad manifest is a 422 with every error.
  const given =
    input.manifest !== undefined || input.text !== undefined
      ? requireValidManifest(readManifestSource(input.manifest !== undefined ? { manifest: input.manifest } : { text: input.text, format: input.format }))
      : null;
  return db.$transaction((tx) => publishVersionInTransaction(tx, { ...options, manifest: given }));
}

/** The publish inside the caller's transaction (built-ins register and publish in one). */
export async function publishVersionInTransaction(tx: Prisma.TransactionClient, options: PublishVersionOptions & { manifest: Manifest | null }): Promise<VersionRecord> {
  const { input } = options;
  const given = options.manifest;
  const cap = await lockManageableCapability(tx, { slug: options.slug, viewer: options.viewer });
  let manifest: Manifest;
  if (given) manifest = given;
  else {
    // The pending draft, else the highest version (republishing it under a new version).
    const row = await tx.capability.findUniqueOrThrow({ where: { id: cap.id }, select: { draftManifest: true } });
    let base = row.draftManifest;
    if (!base) {
      const versions = await tx.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { id: true, version: true } });
      const top = highestVersion(versions);
      if (top) base = (await tx.capabilityVersion.findUniqueOrThrow({ where: { id: top.id }, select: { manifest: true } })).manifest;
    }
    if (!base) throw conflict("there is no draft to publish: send a manifest");
    // The stored draft was valid when saved; check it again against today's rules.
    manifest = requireValidManifest(validateManifest(base));
  }
  if (input.version) manifest = { ...manifest, version: input.version };
  if (manifest.slug !== cap.slug) {
    throw new AppError("validation_failed", "the manifest is not valid: 1 error", { errors: [{ path: "slug", message: `must be "${cap.slug}", the capability's slug` }] });
  }

  const existing = await tx.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { version: true } });
  const highest = highestVersion(existing)?.version;
  if (existing.some((v) => v.version === manifest.version)) {
    throw conflict(`version ${manifest.version} already exists and published versions never change; publish a version higher than ${highest}`);
  }
  if (highest && !semver.gt(manifest.version, highest)) {
    throw conflict(`version ${manifest.version} is not higher than the current highest version ${highest}`);
  }

  const visibility = input.visibility ?? cap.visibility;
  const reviewState = visibility === "private" ? "not_required" : options.preApproved ? "approved" : "in_review";
  const contentHash = manifestContentHash(manifest);
  const securityReport = computeSecurityReport(manifest);
  const risk = capabilityRisk(manifest.permissions, manifest.risk);
  const id = newId("ver");
  const now = new Date();
  const row = await tx.capabilityVersion.create({
    data: {
      id,
      capabilityId: cap.id,
      version: manifest.version,
      ...semverParts(manifest.version),
      manifest: toJsonValue(manifest),
      contentHash,
      changelog: input.changelog,
      permissions: manifest.permissions,
      risk,
      securityReport: toJsonValue(securityReport),
      visibility,
      reviewState,
      reviewedAt: options.preApproved && visibility === "public" ? now : null,
      reviewComment: options.preApproved && visibility === "public" ? "shipped with the product" : null,
      publishedById: options.viewer.userId,
      publishedAt: now,
    },
    select: versionRecordSelect,
  });
  // The draft holds only unpublished work: once published, the next edit starts from this
  // version. (It also keeps the capabilities table narrow, which searches scan.)
  await tx.capability.update({ where: { id: cap.id }, data: { draftManifest: Prisma.DbNull, draftUpdatedAt: null } });
  await refreshListing(tx, { capabilityId: cap.id, relist: reviewState === "approved" });

  const common = { stream: { type: "capability", id: cap.id }, subject: { type: "capability_version", id }, actor: options.actor, correlationId: options.correlationId };
  await appendEvent(tx, {
    type: "capability.version_published",
    data: { slug: cap.slug, version: manifest.version, contentHash, visibility, risk, permissions: manifest.permissions, verdict: securityReport.verdict },
    ...common,
  });
  if (reviewState === "in_review") await appendEvent(tx, { type: "capability.review_requested", data: { slug: cap.slug, version: manifest.version }, ...common });
  if (reviewState === "approved") {
    await appendEvent(tx, { type: "capability.review_decided", data: { slug: cap.slug, version: manifest.version, decision: "approved", comment: "shipped with the product" }, ...common });
  }
  return toVersionRecord(row);
}

// Edits a capability (owner or admin): replaces its draft manifest (validated; the slug
// cannot change) and/or switches its listing on or off. Listing it needs a public,
// approved, not yanked version; unlisting hides it from everyone but owner and admins.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, conflict } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { lockManageableCapability, type Viewer } from "./capability-access";
import { capabilityRecordSelect, toCapabilityRecord, toManifestCheck, type CapabilityRecord, type ManifestCheck } from "./capability-record";
import { toJsonValue } from "./create-capability";
import { MAX_MANIFEST_TEXT, readManifestSource, requireValidManifest } from "./read-manifest-source";
import { refreshListing } from "./refresh-listing";
import { isListedVersion } from "./version-order";

export const UpdateCapabilitySchema = z
  .object({
    manifest: z.record(z.string(), z.unknown()).optional(),
    text: z.string().max(MAX_MANIFEST_TEXT).optional(),
    format: z.enum(["json", "yaml"]).optional(),
    visibility: z.enum(["private", "public"]).optional(),
  })
  .refine((b) => !(b.manifest !== undefined && b.text !== undefined), { message: "send either manifest or text, not both", path: ["text"] })
  .refine((b) => b.manifest !== undefined || b.text !== undefined || b.visibility !== undefined, { message: "nothing to change: send manifest, text or visibility", path: ["(body)"] });
export type UpdateCapabilityInput = z.infer<typeof UpdateCapabilitySchema>;

export interface UpdateCapabilityOptions {
  slug: string;
  viewer: Viewer;
  actor: Actor;
  patch: UpdateCapabilityInput;
  correlationId?: string;
}

export async function updateCapability(db: Db, options: UpdateCapabilityOptions): Promise<CapabilityRecord & { check: ManifestCheck | null }> {
  const { patch } = options;
  const hasManifest = patch.manifest !== undefined || patch.text !== undefined;
  // Validate before taking any lock: a bad manifest is a 422 with every error.
  const report = hasManifest ? readManifestSource(patch.manifest !== undefined ? { manifest: patch.manifest } : { text: patch.text, format: patch.format }) : null;
  const manifest = report ? requireValidManifest(report) : null;

  const row = await db.$transaction(async (tx) => {
    const cap = await lockManageableCapability(tx, { slug: options.slug, viewer: options.viewer });
    const stream = { type: "capability", id: cap.id };
    if (manifest) {
      if (manifest.slug !== cap.slug) {
        throw new AppError("validation_failed", "the manifest is not valid: 1 error", { errors: [{ path: "slug", message: `must stay "${cap.slug}": a capability's slug cannot change` }] });
      }
      await tx.capability.update({ where: { id: cap.id }, data: { draftManifest: toJsonValue(manifest), draftUpdatedAt: new Date() } });
      await appendEvent(tx, {
        type: "capability.draft_saved",
        data: { slug: cap.slug, version: manifest.version, valid: true },
        stream,
        subject: { type: "capability", id: cap.id },
        actor: options.actor,
        correlationId: options.correlationId,
      });
    }
    const changed: string[] = [];
    if (patch.visibility && patch.visibility !== cap.visibility) {
      if (patch.visibility === "public") {
        const versions = await tx.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { version: true, visibility: true, reviewState: true, status: true } });
        if (!versions.some(isListedVersion)) throw conflict("it cannot be listed yet: publish a public version and have an admin approve it");
      }
      await tx.capability.update({ where: { id: cap.id }, data: { visibility: patch.visibility } });
      changed.push("visibility");
    }
    // Without versions the listing shows the draft; with versions this is a no-op refresh.
    if (manifest || changed.length) await refreshListing(tx, { capabilityId: cap.id });
    if (changed.length) {
      await appendEvent(tx, {
        type: "capability.updated",
        data: { slug: cap.slug, fields: changed },
        stream,
        subject: { type: "capability", id: cap.id },
        actor: options.actor,
        correlationId: options.correlationId,
      });
    }
    return tx.capability.findUniqueOrThrow({ where: { id: cap.id }, select: capabilityRecordSelect });
  });
  return { ...toCapabilityRecord(row), check: report ? toManifestCheck(report) : null };
}

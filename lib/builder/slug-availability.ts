// Whether a slug is free for the caller's next capability, as the builder's Basics step
// asks while they type: free, theirs already (publishing adds a version above the highest
// one), taken by someone else (a private capability included: slugs are global, and
// publishing would be refused anyway), reserved by the app's routes, or not a slug at all.
// Always answers (200); the answer says nothing about a taken capability beyond "taken".
import type { Db } from "../db/prisma";
import { canManageCapability, type Viewer } from "../registry/capability-access";
import { RESERVED_SLUGS } from "../registry/create-capability";
import { SLUG_PATTERN } from "../registry/manifest-schema";
import { highestVersion } from "../registry/version-order";

export type SlugAvailabilityStatus = "available" | "yours" | "taken" | "reserved" | "invalid";

export interface SlugAvailability {
  slug: string;
  status: SlugAvailabilityStatus;
  /** True only for "available". */
  available: boolean;
  /** For "yours": the highest version published so far (null when none yet). */
  latestVersion?: string | null;
  message: string;
}

export async function slugAvailability(db: Db, options: { slug: string; viewer: Viewer }): Promise<SlugAvailability> {
  const { slug } = options;
  const answer = (status: SlugAvailabilityStatus, message: string, extra: Partial<SlugAvailability> = {}): SlugAvailability => ({ slug, status, available: status === "available", message, ...extra });
  if (!SLUG_PATTERN.test(slug)) return answer("invalid", "Use 1–64 lowercase letters, digits and dashes, not starting or ending with a dash.");
  if (RESERVED_SLUGS.has(slug)) return answer("reserved", "Reserved by the registry: choose another slug.");
  const cap = await db.capability.findUnique({ where: { slug }, select: { id: true, ownerId: true } });
  if (!cap) return answer("available", "Available.");
  if (!canManageCapability(options.viewer, cap)) return answer("taken", "Taken by another publisher: choose another slug.");
  const versions = await db.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { version: true } });
  const latest = highestVersion(versions)?.version ?? null;
  return answer("yours", `Your capability${latest ? ` (latest ${latest})` : ""}: publishing adds a new version.`, { latestVersion: latest });
}

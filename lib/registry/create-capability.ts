// Creates a capability owned by the caller from a manifest (object, text or uploaded
// file), validated first: every error comes back with its path. The manifest becomes
// the editable draft; nothing is visible to others until a version is published and,
// for public versions, approved.
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { capabilityRecordSelect, toCapabilityRecord, toManifestCheck, type CapabilityRecord, type ManifestCheck } from "./capability-record";
import type { Manifest } from "./manifest-schema";
import { readManifestSource, requireValidManifest, type ManifestSource, type UploadedFile } from "./read-manifest-source";
import { listingFields } from "./refresh-listing";

// Path segments under /api/capabilities that are not slugs.
export const RESERVED_SLUGS = new Set(["import", "categories", "new", "search", "mine", "upload", "test"]);

export interface CreateCapabilityOptions {
  ownerId: string;
  actor: Actor;
  source: ManifestSource | UploadedFile;
  via: "api" | "import" | "builder" | "seed";
  correlationId?: string;
  /** Only for built-ins registered by the product itself. */
  isBuiltin?: boolean;
}

export const toJsonValue = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

export async function createCapability(db: Db, options: CreateCapabilityOptions): Promise<CapabilityRecord & { check: ManifestCheck }> {
  const report = readManifestSource(options.source);
  const manifest = requireValidManifest(report);
  const row = await db.$transaction((tx) => insertCapability(tx, { ...options, manifest }));
  return { ...row, check: toManifestCheck(report) };
}

/**
 * The insert and its event inside the caller's transaction, for callers that already hold
 * a validated manifest (built-ins, benchmarks).
 */
export async function insertCapability(
  tx: Prisma.TransactionClient,
  options: Omit<CreateCapabilityOptions, "source"> & { manifest: Manifest },
): Promise<CapabilityRecord> {
  const m = options.manifest;
  if (RESERVED_SLUGS.has(m.slug)) {
    throw new AppError("validation_failed", "the manifest is not valid: 1 error", { errors: [{ path: "slug", message: `"${m.slug}" is reserved; choose another slug` }] });
  }
  if (m.type === "builtin" && !options.isBuiltin) {
    throw new AppError("validation_failed", "the manifest is not valid: 1 error", { errors: [{ path: "type", message: "builtin is reserved for the product's own capabilities" }] });
  }
  const id = newId("cap");
  try {
    const taken = await tx.capability.findUnique({ where: { slug: m.slug }, select: { id: true } });
    if (taken) throw conflict(`a capability with the slug "${m.slug}" already exists`);
    const row = await tx.capability.create({
      data: {
        id,
        slug: m.slug,
        ownerId: options.ownerId,
        ...listingFields(m),
        visibility: "private",
        isBuiltin: options.isBuiltin ?? false,
        draftManifest: toJsonValue(m),
        draftUpdatedAt: new Date(),
      },
      select: capabilityRecordSelect,
    });
    await appendEvent(tx, {
      type: "capability.created",
      data: { slug: m.slug, name: m.name, type: m.type, via: options.via },
      stream: { type: "capability", id },
      subject: { type: "capability", id },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    return toCapabilityRecord(row);
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict(`a capability with the slug "${m.slug}" already exists`);
    throw err;
  }
}

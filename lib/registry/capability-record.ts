// The owner's view of a capability's own row (what create and update answer with):
// listing fields, visibility and the draft's identity. The draft's content itself is
// served by the detail endpoint to those who may edit it.
import type { Prisma } from "../db/prisma";
import type { FieldError } from "../errors";
import type { ConfigField, Manifest } from "./manifest-schema";
import { manifestContentHash, type ManifestReport } from "./parse-manifest";

export const capabilityRecordSelect = {
  id: true,
  slug: true,
  name: true,
  icon: true,
  summary: true,
  description: true,
  category: true,
  tags: true,
  type: true,
  risk: true,
  visibility: true,
  isBuiltin: true,
  ownerId: true,
  draftManifest: true,
  draftUpdatedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.CapabilitySelect;

type Row = Prisma.CapabilityGetPayload<{ select: typeof capabilityRecordSelect }>;

export interface CapabilityRecord {
  id: string;
  slug: string;
  name: string;
  icon: string;
  summary: string;
  description: string;
  category: string;
  tags: string[];
  type: string;
  risk: string;
  visibility: "private" | "public";
  isBuiltin: boolean;
  ownerId: string;
  draft: { version: string; contentHash: string; updatedAt: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ManifestCheck {
  warnings: FieldError[];
  needsConfig: ConfigField[];
  risk: string | null;
  contentHash: string | null;
}

export function toCapabilityRecord(row: Row): CapabilityRecord {
  const draft = row.draftManifest as unknown as Manifest | null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    icon: row.icon,
    summary: row.summary,
    description: row.description,
    category: row.category,
    tags: row.tags,
    type: row.type,
    risk: row.risk,
    visibility: row.visibility,
    isBuiltin: row.isBuiltin,
    ownerId: row.ownerId,
    draft: draft ? { version: draft.version, contentHash: manifestContentHash(draft), updatedAt: row.draftUpdatedAt?.toISOString() ?? null } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toManifestCheck(report: ManifestReport): ManifestCheck {
  return { warnings: report.warnings, needsConfig: report.needsConfig, risk: report.risk ?? null, contentHash: report.contentHash ?? null };
}

// How a published version is answered: identity, status, review, hash, changelog,
// permissions, risk and its security report (the manifest only when asked for).
import type { Prisma } from "../db/prisma";
import type { SecurityReport } from "./security-report";

export const versionRecordSelect = {
  id: true,
  version: true,
  status: true,
  visibility: true,
  reviewState: true,
  reviewComment: true,
  reviewedAt: true,
  contentHash: true,
  changelog: true,
  permissions: true,
  risk: true,
  securityReport: true,
  publishedAt: true,
  publishedById: true,
} as const satisfies Prisma.CapabilityVersionSelect;

type Row = Prisma.CapabilityVersionGetPayload<{ select: typeof versionRecordSelect }>;

export interface VersionRecord {
  id: string;
  version: string;
  status: "published" | "deprecated" | "yanked";
  visibility: "private" | "public";
  reviewState: "not_required" | "in_review" | "approved" | "rejected";
  reviewComment: string | null;
  reviewedAt: string | null;
  contentHash: string;
  changelog: string;
  permissions: string[];
  risk: string;
  publishedAt: string;
  publishedById: string;
  securityReport: SecurityReport;
}

export function toVersionRecord(row: Row): VersionRecord {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    visibility: row.visibility,
    reviewState: row.reviewState,
    reviewComment: row.reviewComment,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    contentHash: row.contentHash,
    changelog: row.changelog,
    permissions: row.permissions,
    risk: row.risk,
    publishedAt: row.publishedAt.toISOString(),
    publishedById: row.publishedById,
    securityReport: row.securityReport as unknown as SecurityReport,
  };
}

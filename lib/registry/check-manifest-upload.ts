// The upload page's dry run: the full validation report of an uploaded manifest (every
// error with its path, warnings, configuration an installer must enter, risk, content
// hash, the normalised manifest), the security report it would get if published, and
// whether its slug is still free. Saves nothing.
import type { Db } from "../db/prisma";
import type { FieldError } from "../errors";
import type { ConfigField, Manifest } from "./manifest-schema";
import { readManifestSource, type ManifestSource, type UploadedFile } from "./read-manifest-source";
import { computeSecurityReport, type SecurityReport } from "./security-report";
import { RESERVED_SLUGS } from "./create-capability";

export interface ManifestUploadReport {
  valid: boolean;
  errors: FieldError[];
  warnings: FieldError[];
  needsConfig: ConfigField[];
  risk: string | null;
  contentHash: string | null;
  manifest: Manifest | null;
  securityReport: SecurityReport | null;
  /** null when the manifest has no usable slug. */
  slugAvailable: boolean | null;
}

export async function checkManifestUpload(db: Db, options: { source: ManifestSource | UploadedFile }): Promise<ManifestUploadReport> {
  const report = readManifestSource(options.source);
  const m = report.manifest ?? null;
  const slugAvailable = m ? !RESERVED_SLUGS.has(m.slug) && !(await db.capability.findUnique({ where: { slug: m.slug }, select: { id: true } })) : null;
  return {
    valid: report.valid,
    errors: report.errors,
    warnings: report.warnings,
    needsConfig: report.needsConfig,
    risk: report.risk ?? null,
    contentHash: report.contentHash ?? null,
    manifest: m,
    securityReport: m ? computeSecurityReport(m) : null,
    slugAvailable,
  };
}

// Where a manifest comes from in a request: a parsed object (`{ manifest }`), text with an
// optional format (`{ text, format }`), or an uploaded file (`{ filename, text }`, format
// from the extension). Turns any of them into a validation report, or into a 422 that
// lists every error with its path. Pure: no I/O.
import { z } from "zod";
import { AppError } from "../errors";
import type { Manifest } from "./manifest-schema";
import { checkManifestText, validateManifest, type ManifestReport } from "./parse-manifest";

export const MAX_MANIFEST_TEXT = 768 * 1024;

export const ManifestSourceSchema = z
  .object({
    manifest: z.record(z.string(), z.unknown()).optional(),
    text: z.string().max(MAX_MANIFEST_TEXT).optional(),
    format: z.enum(["json", "yaml"]).optional(),
  })
  .refine((s) => (s.manifest === undefined) !== (s.text === undefined), { message: "send either manifest (an object) or text (JSON or YAML)", path: ["manifest"] });
export type ManifestSource = z.infer<typeof ManifestSourceSchema>;

export const UploadedFileSchema = z.object({
  filename: z.string().trim().min(1).max(255),
  text: z.string().max(MAX_MANIFEST_TEXT),
});
export type UploadedFile = z.infer<typeof UploadedFileSchema>;

export function formatOfFilename(filename: string): "json" | "yaml" {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  if (ext === "json") return "json";
  if (ext === "yaml" || ext === "yml") return "yaml";
  throw new AppError("unsupported_media_type", "upload a .yaml, .yml or .json file", { errors: [{ path: "filename", message: `unsupported extension: ${ext ? "." + ext : "none"}` }] });
}

export function readManifestSource(source: ManifestSource | UploadedFile): ManifestReport {
  if ("filename" in source) return checkManifestText(source.text, formatOfFilename(source.filename));
  if (source.manifest !== undefined) return validateManifest(source.manifest);
  return checkManifestText(source.text ?? "", source.format ?? "auto");
}

/** The manifest of a valid report; a 422 with every error and its path otherwise. */
export function requireValidManifest(report: ManifestReport): Manifest {
  if (!report.valid || !report.manifest) {
    throw new AppError("validation_failed", `the manifest is not valid: ${report.errors.length} error${report.errors.length === 1 ? "" : "s"}`, { errors: report.errors });
  }
  return report.manifest;
}

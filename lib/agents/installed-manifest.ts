// Reads what installations need from a published version's stored (already validated and
// normalised) manifest: configuration fields, dependencies, actions and the HTTP methods
// they use. A stored manifest that does not fit is a bug, not user input: it throws.
// Pure: no I/O.
import { z } from "zod";
import { CONFIG_TYPES } from "../registry/manifest-schema";

const method = z.string().default("GET");

const ConfigFieldSchema = z.object({
  key: z.string(),
  label: z.string().optional(),
  type: z.enum(CONFIG_TYPES),
  required: z.boolean().default(false),
  description: z.string().optional(),
  help_url: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

const InstalledManifestSchema = z.object({
  type: z.string(),
  configuration: z.array(ConfigFieldSchema).default([]),
  dependencies: z.array(z.object({ slug: z.string(), version: z.string().default("*"), optional: z.boolean().default(false) })).default([]),
  actions: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().optional(),
        description: z.string().optional(),
        /** Per-action permissions, when a manifest declares them. */
        permissions: z.array(z.string()).optional(),
        integration: z.object({ method }).optional(),
      }),
    )
    .default([]),
  integration: z.object({ method }).optional(),
  endpoints: z.array(z.object({ id: z.string(), method })).optional(),
  api: z.object({ auth: z.object({ type: z.string() }).optional() }).optional(),
});

export type InstalledManifest = z.infer<typeof InstalledManifestSchema>;
export type InstalledConfigField = InstalledManifest["configuration"][number];
export type InstalledDependency = InstalledManifest["dependencies"][number];

export function readInstalledManifest(manifest: unknown): InstalledManifest {
  const parsed = InstalledManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new Error(`stored manifest does not have the expected shape: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** A configuration field as the API shows it (form generation on the consent screen). */
export function describeConfigField(f: InstalledConfigField) {
  return {
    key: f.key,
    label: f.label ?? f.key,
    type: f.type,
    required: f.required,
    description: f.description ?? null,
    helpUrl: f.help_url ?? null,
    default: f.type === "secret" ? null : (f.default ?? null),
  };
}
export type ConfigFieldView = ReturnType<typeof describeConfigField>;

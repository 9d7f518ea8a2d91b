// Zod schemas of every input the agents API accepts (bodies, queries, params). The types
// the use-cases take are inferred from these; there is no hand-written copy.
import { z } from "zod";
import { SLUG_PATTERN } from "../registry/manifest-schema";

const slug = z.string().regex(SLUG_PATTERN, "expected a capability slug");
const configKey = z.string().min(1).max(64);

/** Non-secret configuration values; null removes a value (on change). */
export const ConfigValuesSchema = z.record(configKey, z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]));
/** Secret values; null clears a stored secret (on change). Error messages never echo a value. */
export const SecretValuesSchema = z.record(configKey, z.string().min(1, "must not be empty").max(10_000).nullable());
/** Permission names the user grants; checked against what the version requests. */
export const GrantListSchema = z.array(z.string().min(1).max(100)).max(50);

/** Consent for dependencies that are installed along: slug → permissions granted to it. */
const DependencyGrantsSchema = z.record(slug, GrantListSchema);
/** Configuration for dependencies that are installed along: slug → { config, secrets }. */
const DependencyConfigSchema = z.record(slug, z.strictObject({ config: ConfigValuesSchema.default({}), secrets: SecretValuesSchema.default({}) }));

export const CreateAgentSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(""),
});
export type CreateAgentInput = z.infer<typeof CreateAgentSchema>;

export const UpdateAgentSchema = z
  .strictObject({ name: z.string().trim().min(1).max(100).optional(), description: z.string().trim().max(2000).optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, { message: "give name or description" });
export type UpdateAgentInput = z.infer<typeof UpdateAgentSchema>;

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
};

export const ListAgentsQuerySchema = z.object({
  ...page,
  /** Admins only: every agent of the organisation instead of their own. */
  all: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});
export type ListAgentsQuery = z.infer<typeof ListAgentsQuerySchema>;

export const ListInstallationsQuerySchema = z.object(page);
export type ListInstallationsQuery = z.infer<typeof ListInstallationsQuerySchema>;

export const AgentParamsSchema = z.object({ id: z.string().min(1).max(100) });
export const InstallationParamsSchema = z.object({ id: z.string().min(1).max(100), installationId: z.string().min(1).max(100) });

export const InstallCapabilitySchema = z.strictObject({
  capability: slug,
  /** An exact version; default: the latest published version you can see. */
  version: z.string().min(1).max(100).optional(),
  /** Consent: a subset of the permissions the version requests (none is a valid answer). */
  grantedPermissions: GrantListSchema,
  config: ConfigValuesSchema.default({}),
  secrets: SecretValuesSchema.default({}),
  dependencyGrants: DependencyGrantsSchema.default({}),
  dependencyConfig: DependencyConfigSchema.default({}),
  /** Validate and return the plan (what would be installed, what consent is needed) without writing. */
  dryRun: z.boolean().default(false),
});
export type InstallCapabilityInput = z.infer<typeof InstallCapabilitySchema>;

export const UpdateInstallationSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    config: ConfigValuesSchema.optional(),
    secrets: SecretValuesSchema.optional(),
    grantedPermissions: GrantListSchema.optional(),
    upgradeTo: z.string().min(1).max(100).optional(),
    rollback: z.literal(true).optional(),
    cancelUpgrade: z.literal(true).optional(),
    dependencyGrants: DependencyGrantsSchema.optional(),
    dependencyConfig: DependencyConfigSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const given = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k]) => k);
    const allowedWith: Record<string, string[]> = {
      upgradeTo: ["upgradeTo", "grantedPermissions", "config", "secrets", "dependencyGrants", "dependencyConfig"],
      rollback: ["rollback", "config", "secrets", "dependencyGrants", "dependencyConfig"],
      cancelUpgrade: ["cancelUpgrade"],
    };
    if (!given.length) {
      ctx.addIssue({ code: "custom", path: [], message: "give one of enabled, config/secrets, grantedPermissions, upgradeTo, rollback, cancelUpgrade" });
      return;
    }
    const op = (["upgradeTo", "rollback", "cancelUpgrade"] as const).find((k) => v[k] !== undefined);
    const allowed = op ? allowedWith[op]! : ["enabled", "config", "secrets", "grantedPermissions"];
    for (const k of given) {
      if (!allowed.includes(k)) ctx.addIssue({ code: "custom", path: [k], message: op ? `cannot be combined with ${op}` : "only with upgradeTo or rollback" });
    }
  });
export type UpdateInstallationInput = z.infer<typeof UpdateInstallationSchema>;

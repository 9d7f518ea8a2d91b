// The zod schema family of capability manifests: the common fields, and one shape per
// type (declarative, api-connector, code, workflow, builtin). Accepts the seed's own
// spellings (a `capability:` wrapper, `id` for slug, inputs as a list or as a map) and
// normalises them, so the rest of the product sees one shape. Pure: no I/O.
import semver from "semver";
import { z } from "zod";
import { PermissionSchema, RiskLevelSchema } from "./permissions";

export const MANIFEST_TYPES = ["declarative", "api-connector", "code", "workflow", "builtin"] as const;
export type ManifestType = (typeof MANIFEST_TYPES)[number];

export const VALUE_TYPES = ["string", "number", "integer", "boolean", "object", "array", "file", "any"] as const;
export const CONFIG_TYPES = ["string", "number", "boolean", "secret"] as const;
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const CATEGORIES = [
  "data",
  "text",
  "developer",
  "communication",
  "productivity",
  "finance",
  "ai",
  "web",
  "media",
  "utilities",
  "integration",
  "system",
] as const;

/** A capability slug: 1–64 lowercase letters, digits and dashes, no dash at either end. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const slugRule = z
  .string()
  .regex(SLUG_PATTERN, "use 1–64 lowercase letters, digits and dashes, not starting or ending with a dash");
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "use letters, digits, _ and -, starting with a letter or _ (max 64)");
const semverRule = z.string().refine((v) => semver.valid(v) !== null && semver.clean(v) === v, "expected a semantic version such as 1.0.0");
const rangeRule = z.string().refine((v) => semver.validRange(v) !== null, "expected a semver range such as ^1.2.0");
const domainRule = z
  .string()
  .toLowerCase()
  .regex(/^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a domain name such as api.example.com or *.example.com");
const shortText = (max: number) => z.string().trim().min(1).max(max);

const ValueTypeSchema = z.enum(VALUE_TYPES, { error: () => `expected one of ${VALUE_TYPES.join(", ")}` });

const FieldSchema = z.object({
  name: identifier,
  type: ValueTypeSchema.default("string"),
  required: z.boolean().default(false),
  description: z.string().max(500).optional(),
  default: z.unknown().optional(),
  enum: z.array(z.union([z.string(), z.number()])).max(100).optional(),
});
export type Field = z.infer<typeof FieldSchema>;

/** Fields as a list ([{name, type}]) or a map ({name: {type}} / {name: "type"}), normalised to a list. */
const FieldsSchema = z.preprocess((value) => {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([name, spec]) =>
      typeof spec === "string" ? { name, type: spec } : { name, ...(spec as object) },
    );
  }
  return value;
}, z.array(FieldSchema).max(50).default([]));

const ResponseMappingSchema = z.record(identifier, z.string().min(1).max(300)).optional();
const TemplateMap = z.record(z.string().min(1).max(200), z.union([z.string().max(4000), z.number(), z.boolean()])).optional();

const HttpIntegrationSchema = z.object({
  type: z.literal("api").default("api"),
  endpoint: z.string().min(1).max(2000),
  method: z.enum(HTTP_METHODS).default("GET"),
  headers: TemplateMap,
  params: TemplateMap,
  body: z.unknown().optional(),
  response_mapping: ResponseMappingSchema,
});

const ActionSchema = z.object({
  id: identifier,
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  inputs: FieldsSchema,
  outputs: FieldsSchema,
  integration: HttpIntegrationSchema.optional(),
});

const ConfigFieldSchema = z.object({
  key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "use letters, digits and _, starting with a letter or _"),
  label: z.string().max(100).optional(),
  type: z.enum(CONFIG_TYPES, { error: () => `expected one of ${CONFIG_TYPES.join(", ")}` }).default("string"),
  required: z.boolean().default(false),
  description: z.string().max(500).optional(),
  help_url: z.url().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});
export type ConfigField = z.infer<typeof ConfigFieldSchema>;

const ExampleSchema = z.object({
  action: identifier.optional(),
  name: z.string().max(100).optional(),
  input: z.record(z.string(), z.unknown()).default({}),
  expected_output: z.unknown().optional(),
});

const DependenciesSchema = z.preprocess((value) => {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([slug, version]) => ({ slug, version }));
  }
  return value;
}, z.array(z.object({ slug: slugRule, version: rangeRule.default("*"), optional: z.boolean().default(false) })).max(50).default([]));

const common = {
  schema_version: z.literal(1).default(1),
  slug: slugRule,
  name: shortText(100),
  icon: z.string().max(64).default("🧩"),
  version: semverRule,
  author: z.string().max(100).optional(),
  /** One line for marketplace cards; the first sentence of the description when absent. */
  summary: z.string().trim().max(200).optional(),
  description: z.string().max(5000).default(""),
  category: z.enum(CATEGORIES, { error: () => `expected one of ${CATEGORIES.join(", ")}` }).default("utilities"),
  tags: z.array(z.string().trim().toLowerCase().min(1).max(32)).max(20).default([]),
  actions: z.array(ActionSchema).max(50).default([]),
  configuration: z.array(ConfigFieldSchema).max(50).default([]),
  permissions: z.array(PermissionSchema).max(30).default([]),
  allowed_domains: z.array(domainRule).max(50).default([]),
  examples: z.array(ExampleSchema).max(50).default([]),
  dependencies: DependenciesSchema,
  risk: RiskLevelSchema.optional(),
  license: z.string().max(50).optional(),
  homepage: z.url().optional(),
};

const ApiAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({ type: z.literal("api_key"), in: z.enum(["header", "query"]).default("header"), name: z.string().min(1).max(100).default("X-API-Key"), value_from: z.string().default("API_KEY") }),
  z.object({ type: z.literal("bearer"), token_from: z.string().default("API_TOKEN") }),
  z.object({ type: z.literal("basic"), username_from: z.string().default("USERNAME"), password_from: z.string().default("PASSWORD") }),
  z.object({
    type: z.literal("oauth2"),
    flow: z.literal("client_credentials").default("client_credentials"),
    token_url: z.url(),
    client_id_from: z.string().default("CLIENT_ID"),
    client_secret_from: z.string().default("CLIENT_SECRET"),
    scopes: z.array(z.string().max(200)).max(50).default([]),
  }),
]);
export type ApiAuth = z.infer<typeof ApiAuthSchema>;

const EndpointSchema = z.object({
  id: identifier,
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  method: z.enum(HTTP_METHODS).default("GET"),
  path: z.string().min(1).max(1000).regex(/^\//, "must start with /"),
  inputs: FieldsSchema,
  outputs: FieldsSchema,
  query: TemplateMap,
  headers: TemplateMap,
  body: z.unknown().optional(),
  response_mapping: ResponseMappingSchema,
});

const TriggerSchema = z.object({
  id: identifier,
  name: z.string().max(100).optional(),
  type: z.literal("webhook"),
  event: z.string().max(200).optional(),
});

const StepSchema = z
  .object({
    id: identifier,
    action: z.string().min(1).max(200),
    input: z.unknown().optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    depends_on: z.array(identifier).max(50).default([]),
    condition: z.string().max(1000).optional(),
    retry: z.number().int().min(0).max(10).default(0),
    timeout_ms: z.number().int().min(100).max(300_000).optional(),
    on_error: z.enum(["fail", "continue", "fallback"]).default("fail"),
    fallback: z.unknown().optional(),
    output: z.string().max(100).optional(),
  })
  // Steps in the seed carry action-specific keys (prompt, table, to…): kept as parameters.
  .catchall(z.unknown());

const WorkflowSchema = z.object({
  trigger: z.string().max(200).optional(),
  filter: z.string().max(1000).optional(),
  steps: z.array(StepSchema).min(1).max(100),
  error_handling: z.object({ on_error: z.string().max(200).optional(), retry: z.number().int().min(0).max(10).optional() }).optional(),
});

export const ManifestSchema = z.discriminatedUnion(
  "type",
  [
  z.object({ type: z.literal("declarative"), ...common, integration: HttpIntegrationSchema.optional() }),
  z.object({
    type: z.literal("api-connector"),
    ...common,
    api: z.object({ base_url: z.url(), auth: ApiAuthSchema.default({ type: "none" }) }),
    endpoints: z.array(EndpointSchema).min(1).max(100),
    triggers: z.array(TriggerSchema).max(50).default([]),
  }),
  z.object({ type: z.literal("code"), ...common, runtime: z.literal("javascript").default("javascript"), source: z.string().min(1).max(512 * 1024) }),
  z.object({ type: z.literal("workflow"), ...common, workflow: WorkflowSchema }),
  z.object({ type: z.literal("builtin"), ...common }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `expected type to be one of ${MANIFEST_TYPES.join(", ")}` : undefined) },
);

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;
export type ManifestAction = Manifest["actions"][number];

// Organisation policy rules: the zod schema admins' rules must satisfy, and parsing of the
// YAML (or JSON) text they edit into rules or into every error with its field path
// (`rules[2].match.permission[0]: matches no known permission`), never just the first.
// Rules only describe; lib/policy/gate.ts compiles and evaluates them. Pure: no I/O.
import { parseDocument } from "yaml";
import { z } from "zod";
import type { FieldError } from "../errors";
import { zodFieldErrors } from "../http/problem";
import { PERMISSION_NAMES, RISK_LEVELS, type Permission } from "../registry/permissions";

/** Everything the gate can be asked about. Anything else is denied. */
export const POLICY_ACTION_KINDS = ["invoke", "install", "upgrade", "publish", "materialize_task", "revoke"] as const;
export type PolicyActionKind = (typeof POLICY_ACTION_KINDS)[number];

export const POLICY_EFFECTS = ["allow", "deny", "require_approval"] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

/** At most this many rules: the gate's latency target is set for 1,000. */
export const MAX_ORG_RULES = 2000;

/** Permission names matched by a glob (`integration.*`, `*`, or an exact name). */
export function permissionsMatching(pattern: string): Permission[] {
  const re = globToRegExp(pattern);
  return PERMISSION_NAMES.filter((p) => re.test(p));
}

/** `*` stands for any run of characters (dots included); everything else is literal. */
export function globToRegExp(pattern: string, flags = ""): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, flags);
}

/** A value or a list of values, always read as a list (at least one entry). */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v : v === undefined ? v : [v]), z.array(item).min(1, "give at least one value").max(200));

const slugGlob = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9*][a-z0-9*-]{0,63}$/, "expected a capability slug, `*` allowed (e.g. crm-sync or slack-*)");
const actionGlob = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_*][A-Za-z0-9_*-]{0,63}$/, "expected an action name, `*` allowed (e.g. send or list_*)");
const agentGlob = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_*][A-Za-z0-9_*-]{0,63}$/, "expected an agent id, `*` allowed (e.g. agt_…)");
const domainGlob = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9*]([a-z0-9*.-]{0,252})$/, "expected a domain, `*` allowed (e.g. api.example.com or *.example.com)");
const permissionGlob = z
  .string()
  .trim()
  .refine((p) => permissionsMatching(p).length > 0, { error: (iss) => `${JSON.stringify(iss.input)} matches no known permission; known: ${PERMISSION_NAMES.join(", ")}` });
const riskLevel = z.enum(RISK_LEVELS, { error: () => `expected one of ${RISK_LEVELS.join(", ")}` });
const actionKind = z.enum(POLICY_ACTION_KINDS, { error: () => `expected one of ${POLICY_ACTION_KINDS.join(", ")}` });

/**
 * What a rule applies to. Every field given must match (AND); a list matches when any
 * entry does (OR). `permission` / `domain` match when the request asks ANY matching
 * permission / domain (right for deny and require_approval); `permissionsWithin` /
 * `domainsWithin` match only when EVERYTHING the request asks is covered (right for allow,
 * so an upgrade that asks more no longer matches). An empty match matches every request.
 */
export const OrgRuleMatchSchema = z
  .object({
    what: oneOrMany(actionKind).optional(),
    capability: oneOrMany(slugGlob).optional(),
    action: oneOrMany(actionGlob).optional(),
    agent: oneOrMany(agentGlob).optional(),
    risk: oneOrMany(riskLevel).optional(),
    permission: oneOrMany(permissionGlob).optional(),
    permissionsWithin: z.array(permissionGlob).max(200).optional(),
    domain: oneOrMany(domainGlob).optional(),
    domainsWithin: z.array(domainGlob).max(200).optional(),
  })
  .strict();

export const OrgRuleSchema = z
  .object({
    id: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "use 1–128 letters, digits, _ . : and -, starting with a letter or digit"),
    description: z.string().trim().max(500).optional(),
    match: OrgRuleMatchSchema,
    effect: z.enum(POLICY_EFFECTS, { error: () => `expected one of ${POLICY_EFFECTS.join(", ")}` }),
    /** Who may approve when the effect is require_approval (default: the org setting; DANGEROUS is always admin). */
    approver: z.enum(["admin", "any"]).optional(),
  })
  .strict()
  .refine((r) => r.approver === undefined || r.effect === "require_approval", { message: "approver only applies to effect require_approval", path: ["approver"] });

export type OrgRule = z.infer<typeof OrgRuleSchema>;
export type OrgRuleInput = z.input<typeof OrgRuleSchema>;

export const OrgRulesSchema = z
  .array(OrgRuleSchema)
  .max(MAX_ORG_RULES, `at most ${MAX_ORG_RULES} rules`)
  .superRefine((rules, ctx) => {
    for (const e of duplicateIds(rules)) ctx.addIssue({ code: "custom", message: e.message, path: [e.index, "id"] });
  });

function duplicateIds(rules: readonly unknown[]): { index: number; message: string }[] {
  const seen = new Map<string, number>();
  const out: { index: number; message: string }[] = [];
  rules.forEach((r, i) => {
    const id = typeof r === "object" && r !== null ? (r as { id?: unknown }).id : undefined;
    if (typeof id !== "string") return;
    const key = id.trim();
    const first = seen.get(key);
    if (first !== undefined) out.push({ index: i, message: `duplicate rule id ${JSON.stringify(key)} (first used by rules[${first}])` });
    else seen.set(key, i);
  });
  return out;
}

/** Validates rules that arrive as data (a form, JSON); errors carry `rules[i]…` paths. */
export function validateRules(value: unknown): { rules: OrgRule[]; errors: FieldError[] } {
  const parsed = OrgRulesSchema.safeParse(value);
  if (parsed.success) return { rules: parsed.data, errors: [] };
  const errors = zodFieldErrors(parsed.error.issues, "rules");
  // Zod skips the list-level check when a rule is invalid; duplicates are still worth telling.
  if (Array.isArray(value)) {
    for (const d of duplicateIds(value)) {
      const path = `rules[${d.index}].id`;
      if (!errors.some((e) => e.path === path && e.message === d.message)) errors.push({ path, message: d.message });
    }
  }
  return { rules: [], errors };
}

/**
 * Parses the rules document admins edit: either `rules: [...]` or a bare list. An empty
 * document means no rules. On any error no rules are returned (never half a policy).
 */
export function parseRulesYaml(text: string): { rules: OrgRule[]; errors: FieldError[] } {
  if (!text.trim()) return { rules: [], errors: [] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      rules: [],
      errors: doc.errors.map((e) => ({ path: e.linePos ? `(line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "(document)", message: e.message.split("\n")[0]! })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { rules: [], errors: [{ path: "(document)", message: err instanceof Error ? err.message : String(err) }] };
  }
  if (value === null || value === undefined) return { rules: [], errors: [] };
  if (typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const extra = keys.filter((k) => k !== "rules");
    if (extra.length) return { rules: [], errors: extra.map((k) => ({ path: k, message: "unknown key; the document holds `rules:` only" })) };
    value = (value as { rules?: unknown }).rules ?? [];
  }
  if (!Array.isArray(value)) return { rules: [], errors: [{ path: "rules", message: "expected a list of rules" }] };
  return validateRules(value);
}

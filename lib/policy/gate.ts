// The policy gate: a pure function from a request (who asks, what, about which capability,
// in which context) and the organisation's policy to allow / deny / require_approval with
// a reason code, readable reasons and the rule that decided. It runs in front of every
// invoke, install, upgrade, public publish, task materialization and revoke. It denies
// anything it does not understand. Order (see lib/policy/README.md):
//   0. the request must be understood (kind, requester, capability, permissions, risk);
//   1. kill switch: denies any action whose permissions include an external write;
//   2. organisation rules in order, first match wins (a public publish still needs an admin);
//   3. defaults by security level (SAFE allow, MODERATE allow + logged, RESTRICTED approval,
//      DANGEROUS admin approval + full request recorded);
//   4. progressive trust: a standing allow rule is recommended after N approvals, no denial.
// Pure: no I/O, no clock, no randomness; the caller events the decision and acts on it.
// Compile the policy once with compilePolicy (the hot path is then a linear scan of
// precompiled matchers: 1,000 rules in well under a millisecond).
import { z } from "zod";
import { AppError } from "../errors";
import { zodFieldErrors } from "../http/problem";
import { PERMISSIONS, RISK_LEVELS, type Permission, type RiskLevel } from "../registry/permissions";
import { globToRegExp, OrgRulesSchema, permissionsMatching, POLICY_ACTION_KINDS, type OrgRule, type PolicyActionKind, type PolicyEffect } from "./rules";

export { POLICY_ACTION_KINDS, type OrgRule, type PolicyActionKind } from "./rules";

export const SECURITY_LEVELS = ["SAFE", "MODERATE", "RESTRICTED", "DANGEROUS"] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

/** Risk levels of the registry onto the security levels of the seed. */
export const SECURITY_LEVEL_OF_RISK: Record<RiskLevel, SecurityLevel> = { low: "SAFE", medium: "MODERATE", high: "RESTRICTED", critical: "DANGEROUS" };

export const DEFAULT_TRUST_THRESHOLD = 5;

/** The request as the dry-run endpoint accepts it (validate there; the gate re-checks and denies junk). */
export const PolicyRequestSchema = z.object({
  who: z.object({
    userId: z.string().min(1).nullable(),
    role: z.enum(["admin", "member"]).nullable(),
    agentId: z.string().min(1).nullable(),
    tokenId: z.string().min(1).nullable(),
  }),
  what: z.enum(POLICY_ACTION_KINDS),
  capability: z
    .object({
      slug: z.string().min(1).max(64),
      version: z.string().max(64).optional(),
      action: z.string().min(1).max(64).optional(),
      risk: z.enum(RISK_LEVELS).optional(),
      permissions: z.array(z.string()).max(100),
      domains: z.array(z.string()).max(200),
      visibility: z.enum(["private", "public"]).optional(),
    })
    .optional(),
  context: z
    .object({
      recentApprovals: z.number().int().min(0).optional(),
      recentDenials: z.number().int().min(0).optional(),
      killSwitch: z.boolean().optional(),
      /** The request was approved by a person: a require_approval becomes allow (the kill switch and deny rules still deny). */
      approved: z.boolean().optional(),
    })
    .optional(),
});
export type PolicyRequest = z.infer<typeof PolicyRequestSchema>;

export const REASON_CODES = [
  "invalid_request",
  "unknown_action_kind",
  "unknown_requester",
  "missing_capability",
  "missing_action",
  "missing_visibility",
  "unknown_permission",
  "unknown_risk",
  "kill_switch",
  "org_rule_allow",
  "org_rule_deny",
  "org_rule_require_approval",
  "publish_public",
  "default_safe",
  "default_moderate",
  "default_restricted",
  "default_dangerous",
  "publish_private",
  "revoke",
  "approved",
] as const;
export type PolicyReasonCode = (typeof REASON_CODES)[number];

export interface PolicyDecision {
  decision: PolicyEffect;
  reasonCode: PolicyReasonCode;
  reasons: string[];
  /** The org rule that decided, if one did. */
  ruleId: string | null;
  /** From the effective risk (the highest of the declared risk and the permissions'). */
  securityLevel: SecurityLevel;
  /** Who may approve a require_approval ("any": members too, when they are not the requester). */
  approver?: "admin" | "any";
  /** DANGEROUS: the approval and the audit must hold the full request. */
  recordFullRequest: boolean;
  recommendation?: { kind: "standing_rule"; rule: OrgRule };
}

export interface PolicyConfig {
  /** The stored switch OR the POLICY_KILL_SWITCH_EXTERNAL_WRITE env (the caller combines them). */
  killSwitch: boolean;
  rules: readonly OrgRule[];
  /** Approvals with no denial before a standing rule is recommended (default 5). */
  trustThreshold?: number;
  /** The org setting: who approves RESTRICTED requests (default "any"); DANGEROUS is always "admin". */
  restrictedApprover?: "admin" | "any";
}

type Matcher = (value: string) => boolean;

interface CompiledRule {
  rule: OrgRule;
  index: number;
  /** Bitmasks over POLICY_ACTION_KINDS and RISK_LEVELS; 0 = any. */
  what: number;
  risk: number;
  capability: Matcher | null;
  action: Matcher | null;
  agent: Matcher | null;
  permissionAny: ReadonlySet<string> | null;
  permissionsWithin: ReadonlySet<string> | null;
  domainAny: Matcher | null;
  domainPatterns: readonly string[];
  domainsWithin: Matcher | null;
}

export interface CompiledPolicy {
  readonly compiled: true;
  readonly killSwitch: boolean;
  readonly trustThreshold: number;
  readonly restrictedApprover: "admin" | "any";
  readonly rules: readonly CompiledRule[];
}

const KIND_BIT = new Map<string, number>(POLICY_ACTION_KINDS.map((k, i) => [k, 1 << i]));
const RISK_BIT = new Map<string, number>(RISK_LEVELS.map((r, i) => [r, 1 << i]));
const RISK_RANK = new Map<string, number>(RISK_LEVELS.map((r, i) => [r, i]));

const ALWAYS: Matcher = () => true;

/**
 * One matcher for a list of globs: exact names in a Set, the rest as one regular
 * expression. Slugs and domains are lower-cased on both sides before they get here.
 */
function globMatcher(patterns: readonly string[] | undefined): Matcher | null {
  if (!patterns) return null;
  if (patterns.includes("*")) return ALWAYS;
  const exact = new Set(patterns.filter((p) => !p.includes("*")));
  const globs = patterns.filter((p) => p.includes("*"));
  const re = globs.length ? new RegExp(globs.map((g) => globToRegExp(g).source).join("|")) : null;
  if (!re) return (v) => exact.has(v);
  return (v) => exact.has(v) || re.test(v);
}

function permissionSet(patterns: readonly string[] | undefined): ReadonlySet<string> | null {
  if (!patterns) return null;
  return new Set(patterns.flatMap((p) => permissionsMatching(p)));
}

function mask(values: readonly string[] | undefined, bits: Map<string, number>): number {
  let m = 0;
  for (const v of values ?? []) m |= bits.get(v) ?? 0;
  return m;
}

function compileRule(rule: OrgRule, index: number): CompiledRule {
  const m = rule.match;
  return {
    rule,
    index,
    what: mask(m.what, KIND_BIT),
    risk: mask(m.risk, RISK_BIT),
    capability: globMatcher(m.capability),
    action: globMatcher(m.action),
    agent: globMatcher(m.agent),
    permissionAny: permissionSet(m.permission),
    permissionsWithin: permissionSet(m.permissionsWithin),
    domainAny: globMatcher(m.domain),
    domainPatterns: m.domain ?? [],
    // An empty list is meaningful here: "asks no domains at all".
    domainsWithin: m.domainsWithin ? (m.domainsWithin.length ? globMatcher(m.domainsWithin) : () => false) : null,
  };
}

/**
 * Validates and precompiles a policy once; evaluate many requests against the result.
 * Throws a validation_failed AppError (with `rules[i]…` paths) for rules that do not
 * satisfy OrgRuleSchema: a rule the gate cannot read must never be skipped silently.
 */
export function compilePolicy(config: PolicyConfig): CompiledPolicy {
  const parsed = OrgRulesSchema.safeParse(config.rules);
  if (!parsed.success) throw new AppError("validation_failed", "the policy rules are not valid", { errors: zodFieldErrors(parsed.error.issues, "rules") });
  const threshold = config.trustThreshold ?? DEFAULT_TRUST_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1) throw new AppError("validation_failed", "trustThreshold must be a positive integer", { errors: [{ path: "trustThreshold", message: "expected an integer ≥ 1" }] });
  return {
    compiled: true,
    killSwitch: config.killSwitch === true,
    trustThreshold: threshold,
    restrictedApprover: config.restrictedApprover === "admin" ? "admin" : "any",
    rules: parsed.data.map(compileRule),
  };
}

/** The facts a rule matches on, derived once per request. */
interface Facts {
  what: PolicyActionKind;
  kindBit: number;
  slug: string | null;
  action: string | null;
  agentId: string | null;
  risk: RiskLevel;
  riskBit: number;
  permissions: readonly Permission[];
  domains: readonly string[];
  /** The request's wildcard domains (`*.example.com`) as expressions, built once per request. */
  domainGlobs: readonly RegExp[];
}

/** A request domain may itself be a wildcard (`*.example.com`): it also overlaps a rule's domain it covers. */
function domainGlobOverlaps(r: CompiledRule, f: Facts): boolean {
  for (const re of f.domainGlobs) if (r.domainPatterns.some((p) => re.test(p))) return true;
  return false;
}

function ruleMatches(r: CompiledRule, f: Facts): boolean {
  if (r.what && !(r.what & f.kindBit)) return false;
  if (r.risk && !(r.risk & f.riskBit)) return false;
  if (r.capability && (f.slug === null || !r.capability(f.slug))) return false;
  if (r.action && (f.action === null || !r.action(f.action))) return false;
  if (r.agent && (f.agentId === null || !r.agent(f.agentId))) return false;
  if (r.permissionAny) {
    const set = r.permissionAny;
    if (!f.permissions.some((p) => set.has(p))) return false;
  }
  if (r.permissionsWithin) {
    const set = r.permissionsWithin;
    if (!f.permissions.every((p) => set.has(p))) return false;
  }
  if (r.domainAny && !f.domains.some(r.domainAny) && !domainGlobOverlaps(r, f)) return false;
  if (r.domainsWithin && !f.domains.every(r.domainsWithin)) return false;
  return true;
}

const deny = (reasonCode: PolicyReasonCode, reason: string, securityLevel: SecurityLevel = "DANGEROUS", ruleId: string | null = null): PolicyDecision => ({
  decision: "deny",
  reasonCode,
  reasons: [reason],
  ruleId,
  securityLevel,
  recordFullRequest: securityLevel === "DANGEROUS",
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const NEEDS_CAPABILITY = new Set<string>(["invoke", "install", "upgrade", "publish"]);

/**
 * Understands the request or says why not. Typed callers cannot send most of these, but
 * the gate is also fed parsed JSON (the dry run) and stored approvals: it trusts nothing.
 */
function readFacts(request: PolicyRequest): Facts | PolicyDecision {
  const req = request as unknown;
  if (!isObject(req) || !isObject(req.who)) return deny("invalid_request", "the request has no requester (who)");
  const what = req.what;
  if (typeof what !== "string" || !KIND_BIT.has(what)) return deny("unknown_action_kind", `unknown action kind ${JSON.stringify(what)}; known: ${POLICY_ACTION_KINDS.join(", ")}`);
  const kind = what as PolicyActionKind;
  const who = req.who;
  const userId = typeof who.userId === "string" && who.userId ? who.userId : null;
  const agentId = typeof who.agentId === "string" && who.agentId ? who.agentId : null;
  if (who.role !== null && who.role !== undefined && who.role !== "admin" && who.role !== "member") return deny("unknown_requester", `unknown role ${JSON.stringify(who.role)}`);
  if (!userId && !agentId) return deny("unknown_requester", "the request names neither a user nor an agent");

  const cap = req.capability;
  if (cap === undefined || cap === null) {
    if (NEEDS_CAPABILITY.has(kind)) return deny("missing_capability", `${kind} needs the capability it applies to`);
    const risk: RiskLevel = kind === "materialize_task" ? "high" : "low";
    return { what: kind, kindBit: KIND_BIT.get(kind)!, slug: null, action: null, agentId, risk, riskBit: RISK_BIT.get(risk)!, permissions: [], domains: [], domainGlobs: [] };
  }
  if (!isObject(cap) || typeof cap.slug !== "string" || !cap.slug) return deny("missing_capability", "the capability has no slug");
  if (!isStringArray(cap.permissions)) return deny("unknown_permission", "the capability's permissions must be a list of permission names");
  if (!isStringArray(cap.domains)) return deny("invalid_request", "the capability's domains must be a list of domain names");
  if (cap.action !== undefined && typeof cap.action !== "string") return deny("missing_action", "the action must be a name");
  const action = typeof cap.action === "string" && cap.action ? cap.action : null;
  if (kind === "invoke" && !action) return deny("missing_action", "invoke needs the action it runs");
  if (kind === "publish" && cap.visibility !== "public" && cap.visibility !== "private") return deny("missing_visibility", "publish needs the visibility (private or public)");

  let rank = kind === "materialize_task" ? RISK_RANK.get("high")! : 0;
  if (cap.risk !== undefined) {
    const declared = typeof cap.risk === "string" ? RISK_RANK.get(cap.risk) : undefined;
    if (declared === undefined) return deny("unknown_risk", `unknown risk ${JSON.stringify(cap.risk)}; known: ${RISK_LEVELS.join(", ")}`);
    rank = Math.max(rank, declared);
  }
  const unknown = cap.permissions.filter((p) => !Object.hasOwn(PERMISSIONS, p));
  if (unknown.length) return deny("unknown_permission", `unknown permission${unknown.length > 1 ? "s" : ""} ${unknown.map((p) => JSON.stringify(p)).join(", ")}`);
  const permissions = cap.permissions as Permission[];
  for (const p of permissions) rank = Math.max(rank, RISK_RANK.get(PERMISSIONS[p].risk)!);
  const risk = RISK_LEVELS[rank]!;
  const domains = cap.domains.map((d) => d.trim().toLowerCase());
  return {
    what: kind,
    kindBit: KIND_BIT.get(kind)!,
    slug: cap.slug.toLowerCase(),
    action,
    agentId,
    risk,
    riskBit: RISK_BIT.get(risk)!,
    permissions,
    domains,
    domainGlobs: domains.filter((d) => d.includes("*")).map((d) => globToRegExp(d)),
  };
}

const subject = (f: Facts) => (f.slug ? `${f.what} of ${f.slug}${f.action ? `/${f.action}` : ""}` : f.what);

function ruleDecision(r: CompiledRule, f: Facts, level: SecurityLevel, policy: CompiledPolicy): PolicyDecision {
  const { rule } = r;
  const reasons = [`org rule ${rule.id}${rule.description ? ` (${rule.description})` : ""} says ${rule.effect.replace("_", " ")} for ${subject(f)}`];
  const base = { ruleId: rule.id, securityLevel: level, recordFullRequest: level === "DANGEROUS", reasons };
  if (rule.effect === "allow") return { decision: "allow", reasonCode: "org_rule_allow", ...base };
  if (rule.effect === "deny") return { decision: "deny", reasonCode: "org_rule_deny", ...base };
  return { decision: "require_approval", reasonCode: "org_rule_require_approval", approver: level === "DANGEROUS" ? "admin" : (rule.approver ?? policy.restrictedApprover), ...base };
}

function defaultDecision(f: Facts, level: SecurityLevel, policy: CompiledPolicy, isPublishPrivate: boolean): PolicyDecision {
  const why = `${subject(f)} is ${f.risk} risk (${level})`;
  const task = f.what === "materialize_task" ? ["task materialization is at least high risk"] : [];
  if (f.what === "revoke") return { decision: "allow", reasonCode: "revoke", reasons: ["revoking only takes access away"], ruleId: null, securityLevel: level, recordFullRequest: false };
  if (isPublishPrivate) return { decision: "allow", reasonCode: "publish_private", reasons: ["a private publish runs nothing and is seen only inside the organisation"], ruleId: null, securityLevel: level, recordFullRequest: false };
  switch (level) {
    case "SAFE":
      return { decision: "allow", reasonCode: "default_safe", reasons: [`${why}: runs without approval`], ruleId: null, securityLevel: level, recordFullRequest: false };
    case "MODERATE":
      return { decision: "allow", reasonCode: "default_moderate", reasons: [`${why}: runs and is logged`], ruleId: null, securityLevel: level, recordFullRequest: false };
    case "RESTRICTED":
      return { decision: "require_approval", reasonCode: "default_restricted", reasons: [`${why}: needs approval`, ...task], ruleId: null, securityLevel: level, approver: policy.restrictedApprover, recordFullRequest: false };
    case "DANGEROUS":
      return { decision: "require_approval", reasonCode: "default_dangerous", reasons: [`${why}: needs an admin's approval; the full request is recorded`, ...task], ruleId: null, securityLevel: level, approver: "admin", recordFullRequest: true };
  }
}

/** The standing rule an admin may accept after repeated approvals: this agent, this capability and action, no more permissions or domains than now. */
function standingRule(f: Facts, approvals: number): OrgRule {
  const id = `trust-${f.agentId}-${f.slug}${f.action ? `-${f.action}` : ""}-${f.what}`.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 128);
  return {
    id,
    description: `Always allow ${subject(f)} for agent ${f.agentId} (recommended after ${approvals} approvals with no denial)`,
    match: {
      what: [f.what],
      agent: [f.agentId!],
      capability: [f.slug!],
      ...(f.action ? { action: [f.action] } : {}),
      permissionsWithin: [...f.permissions],
      domainsWithin: [...f.domains],
    },
    effect: "allow",
  };
}

/** A require_approval that a person approved: allow, keeping why it needed the approval. */
function approvedDecision(d: PolicyDecision): PolicyDecision {
  const { approver: _approver, recommendation: _recommendation, ...rest } = d;
  return { ...rest, decision: "allow", reasonCode: "approved", reasons: [...d.reasons, "approved by a person"] };
}

/**
 * Decides one request. Pass a CompiledPolicy on hot paths; a plain PolicyConfig is
 * compiled on every call (and may throw for invalid rules, like compilePolicy).
 */
export function evaluatePolicy(request: PolicyRequest, policy: PolicyConfig | CompiledPolicy): PolicyDecision {
  const compiled = "compiled" in policy && policy.compiled === true ? policy : compilePolicy(policy as PolicyConfig);
  const facts = readFacts(request);
  if (!("kindBit" in facts)) return facts;
  const level = SECURITY_LEVEL_OF_RISK[facts.risk];

  // 1. Kill switch: nothing that writes outside the sandbox, whatever else says. Revoking
  // only removes access, and must stay possible during an incident.
  const killSwitch = compiled.killSwitch || request.context?.killSwitch === true;
  if (killSwitch && facts.what !== "revoke") {
    const writes = facts.permissions.filter((p) => PERMISSIONS[p].isExternalWrite);
    if (writes.length) return deny("kill_switch", `the kill switch is on and ${subject(facts)} asks for external writes (${writes.join(", ")})`, level);
  }

  // 2. Organisation rules, first match wins.
  let decision: PolicyDecision | null = null;
  for (const r of compiled.rules) {
    if (ruleMatches(r, facts)) {
      decision = ruleDecision(r, facts, level, compiled);
      break;
    }
  }

  // A public publish always needs an admin: only a deny rule (stricter) overrides it.
  const cap = request.capability;
  if (facts.what === "publish" && cap?.visibility === "public" && decision?.decision !== "deny") {
    const overridden = decision ? [`org rule ${decision.ruleId} (${decision.decision.replace("_", " ")}) cannot lift this`] : [];
    const publishDecision: PolicyDecision = {
      decision: "require_approval",
      reasonCode: "publish_public",
      reasons: ["publishing to the public marketplace always needs an admin's approval", ...overridden],
      ruleId: null,
      securityLevel: level,
      approver: "admin",
      recordFullRequest: true,
    };
    return request.context?.approved === true ? approvedDecision(publishDecision) : publishDecision;
  }

  // 3. Defaults by security level.
  decision ??= defaultDecision(facts, level, compiled, facts.what === "publish");

  // An approved request runs, unless something above denied it (kill switch, a deny rule).
  const ctx = request.context;
  if (ctx?.approved === true && decision.decision === "require_approval") {
    return approvedDecision(decision);
  }

  // 4. Progressive trust.
  if (
    decision.decision === "require_approval" &&
    facts.agentId &&
    facts.slug &&
    typeof ctx?.recentApprovals === "number" &&
    ctx.recentApprovals >= compiled.trustThreshold &&
    ctx.recentDenials === 0
  ) {
    decision.recommendation = { kind: "standing_rule", rule: standingRule(facts, ctx.recentApprovals) };
    decision.reasons.push(`approved ${ctx.recentApprovals} times with no denial: a standing allow rule is recommended`);
  }
  return decision;
}

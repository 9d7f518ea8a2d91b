// Every event type the log accepts, each with the zod schema of its data. An unknown type
// or data that does not match is a bug in the caller and is rejected at append time.
// Adding a type is one entry here. Pure: no I/O.
import { z } from "zod";

export const SEVERITIES = ["info", "warn", "error", "security"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ACTOR_TYPES = ["user", "agent", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

const scopes = z.array(z.string());
const strings = z.array(z.string());
const capabilityRef = { slug: z.string() };

export const EVENT_TYPES = {
  "system.started": { severity: "info", schema: z.object({ version: z.string(), instance: z.string() }) },
  "user.created": {
    severity: "info",
    schema: z.object({ email: z.string(), role: z.string(), via: z.enum(["seed", "signup", "admin"]) }),
  },
  "user.signed_in": { severity: "info", schema: z.object({ email: z.string(), ip: z.string().nullable() }) },
  "user.sign_in_failed": {
    severity: "security",
    schema: z.object({ email: z.string(), ip: z.string().nullable(), reason: z.enum(["bad_credentials", "disabled", "rate_limited"]) }),
  },
  "user.role_changed": { severity: "security", schema: z.object({ from: z.string(), to: z.string() }) },
  "user.disabled_changed": { severity: "security", schema: z.object({ disabled: z.boolean() }) },
  "token.created": {
    severity: "security",
    schema: z.object({ name: z.string(), prefix: z.string(), scopes, expiresAt: z.string().nullable() }),
  },
  "token.revoked": { severity: "security", schema: z.object({ name: z.string(), prefix: z.string() }) },
  "setting.changed": { severity: "security", schema: z.object({ key: z.string(), from: z.unknown(), to: z.unknown() }) },
  "note.recorded": {
    severity: "info",
    schema: z.object({ message: z.string().max(4000), tags: z.array(z.string().max(64)).max(20).optional() }),
  },
  // Registry and marketplace
  "capability.created": { severity: "info", schema: z.object({ ...capabilityRef, name: z.string(), type: z.string(), via: z.enum(["api", "import", "builder", "seed"]) }) },
  "capability.updated": { severity: "info", schema: z.object({ ...capabilityRef, fields: strings }) },
  "capability.draft_saved": { severity: "info", schema: z.object({ ...capabilityRef, version: z.string().nullable(), valid: z.boolean() }) },
  "capability.version_published": {
    severity: "info",
    schema: z.object({ ...capabilityRef, version: z.string(), contentHash: z.string(), visibility: z.enum(["private", "public"]), risk: z.string(), permissions: strings, verdict: z.string() }),
  },
  "capability.version_status_changed": { severity: "warn", schema: z.object({ ...capabilityRef, version: z.string(), from: z.string(), to: z.string(), reason: z.string().optional() }) },
  "capability.review_requested": { severity: "info", schema: z.object({ ...capabilityRef, version: z.string() }) },
  "capability.review_decided": {
    severity: "security",
    schema: z.object({ ...capabilityRef, version: z.string(), decision: z.enum(["approved", "rejected"]), comment: z.string().nullable() }),
  },
  "publisher.verification_changed": { severity: "security", schema: z.object({ userId: z.string(), verified: z.boolean() }) },
  "review.saved": { severity: "info", schema: z.object({ ...capabilityRef, rating: z.number().int(), created: z.boolean() }) },
  // Agents and installations
  "agent.created": { severity: "info", schema: z.object({ name: z.string() }) },
  "agent.updated": { severity: "info", schema: z.object({ fields: strings }) },
  "installation.created": {
    severity: "security",
    schema: z.object({
      ...capabilityRef,
      version: z.string(),
      requested: strings,
      granted: strings,
      configKeys: strings,
      secretKeys: strings,
      requiredBy: z.string().nullable(),
    }),
  },
  "installation.upgrade_pending": { severity: "security", schema: z.object({ ...capabilityRef, from: z.string(), to: z.string(), added: strings, removed: strings }) },
  "installation.upgraded": { severity: "security", schema: z.object({ ...capabilityRef, from: z.string(), to: z.string(), added: strings, removed: strings, granted: strings }) },
  "installation.upgrade_cancelled": { severity: "info", schema: z.object({ ...capabilityRef, from: z.string(), to: z.string() }) },
  "installation.rolled_back": { severity: "warn", schema: z.object({ ...capabilityRef, from: z.string(), to: z.string() }) },
  "installation.config_changed": { severity: "info", schema: z.object({ ...capabilityRef, configKeys: strings, secretKeys: strings }) },
  "installation.permissions_changed": { severity: "security", schema: z.object({ ...capabilityRef, granted: strings, revoked: strings }) },
  "installation.enabled_changed": { severity: "info", schema: z.object({ ...capabilityRef, enabled: z.boolean() }) },
  "installation.uninstalled": { severity: "warn", schema: z.object({ ...capabilityRef, version: z.string() }) },
  // Execution engine (stream: execution/<root execution id>; subject: the agent)
  "execution.started": {
    severity: "info",
    schema: z.object({ executionId: z.string(), ...capabilityRef, version: z.string(), action: z.string(), kind: z.string(), executor: z.string(), attempt: z.number().int() }),
  },
  "execution.succeeded": {
    severity: "info",
    schema: z.object({ executionId: z.string(), ...capabilityRef, action: z.string(), durationMs: z.number(), networkCalls: z.number().int() }),
  },
  "execution.failed": {
    severity: "warn",
    schema: z.object({
      executionId: z.string(),
      ...capabilityRef,
      action: z.string(),
      status: z.enum(["failed", "timed_out", "killed_memory"]),
      errorCode: z.string(),
      message: z.string(),
      step: z.string().nullable(),
      durationMs: z.number(),
    }),
  },
  "execution.denied": { severity: "security", schema: z.object({ executionId: z.string(), ...capabilityRef, action: z.string(), reasonCode: z.string(), reason: z.string() }) },
  "execution.reclaimed": {
    severity: "warn",
    schema: z.object({ executionId: z.string(), ...capabilityRef, action: z.string(), executor: z.string().nullable(), outcome: z.enum(["requeued", "failed"]), attempt: z.number().int() }),
  },
  "execution.step.started": { severity: "info", schema: z.object({ executionId: z.string(), stepExecutionId: z.string(), step: z.string(), action: z.string() }) },
  "execution.step.succeeded": { severity: "info", schema: z.object({ executionId: z.string(), stepExecutionId: z.string(), step: z.string(), action: z.string(), durationMs: z.number() }) },
  "execution.step.failed": {
    severity: "warn",
    schema: z.object({
      executionId: z.string(),
      stepExecutionId: z.string(),
      step: z.string(),
      action: z.string(),
      status: z.string(),
      errorCode: z.string(),
      message: z.string(),
      /** retry: another attempt follows; otherwise what on_error did with the step's failure. */
      handled: z.enum(["fail", "continue", "fallback", "retry"]),
      durationMs: z.number(),
    }),
  },
  "execution.step.skipped": { severity: "info", schema: z.object({ executionId: z.string(), stepExecutionId: z.string().nullable(), step: z.string(), action: z.string(), reason: z.string() }) },
  // Policy (stream: policy/org)
  "policy.kill_switch_changed": { severity: "security", schema: z.object({ on: z.boolean(), reason: z.string().nullable() }) },
  /** Every gate decision, also allow (stream: policy/org; subject: the agent or capability). */
  "policy.evaluated": {
    severity: "info",
    schema: z.object({
      what: z.string(),
      slug: z.string().nullable(),
      version: z.string().nullable(),
      action: z.string().nullable(),
      agentId: z.string().nullable(),
      decision: z.enum(["allow", "deny", "require_approval"]),
      reasonCode: z.string(),
      reasons: strings,
      ruleId: z.string().nullable(),
      securityLevel: z.string(),
      rulesVersion: z.number().int(),
      approvalId: z.string().nullable(),
    }),
  },
  /** A new version of the organisation's rules (via: yaml, form, trust = an accepted recommendation). */
  "policy.rule_changed": {
    severity: "security",
    schema: z.object({
      version: z.number().int(),
      previousVersion: z.number().int().nullable(),
      ruleCount: z.number().int(),
      added: strings,
      removed: strings,
      changed: strings,
      via: z.enum(["yaml", "form", "trust"]),
      comment: z.string().nullable(),
    }),
  },
  // Approvals (stream: approval/<approval id>)
  "approval.requested": {
    severity: "security",
    schema: z.object({
      approvalId: z.string(),
      kind: z.string(),
      slug: z.string().nullable(),
      version: z.string().nullable(),
      action: z.string().nullable(),
      agentId: z.string().nullable(),
      securityLevel: z.string(),
      approver: z.enum(["admin", "any"]),
      reasonCode: z.string(),
      reasons: strings,
      expiresAt: z.string(),
      /** DANGEROUS requests: the full request is recorded in the log too (redacted like all data). */
      request: z.unknown().optional(),
    }),
  },
  "approval.decided": {
    severity: "security",
    schema: z.object({
      approvalId: z.string(),
      kind: z.string(),
      decision: z.enum(["approve", "deny", "hold"]),
      status: z.string(),
      comment: z.string().nullable(),
      slug: z.string().nullable(),
      action: z.string().nullable(),
      agentId: z.string().nullable(),
      executionId: z.string().nullable(),
    }),
  },
  "approval.expired": {
    severity: "warn",
    schema: z.object({ approvalId: z.string(), kind: z.string(), slug: z.string().nullable(), action: z.string().nullable(), agentId: z.string().nullable(), expiresAt: z.string() }),
  },
  // Snippets, previews and tasks, with the seed's event names (stream: snippet/<id>, task/<id>,
  // or system/orphan for events with neither — the seed's ORPHAN task).
  SNIPPET_CREATED: {
    severity: "info",
    schema: z.object({ snippetId: z.string(), title: z.string(), language: z.string(), size: z.number().int(), tags: strings, source: z.string() }),
  },
  SNIPPET_UPDATED: { severity: "info", schema: z.object({ snippetId: z.string(), version: z.number().int(), fields: strings, size: z.number().int() }) },
  SNIPPET_DELETED: { severity: "warn", schema: z.object({ snippetId: z.string(), version: z.number().int() }) },
  PREVIEW_SESSION_CREATED: {
    severity: "info",
    schema: z.object({ previewId: z.string(), snippetId: z.string().nullable(), preset: z.string(), deps: strings, size: z.number().int(), shareExpiresAt: z.string() }),
  },
  PREVIEW_DEP_INJECTED: {
    severity: "info",
    schema: z.object({ previewId: z.string(), snippetId: z.string().nullable(), depId: z.string(), version: z.string(), integrity: z.string(), autoInjected: z.boolean() }),
  },
  PREVIEW_SESSION_OPENED: {
    severity: "info",
    schema: z.object({ previewId: z.string(), snippetId: z.string().nullable(), via: z.enum(["frame", "share"]), userAgent: z.string().nullable(), ip: z.string().nullable() }),
  },
  PREVIEW_SHARE_REVOKED: { severity: "security", schema: z.object({ previewId: z.string(), snippetId: z.string().nullable() }) },
  PREVIEW_CSP_VIOLATION: {
    severity: "security",
    schema: z.object({ previewId: z.string().nullable(), snippetId: z.string().nullable().optional(), directive: z.string(), blockedUri: z.string(), sample: z.string().nullable() }),
  },
  TASK_MATERIALIZED_FROM_SNIPPET: {
    severity: "security",
    schema: z.object({ taskId: z.string(), snippetId: z.string(), snippetVersion: z.number().int(), autoRun: z.boolean(), approvalId: z.string().nullable() }),
  },
  SNIPPET_USED_IN_TASK: { severity: "info", schema: z.object({ taskId: z.string(), snippetId: z.string(), snippetVersion: z.number().int() }) },
  // Capability builder drafts (stream: draft/<id>). Autosaves are not evented: a draft is a
  // private scratchpad; its creation and deletion are what the audit trail needs.
  "draft.created": { severity: "info", schema: z.object({ draftId: z.string(), slug: z.string().nullable(), method: z.string(), size: z.number().int() }) },
  "draft.deleted": { severity: "info", schema: z.object({ draftId: z.string(), slug: z.string().nullable(), revision: z.number().int() }) },
  // Executor processes (stream: executor/<executor id>)
  "executor.started": { severity: "info", schema: z.object({ executorId: z.string(), host: z.string(), pid: z.number().int(), slots: z.number().int() }) },
  "executor.stopped": { severity: "info", schema: z.object({ executorId: z.string(), reason: z.string() }) },
  "executor.lost": {
    severity: "warn",
    schema: z.object({ executorId: z.string(), reason: z.string(), requeued: z.number().int(), failed: z.number().int() }),
  },
} as const satisfies Record<string, { severity: Severity; schema: z.ZodType }>;

export type EventType = keyof typeof EVENT_TYPES;
export type EventData<T extends EventType> = z.input<(typeof EVENT_TYPES)[T]["schema"]>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

// The invoke path of the web process: checks an invocation, queues it for the executors
// and waits for its result. It never runs plugin code (isolated-vm is never imported
// here) and never answers 500 for anything a caller or a plugin does. In order:
//   agent visible to the caller (else 404) → the agent's installation of the capability
//   (absent 404, disabled 409) → the action exists (422, path `action`) → the action needs
//   no withheld permission (else a `denied` row + event, 403) → input valid against the
//   declared inputs (422 with `input.x` paths; 413 when too large) → policy gate (deny: a
//   `denied` row + event, 403) → rate limits per token and per agent (429) → an executor
//   is alive (else 503) and the queue has room (else 429) → enqueue → await the result.
//   The last four are ONE statement (queue/enqueue.ts enqueueIfAdmitted): one round trip
//   and one commit between a checked request and its queued row.
// Rate limits are counted right before the first write (a denied row or the queued one),
// so requests refused for free (404/409/422) cost no counter and nothing can write rows
// or events faster than the limits allow.
// A finished execution answers 200 whatever its status (the HTTP call worked; the
// execution may have failed: see `status` and `error`); one still queued or running when
// the wait ends answers 202 with a link to poll.
import { canAccessAgent, toCaller } from "../../agents/agent-access";
import { actionNeeds } from "../../agents/action-permissions";
import type { RequestIdentity } from "../../auth/authenticate-request";
import { hitRateLimit } from "../../auth/rate-limit";
import type { Db } from "../../db/prisma";
import { getEnv, maxConcurrentExecutions, type Env } from "../../env";
import { AppError, conflict, notFound } from "../../errors";
import { metrics } from "../../metrics";
import { appendEvent } from "../../events/append-event";
import { createApproval } from "../../policy/approvals/create-approval";
import type { InvokePayload } from "../../policy/approvals/deferred-invoke";
import { policyEvaluatedEvent } from "../../policy/evaluate-request";
import { checkInvokeGate, invokePolicyRequest, type InvokeGateDecision, type InvokeGateEvaluation, type InvokeGateRequest } from "../../policy/invoke-gate";
import { decryptInstallationSecrets } from "../../secrets/decrypt-installation-secrets";
import { executionBudgetMs } from "../budget";
import { awaitExecution, type FinishedExecution } from "../queue/await-execution";
import { enqueueIfAdmitted, prepareQueuedInput } from "../queue/enqueue";
import { storableJson } from "../records/store-json";
import { isFinalStatus, type ExecutionError, type ExecutionKind, type ExecutionStatus } from "../types";
import { declaredAction, validateInput } from "../validate-io";
import { parseActionRef, type InvokeBody } from "./invoke-schemas";
import { loadInvocationTarget, loadVersionManifest } from "./load-invocation-target";
import { recordDeniedExecution } from "./record-denied-execution";

/** How long past its own budget an invocation waits for a slot before answering 202. */
export const QUEUE_ALLOWANCE_MS = 30_000;
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Retry-After when no executor is alive: supervisors restart one within seconds. */
export const NO_EXECUTOR_RETRY_AFTER_SECONDS = 5;

export interface InvokeActionOptions {
  agentId: string;
  identity: Pick<RequestIdentity, "userId" | "role" | "actor" | "via" | "tokenId">;
  body: InvokeBody;
  correlationId: string;
  /** Stops waiting (not the execution) when the caller goes away. */
  signal?: AbortSignal;
  /** Overrides the wait (tests); default: the execution's budget + QUEUE_ALLOWANCE_MS. */
  waitMs?: number;
  /** The policy gate; default lib/policy/invoke-gate.ts (tests pass one that denies). */
  gate?: typeof checkInvokeGate;
}

export interface InvokeLinks {
  self: string;
}

export interface InvokeFinishedBody {
  executionId: string;
  status: ExecutionStatus;
  output: unknown;
  durationMs: number | null;
  correlationId: string;
  error?: ExecutionError;
  links: InvokeLinks;
}

export interface InvokePendingBody {
  executionId: string;
  status: "queued" | "running";
  correlationId: string;
  links: InvokeLinks;
}

export interface InvokeApprovalBody {
  approvalId: string;
  status: "pending";
  correlationId: string;
  securityLevel: string;
  approver: "admin" | "any";
  reasons: string[];
  expiresAt: string;
  links: { self: string; html: string; stream: string };
}

export type InvokeOutcome =
  | { kind: "finished"; body: InvokeFinishedBody }
  | { kind: "approval"; body: InvokeApprovalBody }
  | { kind: "pending"; body: InvokePendingBody }
  | { kind: "unavailable"; correlationId: string; detail: string; retryAfterSeconds: number };

const links = (id: string): InvokeLinks => ({ self: `/api/executions/${id}` });

function rejected(reason: string, err: AppError): AppError {
  metrics.invocationsRejected.inc({ reason });
  return err;
}

function rateLimitsOf(env: Env, o: { agentId: string; tokenId?: string }): { key: string; limit: number }[] {
  // The token's limit first: it is the one to report when both are exceeded.
  return [
    ...(o.tokenId ? [{ key: `invoke:token:${o.tokenId}`, limit: env.INVOKE_RATE_LIMIT_PER_TOKEN }] : []),
    { key: `invoke:agent:${o.agentId}`, limit: env.INVOKE_RATE_LIMIT_PER_AGENT },
  ];
}

function rateLimited(which: "token" | "agent", limit: number, retryAfterSeconds: number): AppError {
  const what = which === "token" ? "with this token" : "of this agent";
  return rejected("rate_limited", new AppError("rate_limited", `too many invocations ${what}: at most ${limit} a minute`, { retryAfterSeconds }));
}

/** Counts the rate limits on paths that write without queueing (a denied execution). */
async function enforceRateLimits(db: Db, env: Env, o: { agentId: string; tokenId?: string }): Promise<void> {
  const limits = rateLimitsOf(env, o);
  const states = await Promise.all(limits.map((l) => hitRateLimit(db, l.key, { limit: l.limit, windowMs: RATE_LIMIT_WINDOW_MS })));
  // The counters include this hit: the limit-th call passes, the next one is refused.
  for (const [i, l] of limits.entries()) {
    if (states[i]!.count > l.limit) throw rateLimited(l.key.startsWith("invoke:token:") ? "token" : "agent", l.limit, states[i]!.retryAfterSeconds);
  }
}

/** A denied execution's input is only a record (it never runs): redacted and capped like any record. */
function recordOnlyInputJson(input: Record<string, unknown>, secrets: string[]): string {
  return JSON.stringify(storableJson(input, { secrets }));
}

function finishedBody(row: FinishedExecution): InvokeFinishedBody {
  metrics.executionOutcomes.inc({ capability: row.capabilitySlug, status: row.status });
  if (row.durationMs !== null) metrics.executionDuration.observe({ capability: row.capabilitySlug, status: row.status }, row.durationMs / 1000);
  return {
    executionId: row.id,
    status: row.status,
    output: row.output ?? null,
    durationMs: row.durationMs,
    correlationId: row.correlationId,
    ...(row.error ? { error: row.error } : {}),
    links: links(row.id),
  };
}

/** A stand-in gate (tests) gives only its answer: event it as such. */
function standInEvaluation(r: InvokeGateRequest, d: InvokeGateDecision): InvokeGateEvaluation {
  return {
    request: invokePolicyRequest(r),
    rulesVersion: 0,
    decision: {
      decision: d.decision,
      reasonCode: d.reasonCode as InvokeGateEvaluation["decision"]["reasonCode"],
      reasons: [d.reason],
      ruleId: null,
      securityLevel: "MODERATE",
      recordFullRequest: false,
      ...(d.decision === "require_approval" ? { approver: "admin" as const } : {}),
    },
  };
}

export async function invokeAction(db: Db, o: InvokeActionOptions): Promise<InvokeOutcome> {
  const env = getEnv();
  const caller = toCaller(o.identity, o.correlationId);
  const { slug, action } = parseActionRef(o.body.action);

  const target = await loadInvocationTarget(db, { agentId: o.agentId, slug });
  if (!target || !canAccessAgent(caller, { ownerId: target.ownerId })) throw rejected("not_found", notFound("agent"));
  const inst = target.installation;
  if (!inst) throw rejected("not_installed", new AppError("not_found", `the capability "${slug}" is not installed on this agent`));
  if (!inst.enabled) throw rejected("disabled", conflict(`installation is disabled: enable the installation of "${slug}" on this agent to invoke it`));

  const vm = await loadVersionManifest(db, inst.versionId);
  const declared = declaredAction(vm.manifest, action);
  if (!declared) {
    const known = [...new Set([...vm.manifest.actions.map((a) => a.id), ...(vm.manifest.type === "api-connector" ? vm.manifest.endpoints.map((e) => e.id) : [])])];
    throw rejected(
      "unknown_action",
      new AppError("validation_failed", "the request is not valid", {
        errors: [{ path: "action", message: `"${slug}" has no action "${action}"${known.length ? `; its actions: ${known.join(", ")}` : ""}` }],
      }),
    );
  }
  const kind = vm.manifest.type as ExecutionKind;
  const timeoutMs = executionBudgetMs(vm.manifest, inst.grantedPermissions);
  // Only a capability that declares secret configuration has secrets to keep out of the row.
  const secrets = vm.secretKeys.length ? Object.values(await decryptInstallationSecrets(db, inst.id)) : [];
  const tokenId = o.identity.via === "token" ? (o.identity.tokenId ?? undefined) : undefined;
  const row = {
    agentId: o.agentId,
    installationId: inst.id,
    capabilityId: inst.capabilityId,
    versionId: inst.versionId,
    capabilitySlug: slug,
    version: inst.version,
    action,
    kind,
    correlationId: o.correlationId,
    actor: o.identity.actor,
    tokenId: tokenId ?? null,
    timeoutMs,
  };

  const needs = actionNeeds(vm.installed, vm.installed.actions.find((a) => a.id === action) ?? { id: action }, inst.requestedPermissions);
  const granted = new Set(inst.grantedPermissions);
  const missing = needs.filter((p) => !granted.has(p));
  if (missing.length) {
    await enforceRateLimits(db, env, { agentId: o.agentId, tokenId });
    const reason = `this action needs ${missing.join(", ")}, which the installation does not grant`;
    const denied = await recordDeniedExecution(db, { ...row, inputJson: recordOnlyInputJson(o.body.input, secrets), reasonCode: "permission_denied", reason, secrets });
    metrics.executionOutcomes.inc({ capability: slug, status: "denied" });
    throw rejected(
      "permission_denied",
      new AppError("forbidden", `${reason} (recorded as execution ${denied.id})`, { errors: missing.map((p) => ({ path: "permissions", message: `${p} is not granted` })) }),
    );
  }

  const checked = validateInput(declared.inputs, o.body.input);
  if (checked.errors.length) throw rejected("invalid_input", new AppError("validation_failed", "the input does not match the action's declared inputs", { errors: checked.errors }));
  let input;
  try {
    input = prepareQueuedInput(checked.value, secrets);
  } catch (err) {
    if (err instanceof AppError) throw rejected("invalid_input", err);
    throw err;
  }

  const gateRequest: InvokeGateRequest = {
    agentId: o.agentId,
    userId: o.identity.userId,
    role: o.identity.role,
    via: o.identity.via,
    tokenId: tokenId ?? null,
    capabilitySlug: slug,
    version: inst.version,
    action,
    kind,
    granted: inst.grantedPermissions,
    needs,
    ...(vm.manifest.risk ? { declaredRisk: vm.manifest.risk } : {}),
    domains: vm.manifest.allowed_domains ?? [],
    input: checked.value,
    policyHead: target.policyHead,
  };
  const decision = await (o.gate ?? checkInvokeGate)(db, gateRequest);
  const evaluation = decision.evaluation ?? standInEvaluation(gateRequest, decision);
  if (decision.decision === "deny") {
    await enforceRateLimits(db, env, { agentId: o.agentId, tokenId });
    const [denied] = await Promise.all([
      recordDeniedExecution(db, { ...row, inputJson: recordOnlyInputJson(checked.value, secrets), reasonCode: decision.reasonCode, reason: decision.reason, secrets }),
      appendEvent(db, { ...policyEvaluatedEvent(evaluation.request, evaluation, { actor: o.identity.actor, correlationId: o.correlationId }), secrets }),
    ]);
    metrics.executionOutcomes.inc({ capability: slug, status: "denied" });
    throw rejected("policy_denied", new AppError("policy_denied", `${decision.reason} (recorded as execution ${denied.id})`));
  }
  if (decision.decision === "require_approval") {
    await enforceRateLimits(db, env, { agentId: o.agentId, tokenId });
    const payload: InvokePayload = { installationId: inst.id, capabilityId: inst.capabilityId, versionId: inst.versionId, version: inst.version, kind, timeoutMs, inputJson: input.json, tokenId: tokenId ?? null };
    const approval = await db.$transaction((tx) =>
      createApproval(tx, {
        kind: "invoke",
        request: evaluation.request,
        decision: evaluation.decision,
        rulesVersion: evaluation.rulesVersion,
        requester: { actor: o.identity.actor, userId: o.identity.userId, role: o.identity.role, via: o.identity.via },
        agentId: o.agentId,
        capabilityId: inst.capabilityId,
        display: { input: storableJson(checked.value, { secrets }), permissions: [...needs], domains: [...(vm.manifest.allowed_domains ?? [])] },
        payload: payload as unknown as Record<string, unknown>,
        correlationId: o.correlationId,
        secrets,
      }),
    );
    metrics.invocationsRejected.inc({ reason: "approval_required" });
    return {
      kind: "approval",
      body: {
        approvalId: approval.id,
        status: "pending",
        correlationId: o.correlationId,
        securityLevel: evaluation.decision.securityLevel,
        approver: evaluation.decision.approver ?? "admin",
        reasons: evaluation.decision.reasons,
        expiresAt: approval.expiresAt.toISOString(),
        links: { self: `/api/approvals/${approval.id}`, html: `/approvals?id=${approval.id}`, stream: `/api/events/stream?correlationId=${encodeURIComponent(o.correlationId)}` },
      },
    };
  }

  // Rate limits, executor liveness, the queue bound, the insert and its NOTIFY: one statement.
  const maxConcurrent = maxConcurrentExecutions(env);
  // The allow is evented too; its append (group-committed) runs alongside the enqueue.
  const [admitted] = await Promise.all([
    enqueueIfAdmitted(db, { ...row, input }, {
      rateLimits: rateLimitsOf(env, { agentId: o.agentId, tokenId }),
      rateLimitWindowMs: RATE_LIMIT_WINDOW_MS,
      maxQueued: env.MAX_QUEUED_EXECUTIONS,
      maxConcurrent,
      liveWithinMs: 3 * env.EXECUTION_LEASE_MS,
    }),
    appendEvent(db, { ...policyEvaluatedEvent(evaluation.request, evaluation, { actor: o.identity.actor, correlationId: o.correlationId }), secrets }),
  ]);
  if (!admitted.queued) {
    if (admitted.reason === "rate_limited") throw rateLimited(admitted.key.startsWith("invoke:token:") ? "token" : "agent", admitted.limit, admitted.retryAfterSeconds);
    if (admitted.reason === "no_executor") {
      metrics.invocationsRejected.inc({ reason: "no_executor" });
      return { kind: "unavailable", correlationId: o.correlationId, detail: "no executor is running: start the app with `npm start` or run `npm run worker`", retryAfterSeconds: NO_EXECUTOR_RETRY_AFTER_SECONDS };
    }
    throw rejected(
      "queue_full",
      new AppError("rate_limited", `the execution queue is full (${admitted.waiting} waiting); try again shortly`, {
        // A rough wait: each slot frees about once a second for typical actions; 1–30 s.
        retryAfterSeconds: Math.min(30, Math.max(1, Math.ceil(admitted.waiting / Math.max(1, maxConcurrent)))),
      }),
    );
  }
  const id = admitted.id;
  const finished = await awaitExecution(id, o.waitMs ?? timeoutMs + QUEUE_ALLOWANCE_MS, { signal: o.signal });
  if (finished) return { kind: "finished", body: finishedBody(finished) };

  const now = await db.execution.findUnique({
    where: { id },
    select: { id: true, status: true, output: true, error: true, durationMs: true, correlationId: true, capabilitySlug: true, resources: true },
  });
  if (now && isFinalStatus(now.status)) return { kind: "finished", body: finishedBody(now as unknown as FinishedExecution) };
  return { kind: "pending", body: { executionId: id, status: now?.status === "running" ? "running" : "queued", correlationId: o.correlationId, links: links(id) } };
}

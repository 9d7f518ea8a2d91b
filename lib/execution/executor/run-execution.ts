// Dispatch of one claimed execution inside an executor process: load the version (cached,
// immutable), take the installation as it is now (enabled, grants, config), check the
// action and its permissions, decrypt the installation's secrets (only keys the manifest
// declares as `secret` reach the plugin), run it by type, then check the output against
// the declared outputs.
//   code                       → SandboxPool (pooled isolates; ctx.fetch / ctx.kv host APIs)
//   declarative, api-connector → runConnector (guarded fetch, X-Correlation-Id, request records)
//   workflow                   → runWorkflow; each step that calls `slug.action` runs the SAME
//                                agent's enabled installation of that slug through this same
//                                dispatch, in process (never queued: no deadlock), with a
//                                child row and execution.step.* events per attempt
//   builtin                    → not runnable yet (the snippets issue)
// Never throws: anything that goes wrong becomes a failed outcome. Secrets met during the
// run are collected so that everything stored can be redacted with them.
import { runBuiltin } from "../builtins/run-builtin";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { actionNeeds } from "../../agents/action-permissions";
import type { Db } from "../../db/prisma";
import { log } from "../../log";
import { decryptInstallationSecrets } from "../../secrets/decrypt-installation-secrets";
import { executionBudgetMs } from "../budget";
import { runConnector } from "../connectors/run-connector";
import { makeFetchHost, makeKvHost } from "../host";
import type { ResolveHost } from "../net/guarded-fetch";
import type { ClaimedExecution } from "../queue/claim";
import type { SandboxPool } from "../sandbox/pool";
import { isTestEnvironment } from "../try/types";
import { statusForErrorCode, type ActionOutcome, type ExecutionError, type OutboundRequest } from "../types";
import { declaredAction, validateInput, validateOutput } from "../validate-io";
import { runWorkflow } from "../workflows/run-workflow";
import { BUILTIN_STEP_ACTIONS, type StepInfo, type WorkflowHooks, type WorkflowStepCall } from "../workflows/types";
import { finishStepRow, recordSkippedStep, startStepRow, type StepScope } from "./step-records";
import type { ConfigValue, LoadedVersion, VersionCache } from "./version-cache";

export interface DispatchOptions {
  db: Db;
  pool: SandboxPool;
  versions: VersionCache;
  /** Workflows calling workflows: deeper than this fails (a cycle of workflows would never end). */
  maxWorkflowDepth?: number;
  /** TEST ONLY (ignored outside tests): addresses the guarded fetch may reach, e.g. 127.0.0.1. */
  testOnlyTrustedAddresses?: readonly string[];
  /** TEST ONLY (ignored outside tests): fixed DNS answers, name → address. */
  testOnlyHosts?: Record<string, string>;
}

export interface ExecutionRun {
  outcome: ActionOutcome;
  /** Every secret value the run met (its installation's and, for workflows, its steps'). */
  secrets: string[];
}

/** One installation as a run target. */
interface Target {
  installationId: string;
  version: LoadedVersion;
  enabled: boolean;
  /** Granted ∩ requested by this version (the installation may have moved to another version since). */
  grants: string[];
  config: Record<string, unknown>;
}

interface RunScope {
  o: DispatchOptions;
  root: ClaimedExecution;
  secrets: Set<string>;
  steps: StepScope;
  /** Installations of this agent by slug, resolved once per run. */
  bySlug: Map<string, Promise<Target | null>>;
}

const DEFAULT_MAX_WORKFLOW_DEPTH = 4;
const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_STEP_ACTIONS);

function outcomeOf(status: ActionOutcome["status"], code: string, message: string, wallMs = 0, extra: Partial<ExecutionError> = {}): ActionOutcome {
  return { status, error: { code, message, ...extra }, logs: [], resources: { wallMs, networkCalls: 0 }, requests: [] };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function testLookup(hosts: Record<string, string> | undefined): ResolveHost | undefined {
  if (!hosts || Object.keys(hosts).length === 0) return undefined;
  const fixed = Object.fromEntries(Object.entries(hosts).map(([k, v]) => [k.toLowerCase(), v]));
  return async (name) => {
    const address = fixed[name.toLowerCase()];
    if (address) return [{ address, family: isIP(address) === 6 ? 6 : 4 }];
    const answers = await dnsLookup(name, { all: true, verbatim: true });
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? (6 as const) : (4 as const) }));
  };
}

function toTarget(installationId: string, version: LoadedVersion, i: { enabled: boolean; grantedPermissions: string[]; config: unknown }): Target {
  const requested = new Set(version.permissions);
  return {
    installationId,
    version,
    enabled: i.enabled,
    grants: i.grantedPermissions.filter((p) => requested.has(p)),
    config: isPlainObject(i.config) ? i.config : {},
  };
}

/** Runs one claimed execution to its outcome. Never throws. */
export async function runExecution(o: DispatchOptions, row: ClaimedExecution): Promise<ExecutionRun> {
  const secrets = new Set<string>();
  const scope: RunScope = {
    o,
    root: row,
    secrets,
    steps: { db: o.db, rootId: row.id, agentId: row.agentId, correlationId: row.correlationId, actor: row.actor, tokenId: row.tokenId, secrets },
    bySlug: new Map(),
  };
  const started = performance.now();
  try {
    const versionId = row.versionId ?? row.installation?.versionId ?? null;
    const version = versionId ? await o.versions.get(versionId) : null;
    if (!version) return { outcome: outcomeOf("failed", "version_missing", "the capability version of this execution no longer exists"), secrets: [] };
    if (!row.installationId || !row.installation) {
      return { outcome: outcomeOf("failed", "installation_missing", `${row.capabilitySlug} is no longer installed on this agent`), secrets: [] };
    }
    const target = toTarget(row.installationId, version, row.installation);
    const outcome = await runAction(scope, target, row.action, row.input, row.timeoutMs, row.id, 0);
    return { outcome, secrets: [...secrets] };
  } catch (err) {
    log.error("execution dispatch failed", { executionId: row.id, error: err instanceof Error ? err.message : String(err) });
    return { outcome: outcomeOf("failed", "executor_error", "the executor could not run this execution", performance.now() - started), secrets: [...secrets] };
  }
}

/** Config as the plugin sees it: declared plain keys only, defaults first. */
function configFor(target: Target): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = { ...target.version.configDefaults };
  for (const [k, v] of Object.entries(target.config)) {
    if (target.version.configKeys.has(k) && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) config[k] = v;
  }
  return config;
}

async function secretsFor(scope: RunScope, target: Target): Promise<Record<string, string>> {
  if (target.version.secretKeys.size === 0) return {};
  const all = await decryptInstallationSecrets(scope.o.db, target.installationId);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!target.version.secretKeys.has(k)) continue;
    out[k] = v;
    scope.secrets.add(v);
  }
  return out;
}

async function runAction(scope: RunScope, target: Target, action: string, rawInput: unknown, timeoutMs: number, parentRowId: string, depth: number): Promise<ActionOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const { version } = target;
  const m = version.manifest;
  if (!target.enabled) return outcomeOf("denied", "installation_disabled", `the installation of ${version.slug} on this agent is disabled`);
  const declared = declaredAction(m, action);
  if (!declared) return outcomeOf("failed", "unknown_action", `${version.slug} ${version.version} has no action "${action}"`);

  const def = version.installed.actions.find((a) => a.id === action) ?? { id: action };
  const granted = new Set(target.grants);
  const missing = actionNeeds(version.installed, def, version.permissions).filter((p) => !granted.has(p));
  if (missing.length) {
    return outcomeOf("denied", "permission_denied", `${version.slug}.${action} needs ${missing.join(", ")}, which the installation does not grant`);
  }

  const checked = validateInput(declared.inputs, isPlainObject(rawInput) ? rawInput : {});
  if (checked.errors.length) {
    return outcomeOf("failed", "invalid_input", `the input does not match ${version.slug}.${action}'s declared inputs: ${checked.errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
  }
  const input = checked.value;
  const secrets = await secretsFor(scope, target);
  const config = configFor(target);

  let outcome: ActionOutcome;
  switch (m.type) {
    case "code":
      outcome = await runCode(scope, target, { source: m.source, allowedDomains: m.allowed_domains, action, input, config, secrets, timeoutMs });
      break;
    case "declarative":
    case "api-connector":
      outcome = await runConnectorAction(scope, { manifest: m, action, input, config, secrets, timeoutMs });
      break;
    case "workflow":
      if (depth >= (scope.o.maxWorkflowDepth ?? DEFAULT_MAX_WORKFLOW_DEPTH)) {
        return outcomeOf("failed", "workflow_too_deep", `workflows call each other more than ${scope.o.maxWorkflowDepth ?? DEFAULT_MAX_WORKFLOW_DEPTH} levels deep`);
      }
      outcome = await runWorkflowAction(scope, target, { action, input, config, timeoutMs, parentRowId, depth });
      break;
    case "builtin":
      outcome = await runBuiltin(scope.o.db, { slug: version.slug, action, input, agentId: scope.root.agentId, actor: scope.root.actor, correlationId: scope.root.correlationId });
      break;
    default:
      return outcomeOf("failed", "not_supported", `capabilities of type ${(m as { type: string }).type} cannot run`, elapsed());
  }

  if (outcome.status === "succeeded") {
    const problems = validateOutput(declared.outputs, outcome.output);
    if (problems.length) {
      return {
        ...outcome,
        status: "failed",
        error: { code: "invalid_output", message: `the output does not match the declared outputs: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}` },
      };
    }
  }
  return outcome;
}

async function runCode(
  scope: RunScope,
  target: Target,
  r: { source: string; allowedDomains: readonly string[]; action: string; input: Record<string, unknown>; config: Record<string, ConfigValue>; secrets: Record<string, string>; timeoutMs: number },
): Promise<ActionOutcome> {
  const { o, root } = scope;
  const requests: OutboundRequest[] = [];
  const isTest = isTestEnvironment();
  const result = await o.pool.run({
    cacheKey: target.version.id,
    source: r.source,
    action: r.action,
    input: r.input,
    config: r.config,
    secrets: r.secrets,
    grants: target.grants,
    limits: { timeoutMs: r.timeoutMs },
    host: {
      fetch: makeFetchHost({
        grants: target.grants,
        allowedDomains: r.allowedDomains,
        correlationId: root.correlationId,
        secrets: r.secrets,
        deadline: Date.now() + r.timeoutMs,
        onRequest: (req) => requests.push(req),
        ...(isTest && o.testOnlyTrustedAddresses?.length ? { testOnlyTrustedAddresses: o.testOnlyTrustedAddresses } : {}),
        ...(isTest && testLookup(o.testOnlyHosts) ? { lookup: testLookup(o.testOnlyHosts) } : {}),
      }),
      kv: makeKvHost(o.db, { installationId: target.installationId, grants: target.grants }),
    },
  });
  const resources = { wallMs: result.resources.wallMs, cpuMs: result.resources.cpuMs, heapBytes: result.resources.heapBytes, networkCalls: result.resources.networkCalls ?? requests.length };
  if (result.ok) return { status: "succeeded", output: result.output, logs: result.logs, resources, requests };
  return { status: statusForErrorCode(result.error.code), error: { ...result.error }, logs: result.logs, resources, requests };
}

async function runConnectorAction(
  scope: RunScope,
  r: { manifest: Extract<LoadedVersion["manifest"], { type: "declarative" | "api-connector" }>; action: string; input: Record<string, unknown>; config: Record<string, ConfigValue>; secrets: Record<string, string>; timeoutMs: number },
): Promise<ActionOutcome> {
  const { o, root } = scope;
  const requests: OutboundRequest[] = [];
  const isTest = isTestEnvironment();
  const result = await runConnector({
    manifest: r.manifest,
    action: r.action,
    input: r.input,
    config: r.config,
    secrets: r.secrets,
    timeoutMs: r.timeoutMs,
    correlationId: root.correlationId,
    onRequest: (req) => requests.push(req),
    ...(isTest && o.testOnlyTrustedAddresses?.length ? { testOnlyTrustedAddresses: o.testOnlyTrustedAddresses } : {}),
    ...(isTest && o.testOnlyHosts ? { testOnlyHosts: o.testOnlyHosts } : {}),
  });
  const resources = { wallMs: result.resources.wallMs, networkCalls: result.resources.networkCalls };
  if (result.ok) return { status: "succeeded", output: result.output, logs: result.logs, resources, requests };
  const error = result.error ?? { code: "connector_error", message: "the call failed" };
  return { status: statusForErrorCode(error.code), error: { ...error }, logs: result.logs, resources, requests };
}

/** The agent's installation of `slug`, as a run target (null when not installed). Once per run. */
function resolveSlug(scope: RunScope, slug: string): Promise<Target | null> {
  let hit = scope.bySlug.get(slug);
  if (!hit) {
    hit = (async () => {
      const [i] = await scope.o.db.$queryRaw<{ id: string; version_id: string; enabled: boolean; granted_permissions: string[]; config: unknown }[]>`
        SELECT i.id, i.version_id, i.enabled, i.granted_permissions, i.config
        FROM installations i JOIN capabilities c ON c.id = i.capability_id
        WHERE i.agent_id = ${scope.root.agentId} AND c.slug = ${slug}`;
      if (!i) return null;
      const version = await scope.o.versions.get(i.version_id);
      return version ? toTarget(i.id, version, { enabled: i.enabled, grantedPermissions: i.granted_permissions, config: i.config }) : null;
    })();
    scope.bySlug.set(slug, hit);
  }
  return hit;
}

function splitAction(ref: string): { slug: string; action: string } | null {
  const dot = ref.indexOf(".");
  if (dot <= 0 || dot === ref.length - 1) return null;
  return { slug: ref.slice(0, dot), action: ref.slice(dot + 1) };
}

async function runWorkflowAction(
  scope: RunScope,
  target: Target,
  r: { action: string; input: Record<string, unknown>; config: Record<string, ConfigValue>; timeoutMs: number; parentRowId: string; depth: number },
): Promise<ActionOutcome> {
  const m = target.version.manifest;
  if (m.type !== "workflow") return outcomeOf("failed", "not_supported", "not a workflow");
  // Rows of the attempts in flight, by step and attempt.
  const rows = new Map<string, { rowId: string; timeoutMs?: number }>();
  const key = (stepId: string, attempt: number) => `${stepId}#${attempt}`;

  const hooks: WorkflowHooks = {
    async stepStarted(step: StepInfo) {
      const ref = step.builtin ? null : splitAction(step.action);
      const called = ref ? await resolveSlug(scope, ref.slug) : null;
      const v = called?.version;
      const rowId = await startStepRow(scope.steps, {
        parentId: r.parentRowId,
        stepId: step.stepId,
        attempt: step.attempt,
        action: step.builtin ? step.action : (ref?.action ?? step.action),
        target: called && v ? { installationId: called.installationId, capabilityId: v.capabilityId, versionId: v.id, slug: v.slug, version: v.version, kind: v.type } : null,
        slug: step.builtin ? "" : (ref?.slug ?? ""),
        input: step.input,
        timeoutMs: called && v ? Math.min(r.timeoutMs, executionBudgetMs(v.manifest, called.grants)) : Math.min(r.timeoutMs, 1000),
      });
      rows.set(key(step.stepId, step.attempt), { rowId });
    },
    async stepFinished(step, outcome, handled) {
      const k = key(step.stepId, step.attempt);
      const row = rows.get(k);
      if (!row) return;
      rows.delete(k);
      await finishStepRow(scope.steps, { rowId: row.rowId, stepId: step.stepId, action: step.action, attempt: step.attempt, outcome, handled, timeoutMs: row.timeoutMs });
    },
    async stepSkipped(step) {
      await recordSkippedStep(scope.steps, { stepId: step.stepId, action: step.action, reason: step.reason });
    },
    async callAction(call: WorkflowStepCall): Promise<ActionOutcome> {
      try {
        const ref = splitAction(call.action);
        if (!ref || BUILTINS.has(call.action)) return outcomeOf("failed", "invalid_step", `"${call.action}" is not a capability action (expected slug.action)`);
        const called = await resolveSlug(scope, ref.slug);
        if (!called) return outcomeOf("failed", "dependency_missing", `the step ${call.stepId} calls ${ref.slug}, which is not installed on this agent`);
        // The called capability's own budget holds inside the step's.
        const budget = Math.max(1, Math.min(call.timeoutMs, executionBudgetMs(called.version.manifest, called.grants)));
        const row = rows.get(key(call.stepId, call.attempt));
        if (row) row.timeoutMs = budget;
        return await runAction(scope, called, ref.action, call.input, budget, row?.rowId ?? r.parentRowId, r.depth + 1);
      } catch (err) {
        log.error("workflow step dispatch failed", { executionId: scope.root.id, step: call.stepId, error: err instanceof Error ? err.message : String(err) });
        return outcomeOf("failed", "executor_error", "the executor could not run this step");
      }
    },
  };

  return runWorkflow({ manifest: m, action: r.action, input: r.input, config: r.config, correlationId: scope.root.correlationId, timeoutMs: r.timeoutMs, hooks });
}

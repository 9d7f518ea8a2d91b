// runWorkflow: runs a workflow manifest as a DAG. Steps start as soon as the steps they
// depend on have settled, so independent steps run in parallel (the executor bounds real
// concurrency in callAction). The rules it follows are in ./README.md; in short:
// - a step is skipped when its condition is false, when a step it depends on was skipped,
//   when the run has failed, or when the run's time budget is spent;
// - a failed attempt (failed / timed_out, not denied and not bad input) is retried
//   `retry` times (else error_handling.retry) with a 100 ms × 2^n backoff inside the budget;
// - a final failure is handled by on_error: fail (default: the run fails naming the step,
//   running steps are awaited, outputs are kept), continue (dependents see output null),
//   fallback (the step succeeds with its `fallback`);
// - the output is the only sink's output, or an object of every sink's output by step id.
// It never imports isolated-vm and does no I/O of its own: installed actions run through
// hooks.callAction, which the executor provides.
import type { ActionOutcome, ExecutionError, OutboundRequest } from "../types";
import { TemplateError } from "../templates/template-error";
import { runBuiltinStep } from "./builtin-steps";
import { evaluateExpression, ExpressionError, isTruthy } from "./expression";
import { planWorkflow, type PlannedStep, type WorkflowPlan } from "./plan-workflow";
import { buildStepScope, expressionScope, renderInScope, renderStepInput, type StepScope, type StepView } from "./step-scope";
import type { RunWorkflowOptions, StepInfo, WorkflowOutcome, WorkflowStepResult } from "./types";

export const LOG_LINE_LIMIT = 1000;
export const LOG_BYTE_LIMIT = 256 * 1024;
export const LOG_TRUNCATED_MARKER = "[log truncated: limit of 1000 lines / 256 KB reached]";
/** How long past a step's budget the runner waits for callAction before giving up on it. */
export const UNRESPONSIVE_GRACE_MS = 1000;
export const RETRY_BASE_MS = 100;
/** Failures that another attempt cannot fix. */
const NOT_RETRYABLE = new Set([
  "invalid_input",
  "validation_failed",
  "invalid_schema",
  "template_error",
  "expression_error",
  "unknown_action",
  "not_installed",
  "compile_error",
  "invalid_module",
  "permission_denied",
  "policy_denied",
  "step_unresponsive",
]);
const OUTCOME_STATUSES = new Set(["succeeded", "failed", "timed_out", "killed_memory", "denied"]);

class WorkflowLog {
  readonly lines: string[] = [];
  private bytes = 0;
  private full = false;
  add(stepId: string, line: string): void {
    if (this.full) return;
    const text = `[${stepId}] ${line}`;
    const size = Buffer.byteLength(text, "utf8") + 1;
    if (this.lines.length >= LOG_LINE_LIMIT - 1 || this.bytes + size > LOG_BYTE_LIMIT) {
      this.lines.push(LOG_TRUNCATED_MARKER);
      this.full = true;
      return;
    }
    this.lines.push(text);
    this.bytes += size;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function failedOutcome(startedAt: number, now: () => number, error: ExecutionError, status: ActionOutcome["status"] = "failed"): ActionOutcome {
  return { status, error, logs: [], resources: { wallMs: Math.max(0, now() - startedAt), networkCalls: 0 }, requests: [] };
}

/** What callAction returned, made safe to rely on (it is ours, but a bug must not break the run). */
function normalise(outcome: ActionOutcome | undefined): ActionOutcome {
  const status = outcome && OUTCOME_STATUSES.has(outcome.status) ? outcome.status : "failed";
  return {
    status,
    output: status === "succeeded" ? (outcome?.output ?? null) : undefined,
    error: status === "succeeded" ? undefined : (outcome?.error ?? { code: status, message: `the step ended ${status}` }),
    logs: Array.isArray(outcome?.logs) ? outcome.logs : [],
    resources: outcome?.resources ?? { wallMs: 0, networkCalls: 0 },
    requests: Array.isArray(outcome?.requests) ? outcome.requests : [],
  };
}

function isRetryable(outcome: ActionOutcome): boolean {
  return (outcome.status === "failed" || outcome.status === "timed_out") && !NOT_RETRYABLE.has(outcome.error?.code ?? "");
}

export function retryDelayMs(attempt: number): number {
  return RETRY_BASE_MS * 2 ** (attempt - 1);
}

function invalidWorkflow(startedAt: number, now: () => number, message: string, code = "invalid_workflow"): WorkflowOutcome {
  return { ...failedOutcome(startedAt, now, { code, message }), steps: {} };
}

export async function runWorkflow(o: RunWorkflowOptions): Promise<WorkflowOutcome> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const startedAt = now();
  const deadline = startedAt + o.timeoutMs;
  const { plan, errors } = planWorkflow(o.manifest);
  if (!plan || errors.length) {
    const shown = errors.slice(0, 10).map((e) => `${e.path}: ${e.message}`).join("; ");
    return invalidWorkflow(startedAt, now, `the workflow cannot run: ${shown}${errors.length > 10 ? ` (and ${errors.length - 10} more)` : ""}`);
  }
  if (o.manifest.actions.length && !o.manifest.actions.some((a) => a.id === o.action)) {
    return invalidWorkflow(startedAt, now, `the workflow has no action ${JSON.stringify(o.action)}`, "unknown_action");
  }
  return new WorkflowRun(o, plan, now, sleep, startedAt, deadline).run();
}

interface RunFailure {
  step: string;
  error: ExecutionError;
  status: WorkflowStepResult["status"];
  /** The step timed out because the run's budget, not its own timeout, ran out. */
  outOfTime: boolean;
}

class WorkflowRun {
  private readonly results = new Map<string, WorkflowStepResult>();
  private readonly views = new Map<string, StepView>();
  private readonly log = new WorkflowLog();
  private readonly requests: OutboundRequest[] = [];
  private networkCalls = 0;
  private cpuMs: number | undefined;
  private heapBytes: number | undefined;
  private failure: RunFailure | null = null;
  /** The first step that could not start because the budget was spent. */
  private starved: string | null = null;
  private hookError: { error: unknown } | null = null;

  constructor(
    private readonly o: RunWorkflowOptions,
    private readonly plan: WorkflowPlan,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly startedAt: number,
    private readonly deadline: number,
  ) {}

  async run(): Promise<WorkflowOutcome> {
    const settled = new Map<string, Promise<void>>();
    for (const step of this.plan.steps) {
      // Topological order: the promises of a step's dependencies already exist.
      const deps = step.dependsOn.map((d) => settled.get(d)!);
      settled.set(
        step.id,
        Promise.all(deps)
          .then(() => this.runStep(step))
          .catch((error: unknown) => {
            this.hookError ??= { error };
          }),
      );
    }
    await Promise.all(settled.values());
    // A hook failed (e.g. the executor lost its database): the run's record is incomplete.
    if (this.hookError) throw this.hookError.error;
    return this.outcome();
  }

  private outcome(): WorkflowOutcome {
    const steps = Object.fromEntries(this.plan.steps.map((s) => [s.id, this.results.get(s.id)!]));
    const resources = {
      wallMs: Math.max(0, this.now() - this.startedAt),
      networkCalls: this.networkCalls,
      ...(this.cpuMs !== undefined ? { cpuMs: this.cpuMs } : {}),
      ...(this.heapBytes !== undefined ? { heapBytes: this.heapBytes } : {}),
    };
    const base = { logs: this.log.lines, resources, requests: this.requests, steps };
    if (this.failure) {
      const { step, error, outOfTime } = this.failure;
      if (outOfTime) {
        return { ...base, status: "timed_out", error: { code: "timed_out", step, message: `the workflow's ${this.o.timeoutMs} ms budget ran out during step ${step}` } };
      }
      return { ...base, status: "failed", error: { code: "step_failed", step, message: error.message } };
    }
    if (this.starved) {
      return { ...base, status: "timed_out", error: { code: "timed_out", step: this.starved, message: `the workflow's ${this.o.timeoutMs} ms budget ran out before step ${this.starved} could start` } };
    }
    const sinkOutput = (id: string) => {
      const r = this.results.get(id);
      return r?.status === "skipped" ? null : (r?.output ?? null);
    };
    const sinks = this.plan.sinks;
    const output = sinks.length === 1 ? sinkOutput(sinks[0]!) : Object.fromEntries(sinks.map((id) => [id, sinkOutput(id)]));
    return { ...base, status: "succeeded", output };
  }

  private collect(stepId: string, outcome: ActionOutcome): void {
    for (const line of outcome.logs) this.log.add(stepId, line);
    this.requests.push(...outcome.requests);
    this.networkCalls += outcome.resources.networkCalls ?? 0;
    if (outcome.resources.cpuMs !== undefined) this.cpuMs = (this.cpuMs ?? 0) + outcome.resources.cpuMs;
    if (outcome.resources.heapBytes !== undefined) this.heapBytes = Math.max(this.heapBytes ?? 0, outcome.resources.heapBytes);
  }

  private async skip(step: PlannedStep, reason: string): Promise<void> {
    this.results.set(step.id, { status: "skipped", attempts: 0, durationMs: 0 });
    this.views.set(step.id, { output: null, status: "skipped" });
    this.log.add(step.id, `skipped: ${reason}`);
    await this.o.hooks.stepSkipped?.({ stepId: step.id, action: step.action, builtin: step.builtin !== null, reason });
  }

  private async runStep(step: PlannedStep): Promise<void> {
    if (this.hookError) return this.skip(step, "the run stopped");
    if (this.failure) return this.skip(step, `the run failed at step ${this.failure.step}`);
    const skippedDep = step.dependsOn.find((d) => this.results.get(d)?.status === "skipped");
    if (skippedDep) return this.skip(step, `step ${skippedDep} was skipped`);
    if (this.deadline - this.now() <= 0) {
      this.starved ??= step.id;
      return this.skip(step, "the workflow's time budget is spent");
    }

    const startedAt = this.now();
    const scope = buildStepScope(this.plan, step, this.o.input, this.o.config, this.views);
    if (step.condition) {
      let value: unknown;
      try {
        value = evaluateExpression(step.condition, expressionScope(scope));
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        return this.finishWithoutRunning(step, scope, startedAt, { code: "expression_error", message: `condition: ${err.message}` });
      }
      if (!isTruthy(value)) return this.skip(step, "its condition is false");
    }

    let input: Record<string, unknown>;
    try {
      input = renderStepInput(step, scope);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      return this.finishWithoutRunning(step, scope, startedAt, { code: "template_error", message: err.message });
    }

    const maxAttempts = 1 + (step.step.retry > 0 ? step.step.retry : this.plan.defaultRetry);
    let outcome: ActionOutcome;
    let outOfTime = false;
    let attempts = 0;
    for (let attempt = 1; ; attempt++) {
      attempts = attempt;
      const remaining = Math.max(1, this.deadline - this.now());
      const own = step.step.timeout_ms ?? Infinity;
      const timeoutMs = Math.min(own, remaining);
      const info: StepInfo = { stepId: step.id, action: step.action, input, builtin: step.builtin !== null, attempt };
      await this.o.hooks.stepStarted?.(info);
      const attemptStart = this.now();
      outcome = step.builtin ? this.runBuiltin(step, input, scope, attemptStart) : await this.callAction(info, timeoutMs, attemptStart);
      outOfTime = outcome.status === "timed_out" && remaining <= own;
      const delay = retryDelayMs(attempt);
      const retry = outcome.status !== "succeeded" && attempt < maxAttempts && isRetryable(outcome) && this.deadline - this.now() - delay > 0;
      await this.o.hooks.stepFinished?.(info, outcome, outcome.status === "succeeded" || retry ? null : step.step.on_error);
      this.collect(step.id, outcome);
      if (!retry) break;
      this.log.add(step.id, `attempt ${attempt} ended ${outcome.status} (${outcome.error?.code ?? "error"}): retrying in ${delay} ms`);
      await this.sleep(delay);
    }
    this.settle(step, scope, outcome, attempts, startedAt, outOfTime);
  }

  /** A condition or template that cannot be evaluated: reported as one failed attempt, never retried. */
  private async finishWithoutRunning(step: PlannedStep, scope: StepScope, startedAt: number, error: ExecutionError): Promise<void> {
    const info: StepInfo = { stepId: step.id, action: step.action, input: {}, builtin: step.builtin !== null, attempt: 1 };
    const outcome = failedOutcome(startedAt, this.now, error);
    await this.o.hooks.stepStarted?.(info);
    await this.o.hooks.stepFinished?.(info, outcome, step.step.on_error);
    this.settle(step, scope, outcome, 1, startedAt, false);
  }

  private settle(step: PlannedStep, scope: StepScope, outcome: ActionOutcome, attempts: number, startedAt: number, outOfTime: boolean): void {
    const durationMs = Math.max(0, this.now() - startedAt);
    if (outcome.status === "succeeded") {
      this.results.set(step.id, { status: "succeeded", output: outcome.output, attempts, durationMs });
      this.views.set(step.id, { output: outcome.output ?? null, status: "succeeded" });
      return;
    }
    const error = outcome.error ?? { code: outcome.status, message: `the step ended ${outcome.status}` };
    const status = outcome.status;
    switch (step.step.on_error) {
      case "fallback": {
        let output: unknown = null;
        try {
          output = renderInScope(step.step.fallback, scope);
        } catch (err) {
          if (!(err instanceof TemplateError)) throw err;
        }
        this.log.add(step.id, `${status} (${error.code}): using its fallback`);
        this.results.set(step.id, { status: "succeeded", output, error, attempts, durationMs });
        this.views.set(step.id, { output, status: "succeeded" });
        return;
      }
      case "continue":
        this.log.add(step.id, `${status} (${error.code}): on_error continue`);
        this.results.set(step.id, { status, output: null, error, attempts, durationMs });
        this.views.set(step.id, { output: null, status });
        return;
      default:
        this.results.set(step.id, { status, error, attempts, durationMs });
        this.views.set(step.id, { output: null, status });
        this.failure ??= { step: step.id, error, status, outOfTime };
    }
  }

  private runBuiltin(step: PlannedStep, input: Record<string, unknown>, scope: StepScope, startedAt: number): ActionOutcome {
    try {
      return runBuiltinStep(step, input, expressionScope(scope), this.now);
    } catch {
      return failedOutcome(startedAt, this.now, { code: "step_error", message: `the built-in step ${step.action} could not run` });
    }
  }

  /** callAction with a watchdog: a call that outlives its budget by the grace period ends as timed_out and is not retried. */
  private async callAction(info: StepInfo, timeoutMs: number, startedAt: number): Promise<ActionOutcome> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<ActionOutcome>((resolve) => {
      timer = setTimeout(
        () => resolve(failedOutcome(startedAt, this.now, { code: "step_unresponsive", message: `${info.action} did not finish within its ${timeoutMs} ms budget` }, "timed_out")),
        timeoutMs + UNRESPONSIVE_GRACE_MS,
      );
    });
    const call = Promise.resolve()
      .then(() => this.o.hooks.callAction({ stepId: info.stepId, action: info.action, input: info.input, timeoutMs, attempt: info.attempt }))
      .then(normalise, () => failedOutcome(startedAt, this.now, { code: "step_error", message: `${info.action} could not be run` }));
    try {
      return await Promise.race([call, watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// The contract between the workflow runner and whoever runs it (the executor): how a step
// that calls an installed action is handed over, the hooks that record steps, and the
// shape of a workflow's outcome. Plain data and functions only; no I/O here.
import type { Manifest } from "../../registry/manifest-schema";
import type { ActionOutcome, ExecutionError } from "../types";

/** Step actions that need no capability: they run inside the runner. */
export const BUILTIN_STEP_ACTIONS = ["transform", "validate", "condition"] as const;
export type BuiltinStepAction = (typeof BUILTIN_STEP_ACTIONS)[number];

export interface WorkflowStepCall {
  stepId: string;
  /** "slug.action" of an installed capability. */
  action: string;
  /** Rendered from the step's inputs. */
  input: Record<string, unknown>;
  /** Per-step budget: step.timeout_ms, bounded by what is left of the run. */
  timeoutMs: number;
  /** 1-based. */
  attempt: number;
}

export interface StepInfo {
  stepId: string;
  action: string;
  input: Record<string, unknown>;
  builtin: boolean;
  attempt: number;
}

/**
 * How the runner reports a step's attempt. `handled` says what became of a failure:
 * null when the attempt succeeded OR when another attempt follows (a retry); "fail",
 * "continue" or "fallback" (the step's on_error) when the failure is final.
 */
export type StepHandling = "fail" | "continue" | "fallback" | null;

export interface WorkflowHooks {
  /** Runs one installed action (the executor resolves the slug on the same agent and runs it). Never throws. */
  callAction(call: WorkflowStepCall): Promise<ActionOutcome>;
  /** Before each attempt of a step (built-in steps too). */
  stepStarted?(step: StepInfo): Promise<void> | void;
  /** After each attempt, with its outcome. */
  stepFinished?(step: StepInfo, outcome: ActionOutcome, handled: StepHandling): Promise<void> | void;
  /** A step that will not run (condition false, a dependency skipped, the run failed or ran out of time). */
  stepSkipped?(step: Omit<StepInfo, "input" | "attempt"> & { reason: string }): Promise<void> | void;
}

export interface WorkflowStepResult {
  status: "succeeded" | "failed" | "timed_out" | "killed_memory" | "denied" | "skipped";
  /** Succeeded: the step's output (or its fallback); failed under on_error continue: null. */
  output?: unknown;
  /** The last attempt's error (kept when a fallback replaced the output). */
  error?: ExecutionError;
  attempts: number;
  durationMs: number;
}

export interface WorkflowOutcome extends ActionOutcome {
  steps: Record<string, WorkflowStepResult>;
}

export interface RunWorkflowOptions {
  manifest: Manifest;
  /** The workflow's action id (a workflow's steps are the same for each of its actions). */
  action: string;
  input: Record<string, unknown>;
  /** Non-secret configuration of the workflow's installation. */
  config: Record<string, unknown>;
  correlationId: string;
  /** Budget of the whole run, in ms. */
  timeoutMs: number;
  hooks: WorkflowHooks;
  now?: () => number;
  /** Waits between attempts (retry backoff). Tests may pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
}

// The wall-clock budget of one execution, fixed when it is queued (the row's timeout_ms)
// and enforced by the executor: code → the compute level the installation GRANTED (light
// 1 s, moderate 10 s, heavy 60 s; a withheld level falls back to light); declarative and
// api-connector → 15 s (one 5 s call plus retries); workflows → the sum of their steps'
// budgets (retries included; parallel steps counted as if sequential), capped at 120 s.
// Pure: no I/O, and no isolated-vm (the web process imports this).
import type { Manifest } from "../registry/manifest-schema";

export const COMPUTE_BUDGETS_MS: Readonly<Record<string, number>> = { "compute.light": 1_000, "compute.moderate": 10_000, "compute.heavy": 60_000 };
export const LIGHT_BUDGET_MS = 1_000;
/** A connector's whole budget: one 5 s call plus retries. */
export const CONNECTOR_BUDGET_MS = 15_000;
/** A workflow step that calls an installed action and names no timeout_ms. */
export const DEFAULT_STEP_BUDGET_MS = CONNECTOR_BUDGET_MS;
/** A built-in step (transform, validate, condition): pure and fast. */
export const BUILTIN_STEP_BUDGET_MS = 1_000;
export const WORKFLOW_BUDGET_CAP_MS = 120_000;
/** Built-in workflow step actions: no installed capability is called. */
export const BUILTIN_STEP_ACTIONS: ReadonlySet<string> = new Set(["transform", "validate", "condition"]);

/** The largest compute budget among the granted permissions (light when none is granted). */
export function computeBudgetMs(granted: readonly string[]): number {
  let t = LIGHT_BUDGET_MS;
  for (const p of granted) t = Math.max(t, COMPUTE_BUDGETS_MS[p] ?? 0);
  return t;
}

type WorkflowManifest = Extract<Manifest, { type: "workflow" }>;

export function workflowBudgetMs(manifest: Pick<WorkflowManifest, "workflow">): number {
  const defaultRetry = manifest.workflow.error_handling?.retry ?? 0;
  let sum = 0;
  for (const step of manifest.workflow.steps) {
    const per = step.timeout_ms ?? (BUILTIN_STEP_ACTIONS.has(step.action) ? BUILTIN_STEP_BUDGET_MS : DEFAULT_STEP_BUDGET_MS);
    const attempts = 1 + (step.retry || defaultRetry);
    sum += per * attempts;
    if (sum >= WORKFLOW_BUDGET_CAP_MS) return WORKFLOW_BUDGET_CAP_MS;
  }
  return Math.max(BUILTIN_STEP_BUDGET_MS, sum);
}

/** The wall budget of running one action of `manifest` for an installation that granted `granted`. */
export function executionBudgetMs(manifest: Manifest, granted: readonly string[]): number {
  switch (manifest.type) {
    case "code":
      // Only levels the version requests can have been granted; intersect anyway.
      return computeBudgetMs(granted.filter((p) => (manifest.permissions as readonly string[]).includes(p)));
    case "declarative":
    case "api-connector":
      return CONNECTOR_BUDGET_MS;
    case "workflow":
      return workflowBudgetMs(manifest);
    default:
      // builtin: not runnable yet; the executor answers at once.
      return LIGHT_BUDGET_MS;
  }
}

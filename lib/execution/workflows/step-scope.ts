// What a step can see and how its input is made. A step sees the workflow's input (also
// named `trigger`, the seed's spelling), its non-secret config, and the steps it depends
// on: `steps.<id>.output` and `steps.<id>.status`, or a step's output name
// (`output: extracted_text` → `${extracted_text}`). Only the step's own dependencies are in
// its scope, so what it reads never depends on timing. Secrets are not in scope.
import { readPath, type PathSegment } from "../templates/parse-path";
import { renderValue, type PlaceholderValue } from "../templates/render-value";
import { TemplateError } from "../templates/template-error";
import type { PlannedStep, WorkflowPlan } from "./plan-workflow";

export interface StepView {
  output: unknown;
  status: string;
}

export interface StepScope {
  input: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Own properties only (built with fromEntries), keyed by step id. */
  steps: Record<string, StepView>;
  /** Output names visible to this step → step id. */
  aliases: Map<string, string>;
}

export function buildStepScope(plan: WorkflowPlan, step: PlannedStep, input: Record<string, unknown>, config: Record<string, unknown>, views: Map<string, StepView>): StepScope {
  const steps = Object.fromEntries(step.dependsOn.map((id) => [id, views.get(id) ?? { output: null, status: "skipped" }]));
  const aliases = new Map([...plan.aliases].filter(([, id]) => step.dependsOn.includes(id)));
  return { input, config, steps, aliases };
}

/** Resolves a template placeholder in a step's scope. */
export function resolveInScope(scope: StepScope, path: PathSegment[], shorthand: boolean): PlaceholderValue {
  if (shorthand) return readPath(scope.input, path);
  const [root, ...rest] = path;
  if (root === "input" || root === "trigger") return readPath(scope.input, rest);
  if (root === "config") return readPath(scope.config, rest);
  if (root === "steps") return readPath(scope.steps, rest);
  if (root === "secrets") throw new TemplateError("a workflow cannot read secrets");
  if (typeof root === "string" && scope.aliases.has(root)) return readPath(scope.steps, [scope.aliases.get(root)!, "output", ...rest]);
  return readPath(scope.config, path);
}

/** The names an expression (condition) sees: input, trigger, config, steps and the visible output names. */
export function expressionScope(scope: StepScope): Record<string, unknown> {
  return Object.fromEntries([
    ["input", scope.input],
    ["trigger", scope.input],
    ["config", scope.config],
    ["steps", scope.steps],
    ...[...scope.aliases].map(([alias, id]) => [alias, scope.steps[id]?.output ?? null]),
  ]);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * A step's input: its parameters (extra step keys) overlaid with its rendered `inputs` /
 * `input`. An `input` that renders to something other than an object is passed as
 * `{ input: value }`. Throws TemplateError.
 */
export function renderStepInput(step: PlannedStep, scope: StepScope): Record<string, unknown> {
  const resolve = (path: PathSegment[], shorthand: boolean) => resolveInScope(scope, path, shorthand);
  const params = renderValue(step.params, resolve) as Record<string, unknown>;
  const main = step.main === undefined ? undefined : renderValue(step.main, resolve);
  const mainObject = isPlainObject(main) ? main : main === undefined ? {} : { input: main };
  return { ...params, ...mainObject };
}

/** Renders a template in a step's scope (the fallback value); a missing value is null. */
export function renderInScope(template: unknown, scope: StepScope): unknown {
  return renderValue(template, (path, shorthand) => resolveInScope(scope, path, shorthand)) ?? null;
}

// Turns a workflow manifest into a plan the runner can execute, or into every problem with
// its path. A step depends on the steps in its `depends_on` AND on every step its
// templates (`${steps.x.output…}`, or a step's output name such as `${extracted_text}`)
// and expressions (`condition`, the `if` of a condition step) read. Refused before
// anything runs: cycles, unknown or duplicate ids, references to unknown steps, inputs or
// configuration keys, secrets (a workflow never reads secrets: it would hand them to other
// capabilities), malformed templates and expressions, unknown step actions. Pure.
import type { FieldError } from "../../errors";
import type { Manifest } from "../../registry/manifest-schema";
import type { PathSegment } from "../templates/parse-path";
import { collectPlaceholders } from "../templates/render-value";
import { TemplateError } from "../templates/template-error";
import { ExpressionError, expressionReferences, parseExpression, type ExpressionNode } from "./expression";
import { checkSchema } from "./json-schema-subset";
import { BUILTIN_STEP_ACTIONS, type BuiltinStepAction } from "./types";

export type WorkflowManifest = Extract<Manifest, { type: "workflow" }>;
export type WorkflowStep = WorkflowManifest["workflow"]["steps"][number];

/** The keys a step's schema names; any other key of a step is a parameter of its action. */
const STEP_KEYS = new Set(["id", "action", "input", "inputs", "depends_on", "condition", "retry", "timeout_ms", "on_error", "fallback", "output"]);
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
/** Names with a meaning of their own in templates and expressions: not usable as output names. */
const RESERVED = new Set(["input", "trigger", "config", "steps", "secrets", "true", "false", "null", "in"]);
const ACTION_REF = /^([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\.([A-Za-z_][A-Za-z0-9_-]{0,63})$/;
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export interface PlannedStep {
  id: string;
  index: number;
  action: string;
  builtin: BuiltinStepAction | null;
  step: WorkflowStep;
  /** depends_on plus the steps its templates and expressions read, in declaration order. */
  dependsOn: string[];
  dependents: string[];
  /** The `inputs` (or `input`) template. */
  main: unknown;
  /** The step's extra keys (the seed's `prompt:`, `to:` …), templates too. */
  params: Record<string, unknown>;
  condition: ExpressionNode | null;
  /** The `if` expression of a `condition` step. */
  test: ExpressionNode | null;
}

export interface WorkflowPlan {
  /** Every step after the steps it depends on (declaration order otherwise). */
  steps: PlannedStep[];
  byId: Map<string, PlannedStep>;
  /** Steps nothing depends on, in declaration order: they make the workflow's output. */
  sinks: string[];
  /** Output name (`output: extracted_text`) → step id. */
  aliases: Map<string, string>;
  /** error_handling.retry: extra attempts of a step that sets no retry of its own. */
  defaultRetry: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

function isBuiltin(action: string): action is BuiltinStepAction {
  return (BUILTIN_STEP_ACTIONS as readonly string[]).includes(action);
}

/** A condition may be written bare (`input.n > 3`) or wrapped like a template (`${ input.n > 3 }`). */
export function unwrapExpression(text: string): string {
  const m = /^\s*\$\{([\s\S]*)\}\s*$/.exec(text);
  return m && !m[1]!.includes("${") ? m[1]! : text;
}

/** Parses a condition; ExpressionError with a hint when it was written like a template. */
export function parseCondition(text: string): ExpressionNode {
  try {
    return parseExpression(unwrapExpression(text));
  } catch (err) {
    if (err instanceof ExpressionError && text.includes("${")) {
      throw new ExpressionError(`${err.reason} (write paths directly, e.g. input.x or steps.a.output.n, not \${…})`, err.position);
    }
    throw err;
  }
}

/** Splits a step into its input template and parameters; a condition step's `if` is taken out. */
function stepTemplates(step: WorkflowStep, builtin: BuiltinStepAction | null): { main: unknown; params: Record<string, unknown>; test: unknown; hasTest: boolean } {
  const params: Record<string, unknown> = Object.fromEntries(Object.entries(step).filter(([k]) => !STEP_KEYS.has(k)));
  let main: unknown = step.inputs ?? step.input;
  let test: unknown;
  let hasTest = false;
  if (builtin === "condition") {
    if (isPlainObject(main) && Object.hasOwn(main, "if")) {
      test = main.if;
      hasTest = true;
      main = Object.fromEntries(Object.entries(main).filter(([k]) => k !== "if"));
    } else if (Object.hasOwn(params, "if")) {
      test = params.if;
      hasTest = true;
    }
    delete params.if;
  }
  return { main, params, test, hasTest };
}

/** A cycle through `deps` (id → the ids it points at) as the ids along it, first repeated at the end; null when there is none. */
export function findCycle(ids: Iterable<string>, deps: Map<string, string[]>): string[] | null {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const d of deps.get(id) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const id of ids) {
    const c = visit(id);
    if (c) return c;
  }
  return null;
}

/** The plan of a workflow and every problem found; `plan` is absent when the steps cannot be ordered. */
export function planWorkflow(manifest: Manifest): { plan?: WorkflowPlan; errors: FieldError[] } {
  if (manifest.type !== "workflow") return { errors: [{ path: "type", message: "not a workflow" }] };
  const errors: FieldError[] = [];
  const steps = manifest.workflow.steps;
  const base = (i: number) => `workflow.steps[${i}]`;

  const ids = new Set<string>();
  steps.forEach((s, i) => {
    if (ids.has(s.id)) errors.push({ path: `${base(i)}.id`, message: `duplicate step id ${JSON.stringify(s.id)}` });
    if (FORBIDDEN.has(s.id)) errors.push({ path: `${base(i)}.id`, message: `${JSON.stringify(s.id)} cannot be a step id` });
    ids.add(s.id);
  });

  const configTypes = new Map(manifest.configuration.map((c) => [c.key, c.type]));
  const declaredInputs = new Set(manifest.actions.flatMap((a) => a.inputs.map((f) => f.name)));
  const aliases = new Map<string, string>();
  steps.forEach((s, i) => {
    if (s.output === undefined) return;
    const where = `${base(i)}.output`;
    if (!OUTPUT_NAME.test(s.output) || FORBIDDEN.has(s.output)) errors.push({ path: where, message: "an output name uses letters, digits, _ and -, starting with a letter or _" });
    else if (RESERVED.has(s.output)) errors.push({ path: where, message: `${JSON.stringify(s.output)} is reserved` });
    else if (aliases.has(s.output)) errors.push({ path: where, message: `output name ${JSON.stringify(s.output)} is already used by step ${JSON.stringify(aliases.get(s.output))}` });
    else if (configTypes.has(s.output)) errors.push({ path: where, message: `output name ${JSON.stringify(s.output)} is also a configuration key` });
    else aliases.set(s.output, s.id);
  });

  const checkInput = (name: PathSegment | undefined, where: string) => {
    if (typeof name === "string" && declaredInputs.size > 0 && !declaredInputs.has(name)) errors.push({ path: where, message: `unknown input ${JSON.stringify(name)}` });
  };
  const checkConfig = (key: PathSegment | undefined, where: string) => {
    if (typeof key !== "string") return;
    const type = configTypes.get(key);
    if (type === undefined) errors.push({ path: where, message: `unknown configuration key ${JSON.stringify(key)}; declare it under configuration` });
    else if (type === "secret") errors.push({ path: where, message: `${key} is a secret: a workflow cannot read secrets` });
  };

  const planned: PlannedStep[] = steps.map((s, i) => {
    const builtin = isBuiltin(s.action) ? s.action : null;
    const deps = new Set<string>();
    const self = s.id;
    const stepRef = (id: PathSegment | undefined, where: string) => {
      if (typeof id !== "string") return void errors.push({ path: where, message: "name a step: steps.<id>.output" });
      if (!ids.has(id)) return void errors.push({ path: where, message: `no step ${JSON.stringify(id)}` });
      if (id === self) return void errors.push({ path: where, message: "a step cannot read its own output" });
      deps.add(id);
    };

    if (!builtin && !ACTION_REF.test(s.action)) {
      errors.push({ path: `${base(i)}.action`, message: `expected <capability-slug>.<action-id> or a built-in step (${BUILTIN_STEP_ACTIONS.join(", ")})` });
    } else if (!builtin && ACTION_REF.exec(s.action)![1] === manifest.slug) {
      errors.push({ path: `${base(i)}.action`, message: "a workflow cannot call itself" });
    }

    s.depends_on.forEach((d, j) => {
      const where = `${base(i)}.depends_on[${j}]`;
      if (!ids.has(d)) errors.push({ path: where, message: `no step ${JSON.stringify(d)}` });
      else if (d === self) errors.push({ path: where, message: "a step cannot depend on itself" });
      else deps.add(d);
    });

    const { main, params, test, hasTest } = stepTemplates(s, builtin);
    const mainKey = s.inputs !== undefined ? "inputs" : "input";
    const templates: [unknown, string][] = [
      [main, `${base(i)}.${mainKey}`],
      [params, base(i)],
    ];
    if (s.fallback !== undefined) templates.push([s.fallback, `${base(i)}.fallback`]);
    for (const [template, where] of templates) {
      let refs: ReturnType<typeof collectPlaceholders>;
      try {
        refs = collectPlaceholders(template, where);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        errors.push({ path: where, message: err.message });
        continue;
      }
      for (const ref of refs) {
        const [root, ...rest] = ref.path;
        if (ref.shorthand) checkInput(root, ref.where);
        else if (root === "input" || root === "trigger") checkInput(rest[0], ref.where);
        else if (root === "config") checkConfig(rest[0], ref.where);
        else if (root === "steps") stepRef(rest[0], ref.where);
        else if (root === "secrets") errors.push({ path: ref.where, message: "a workflow cannot read secrets" });
        else if (typeof root === "string" && aliases.has(root)) stepRef(aliases.get(root), ref.where);
        else if (typeof root === "string" && configTypes.has(root)) checkConfig(root, ref.where);
        else errors.push({ path: ref.where, message: `unknown reference ${JSON.stringify(String(root))}: use input.<name>, config.<KEY>, steps.<id>.output or a step's output name` });
      }
    }

    const expression = (text: unknown, where: string): ExpressionNode | null => {
      if (typeof text !== "string") {
        errors.push({ path: where, message: "expected an expression (text)" });
        return null;
      }
      let tree: ExpressionNode;
      try {
        tree = parseCondition(text);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        errors.push({ path: where, message: err.message });
        return null;
      }
      for (const ref of expressionReferences(tree)) {
        const [root, ...rest] = ref.path;
        if (root === "input" || root === "trigger") checkInput(rest[0], where);
        else if (root === "config") checkConfig(rest[0], where);
        else if (root === "steps") stepRef(rest[0], where);
        else if (typeof root === "string" && aliases.has(root)) stepRef(aliases.get(root), where);
        else errors.push({ path: where, message: `unknown name ${JSON.stringify(String(root))} at column ${ref.pos + 1}: use input, config, steps or a step's output name` });
      }
      return tree;
    };
    const condition = s.condition === undefined ? null : expression(s.condition, `${base(i)}.condition`);

    let testTree: ExpressionNode | null = null;
    if (builtin === "condition") {
      const where = s.inputs !== undefined || s.input !== undefined ? `${base(i)}.${mainKey}.if` : `${base(i)}.if`;
      if (!hasTest) errors.push({ path: where, message: "a condition step needs `if`: an expression" });
      else testTree = expression(test, where);
    }
    if (builtin === "validate") {
      const object = isPlainObject(main) ? { ...params, ...main } : null;
      if (object && !Object.hasOwn(object, "value")) errors.push({ path: `${base(i)}.${mainKey}`, message: "a validate step needs `value` (what to check) and `schema`" });
      if (object && !Object.hasOwn(object, "schema")) errors.push({ path: `${base(i)}.${mainKey}`, message: "a validate step needs `schema`" });
      // A literal schema is checked now; one that comes from a template is checked when it runs.
      if (object && isPlainObject(object.schema)) errors.push(...checkSchema(object.schema, `${base(i)}.${mainKey}.schema`));
    }
    if (s.on_error === "fallback" && s.fallback === undefined) errors.push({ path: `${base(i)}.fallback`, message: "on_error: fallback needs a fallback value" });

    return { id: s.id, index: i, action: s.action, builtin, step: s, dependsOn: steps.map((x) => x.id).filter((id) => deps.has(id)), dependents: [], main, params, condition, test: testTree };
  });

  const byId = new Map<string, PlannedStep>();
  for (const p of planned) if (!byId.has(p.id)) byId.set(p.id, p);
  const cycle = findCycle([...byId.keys()], new Map([...byId.values()].map((p) => [p.id, p.dependsOn])));
  if (cycle) {
    errors.push({ path: "workflow.steps", message: `steps depend on each other in a cycle: ${cycle.join(" → ")}` });
    return { errors };
  }
  for (const p of byId.values()) for (const d of p.dependsOn) byId.get(d)!.dependents.push(p.id);

  // Kahn's algorithm, taking the earliest declared ready step first.
  const order: PlannedStep[] = [];
  const placed = new Set<string>();
  const unique = [...byId.values()];
  while (order.length < unique.length) {
    const next = unique.find((p) => !placed.has(p.id) && p.dependsOn.every((d) => placed.has(d)))!;
    placed.add(next.id);
    order.push(next);
  }
  const defaultRetry = manifest.workflow.error_handling?.retry ?? 0;
  return { plan: { steps: order, byId, sinks: unique.filter((p) => p.dependents.length === 0).map((p) => p.id), aliases, defaultRetry }, errors };
}

/** Every problem that would stop the workflow from running, each with its path; [] when it can run. */
export function validateWorkflow(manifest: Manifest): FieldError[] {
  return planWorkflow(manifest).errors;
}

export interface WorkflowGraphNode {
  id: string;
  action: string;
  builtin: boolean;
  /** Explicit and implied (by templates and conditions) dependencies. */
  dependsOn: string[];
}

/** The step graph for display (e.g. the execution page): implied dependencies included; falls back to depends_on when the workflow cannot be planned. */
export function workflowGraph(manifest: Manifest): WorkflowGraphNode[] {
  if (manifest.type !== "workflow") return [];
  const { plan } = planWorkflow(manifest);
  if (plan) return manifest.workflow.steps.map((s) => ({ id: s.id, action: s.action, builtin: isBuiltin(s.action), dependsOn: plan.byId.get(s.id)?.dependsOn ?? s.depends_on }));
  return manifest.workflow.steps.map((s) => ({ id: s.id, action: s.action, builtin: isBuiltin(s.action), dependsOn: [...s.depends_on] }));
}

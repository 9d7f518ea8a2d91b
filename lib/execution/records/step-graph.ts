// The step graph of one workflow execution: the version's manifest steps as nodes, edges
// from `depends_on` and from `${steps.<id>…}` references (a reference implies a
// dependency, as in the workflow runner), each node's layer (longest path from a root, so
// a left→right drawing never points backwards) and its state from the child step rows and
// the step events. Pure: no I/O; the stored manifest is read leniently (it was validated
// when it was published) and anything unexpected is ignored rather than thrown.
import { z } from "zod";

export const STEP_STATES = ["pending", "running", "succeeded", "failed", "timed_out", "killed_memory", "denied", "skipped", "not_run"] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface StepGraphNode {
  id: string;
  /** `slug.action` of an installed capability, or a built-in (transform, validate, condition). */
  action: string;
  builtin: boolean;
  /** Every step this one waits for: depends_on plus the steps its templates read. */
  dependsOn: string[];
  /** 0 for steps that wait for nothing; else one more than the deepest step it waits for. */
  layer: number;
  state: StepState;
  /** The latest child execution row of this step, if it ran. */
  executionId: string | null;
  attempts: number;
  durationMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** How a failure was handled (on_error), from the step.failed event. */
  handled: "fail" | "continue" | "fallback" | null;
  /** Why the step did not run, from the step.skipped event. */
  skipReason: string | null;
  condition: string | null;
  onError: string;
}

export interface StepGraph {
  nodes: StepGraphNode[];
  edges: { from: string; to: string }[];
  /** Number of layers (columns when drawn left to right). */
  layers: number;
}

/** A child step row as the graph needs it. */
export interface StepRowInput {
  id: string;
  stepId: string | null;
  status: string;
  attempts: number;
  durationMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date | string;
}

/** A step event as the graph needs it (execution.step.*). */
export interface StepEventInput {
  type: string;
  data: unknown;
}

const BUILTIN_ACTIONS = new Set(["transform", "validate", "condition"]);
const STEP_REFERENCE = /\bsteps\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\bsteps\s*\[\s*["']([A-Za-z_][A-Za-z0-9_-]*)["']\s*\]/g;

const StepSchema = z.looseObject({
  id: z.string(),
  action: z.string().default(""),
  depends_on: z.array(z.string()).default([]),
  condition: z.string().optional(),
  on_error: z.string().default("fail"),
});
const WorkflowManifestSchema = z.object({ workflow: z.object({ steps: z.array(StepSchema) }) });

function collectStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 20 || out.length > 2000) return;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out, depth + 1);
}

/** Step ids a step's templates and condition read (`${steps.x.output}`, `steps["x"]`). */
export function referencedSteps(step: Record<string, unknown>): string[] {
  const strings: string[] = [];
  for (const [key, value] of Object.entries(step)) if (key !== "id" && key !== "action" && key !== "depends_on") collectStrings(value, strings);
  const found = new Set<string>();
  for (const s of strings) for (const m of s.matchAll(STEP_REFERENCE)) found.add((m[1] ?? m[2])!);
  return [...found];
}

/** Longest-path layers; a step caught in a cycle (never in a published manifest) stays at 0. */
function computeLayers(ids: string[], deps: Map<string, string[]>): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    let l = 0;
    for (const d of deps.get(id) ?? []) l = Math.max(l, visit(d) + 1);
    visiting.delete(id);
    layer.set(id, l);
    return l;
  };
  for (const id of ids) visit(id);
  return layer;
}

const FINAL_ROW_STATES = new Set<string>(["succeeded", "failed", "timed_out", "killed_memory", "denied"]);

export function buildStepGraph(options: { manifest: unknown; rows: StepRowInput[]; events: StepEventInput[]; parentFinal: boolean }): StepGraph | null {
  const parsed = WorkflowManifestSchema.safeParse(options.manifest);
  if (!parsed.success) return null;
  const steps = parsed.data.workflow.steps;
  const ids = steps.map((s) => s.id);
  const known = new Set(ids);

  const deps = new Map<string, string[]>();
  for (const s of steps) {
    const all = [...s.depends_on, ...referencedSteps(s)].filter((d) => d !== s.id && known.has(d));
    deps.set(s.id, [...new Set(all)]);
  }
  const layers = computeLayers(ids, deps);

  // The latest row of each step (a retried step may have one row per attempt).
  const rowsByStep = new Map<string, StepRowInput[]>();
  for (const r of options.rows) {
    if (!r.stepId) continue;
    const list = rowsByStep.get(r.stepId) ?? [];
    list.push(r);
    rowsByStep.set(r.stepId, list);
  }
  const handled = new Map<string, StepGraphNode["handled"]>();
  const skipped = new Map<string, string>();
  const started = new Set<string>();
  for (const e of options.events) {
    const d = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
    const step = typeof d.step === "string" ? d.step : null;
    if (!step) continue;
    if (e.type === "execution.step.started") started.add(step);
    else if (e.type === "execution.step.skipped") skipped.set(step, typeof d.reason === "string" ? d.reason : "skipped");
    else if (e.type === "execution.step.failed" && (d.handled === "fail" || d.handled === "continue" || d.handled === "fallback")) handled.set(step, d.handled);
  }

  const nodes = steps.map((s): StepGraphNode => {
    const rows = (rowsByStep.get(s.id) ?? []).slice().sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || a.id.localeCompare(b.id));
    const latest = rows[rows.length - 1];
    let state: StepState;
    if (latest) state = FINAL_ROW_STATES.has(latest.status) ? (latest.status as StepState) : options.parentFinal ? "not_run" : "running";
    else if (skipped.has(s.id)) state = "skipped";
    else if (started.has(s.id) && !options.parentFinal) state = "running";
    else state = options.parentFinal ? "not_run" : "pending";
    return {
      id: s.id,
      action: s.action,
      builtin: BUILTIN_ACTIONS.has(s.action),
      dependsOn: deps.get(s.id) ?? [],
      layer: layers.get(s.id) ?? 0,
      state,
      executionId: latest?.id ?? null,
      attempts: latest ? Math.max(rows.length, latest.attempts) : 0,
      durationMs: latest?.durationMs ?? null,
      errorCode: latest?.errorCode ?? null,
      errorMessage: latest?.errorMessage ?? null,
      handled: handled.get(s.id) ?? null,
      skipReason: latest ? null : (skipped.get(s.id) ?? null),
      condition: s.condition ?? null,
      onError: s.on_error,
    };
  });
  const edges = nodes.flatMap((n) => n.dependsOn.map((from) => ({ from, to: n.id })));
  return { nodes, edges, layers: nodes.reduce((m, n) => Math.max(m, n.layer + 1), 0) };
}

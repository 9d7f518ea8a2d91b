// The pure parts of the executions UI: one-line summaries of execution and executor events
// and where their subjects link, durations, stored-value markers, the step graph built
// from a workflow manifest (implicit dependencies from templates, layers, states), its
// left→right layout, and the executions page's URL filters.
import { describe, expect, test } from "vitest";
import { subjectHref, summarizeEvent } from "../../components/events/event-format";
import { formatDuration, isTruncatedJson, logLines } from "../../components/executions/execution-format";
import { layoutStepGraph, NODE_WIDTH } from "../../components/executions/step-graph-layout";
import { executionFiltersToParams, matchesExecutionFilters, parseExecutionFilters } from "../../app/(app)/executions/execution-filters";
import { buildStepGraph, referencedSteps } from "../../lib/execution/records/step-graph";

describe("event summaries", () => {
  const s = (type: string, data: Record<string, unknown>) => summarizeEvent({ type, data });

  test("execution events read as sentences", () => {
    expect(s("execution.succeeded", { executionId: "exe_1", slug: "unit-converter", action: "convert", durationMs: 3, networkCalls: 0 })).toBe("unit-converter.convert succeeded in 3 ms");
    expect(s("execution.succeeded", { executionId: "exe_1", slug: "weather", action: "now", durationMs: 1520, networkCalls: 2 })).toBe("weather.now succeeded in 1.52 s · 2 network calls");
    expect(s("execution.failed", { executionId: "e", slug: "text-digest", action: "run", status: "failed", errorCode: "step_failed", message: "bad markdown", step: "render", durationMs: 12 })).toBe(
      "text-digest.run failed at step render: bad markdown",
    );
    expect(s("execution.failed", { executionId: "e", slug: "spin", action: "go", status: "timed_out", errorCode: "timed_out", message: "x", step: null, durationMs: 1000 })).toBe("spin.go timed out after 1.00 s");
    expect(s("execution.failed", { executionId: "e", slug: "bomb", action: "go", status: "killed_memory", errorCode: "killed_memory", message: "x", step: null, durationMs: 80 })).toBe("bomb.go ran out of memory");
    expect(s("execution.denied", { executionId: "e", slug: "mail", action: "send", reasonCode: "permission_denied", reason: "needs network.http.post (withheld)" })).toBe("mail.send denied: needs network.http.post (withheld)");
    expect(s("execution.started", { executionId: "e", slug: "a", version: "1.0.0", action: "b", kind: "code", executor: "exr_01m802kncv1n02sw6as5py56z", attempt: 2 })).toBe("a.b started on exr_…5py56z · attempt 2");
    expect(s("execution.reclaimed", { executionId: "e", slug: "a", action: "b", executor: null, outcome: "requeued", attempt: 2 })).toBe("a.b taken back from a lost executor · requeued (attempt 2)");
  });

  test("step and executor events", () => {
    expect(s("execution.step.succeeded", { executionId: "e", stepExecutionId: "s", step: "render", action: "markdown-to-html.render", durationMs: 4 })).toBe("Step render (markdown-to-html.render) succeeded in 4 ms");
    // The action is not repeated when it is only the step's own name.
    expect(s("execution.step.started", { executionId: "e", stepExecutionId: "s", step: "render", action: "render" })).toBe("Step render started");
    expect(s("execution.step.failed", { executionId: "e", stepExecutionId: "s", step: "fetch", action: "web.get", status: "failed", errorCode: "http_error", message: "503", handled: "fallback", durationMs: 9 })).toBe(
      "Step fetch (web.get) failed: 503 · fallback used",
    );
    expect(s("execution.step.skipped", { executionId: "e", stepExecutionId: "s", step: "notify", action: "transform", reason: "condition was false" })).toBe("Step notify (transform) skipped: condition was false");
    expect(s("executor.started", { executorId: "exr_01m802kncv1n02sw6as5py56z", host: "box", pid: 42, slots: 4 })).toBe("Executor exr_…5py56z started on box (pid 42) · 4 slots");
    expect(s("executor.lost", { executorId: "exr_01m802kncv1n02sw6as5py56z", reason: "no heartbeat", requeued: 2, failed: 1 })).toBe("Executor exr_…5py56z lost: no heartbeat · 2 requeued, 1 failed");
  });

  test("execution streams link to the execution's page", () => {
    expect(subjectHref({ type: "agent", id: "agt_1" }, { streamType: "execution", streamId: "exe_9", data: {} })).toBe("/executions/exe_9");
    expect(subjectHref({ type: "execution", id: "exe_2" })).toBe("/executions/exe_2");
    // Other agent events still go to the agent.
    expect(subjectHref({ type: "agent", id: "agt_1" }, { streamType: "agent", streamId: "agt_1", data: {} })).toBe("/agents/agt_1");
  });
});

describe("formatting", () => {
  test("durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(0.4)).toBe("<1 ms");
    expect(formatDuration(999.4)).toBe("999 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(45_000)).toBe("45.0 s");
    expect(formatDuration(125_000)).toBe("2m 05s");
  });

  test("capped values and logs", () => {
    const capped = { $truncated: true, bytes: 300_000, preview: "{\"a\":" };
    expect(isTruncatedJson(capped)).toBe(true);
    expect(isTruncatedJson({ $truncated: "yes", preview: "" })).toBe(false);
    expect(logLines(["a", { b: 1 }])).toEqual({ lines: ["a", '{"b":1}'], capped: null });
    expect(logLines(capped)).toEqual({ lines: [], capped });
    expect(logLines(null)).toEqual({ lines: [], capped: null });
  });
});

describe("step graph", () => {
  const manifest = {
    workflow: {
      steps: [
        { id: "a", action: "x.y" },
        { id: "b", action: "x.z", inputs: { v: "{{ steps.a.output }}" } },
        { id: "c", action: "transform", depends_on: ["a"], inputs: { both: ["${steps.b.output.v}", { deep: "${steps['a'].output}" }] } },
        { id: "d", action: "condition", condition: 'steps["c"].output.ok == true && input.x > 1' },
        { id: "e", action: "transform", inputs: { self: "${steps.e.output}", ghost: "${steps.nope.output}" } },
      ],
    },
  };

  test("references imply dependencies; self and unknown references do not", () => {
    expect(referencedSteps({ id: "b", action: "q", inputs: { v: "${steps.a.output} and ${steps.z.x}" } }).sort()).toEqual(["a", "z"]);
    const g = buildStepGraph({ manifest, rows: [], events: [], parentFinal: false })!;
    const deps = Object.fromEntries(g.nodes.map((n) => [n.id, n.dependsOn]));
    expect(deps).toEqual({ a: [], b: ["a"], c: ["a", "b"], d: ["c"], e: [] });
    expect(Object.fromEntries(g.nodes.map((n) => [n.id, n.layer]))).toEqual({ a: 0, b: 1, c: 2, d: 3, e: 0 });
    expect(g.layers).toBe(4);
    expect(g.edges).toHaveLength(4);
    expect(g.nodes.every((n) => n.state === "pending")).toBe(true);
    expect(g.nodes.filter((n) => n.builtin).map((n) => n.id)).toEqual(["c", "d", "e"]);
  });

  test("states come from the latest row of each step, then from events", () => {
    const t0 = new Date("2030-01-01T00:00:00Z");
    const later = new Date("2030-01-01T00:00:01Z");
    const rows = [
      { id: "exe_2", stepId: "a", status: "succeeded", attempts: 1, durationMs: 5, errorCode: null, errorMessage: null, createdAt: later },
      { id: "exe_1", stepId: "a", status: "failed", attempts: 1, durationMs: 3, errorCode: "http_error", errorMessage: "503", createdAt: t0 },
      { id: "exe_3", stepId: "b", status: "running", attempts: 1, durationMs: null, errorCode: null, errorMessage: null, createdAt: later },
    ];
    const events = [
      { type: "execution.step.started", data: { step: "c" } },
      { type: "execution.step.skipped", data: { step: "d", reason: "condition was false" } },
    ];
    const running = buildStepGraph({ manifest, rows, events, parentFinal: false })!;
    const state = (g: typeof running) => Object.fromEntries(g.nodes.map((n) => [n.id, n.state]));
    expect(state(running)).toEqual({ a: "succeeded", b: "running", c: "running", d: "skipped", e: "pending" });
    expect(running.nodes[0]).toMatchObject({ executionId: "exe_2", attempts: 2, durationMs: 5, errorCode: null });
    // Once the workflow has finished, nothing is still running or pending.
    expect(state(buildStepGraph({ manifest, rows, events, parentFinal: true })!)).toEqual({ a: "succeeded", b: "not_run", c: "not_run", d: "skipped", e: "not_run" });
  });

  test("a manifest that is not a workflow has no graph", () => {
    expect(buildStepGraph({ manifest: { actions: [] }, rows: [], events: [], parentFinal: true })).toBeNull();
  });

  test("layout: columns by layer, every edge points right, sinks centred", () => {
    const g = buildStepGraph({ manifest, rows: [], events: [], parentFinal: false })!;
    const layout = layoutStepGraph(g.nodes);
    for (const n of g.nodes) expect(layout.nodes.get(n.id)!.column).toBe(n.layer);
    for (const e of g.edges) expect(layout.nodes.get(e.to)!.x).toBeGreaterThan(layout.nodes.get(e.from)!.x + NODE_WIDTH);
    expect(layout.edges).toHaveLength(g.edges.length);
    expect(layout.width).toBeGreaterThan(4 * NODE_WIDTH);
    const fan = layoutStepGraph([
      { id: "p", layer: 0, dependsOn: [] },
      { id: "q", layer: 0, dependsOn: [] },
      { id: "r", layer: 0, dependsOn: [] },
      { id: "sink", layer: 1, dependsOn: ["p", "q", "r"] },
    ]);
    expect(fan.nodes.get("sink")!.y).toBe(fan.nodes.get("q")!.y);
  });
});

describe("executions page filters", () => {
  test("parse only what is valid, in a canonical order, and round-trip through the URL", () => {
    const f = parseExecutionFilters(new URLSearchParams("status=timed_out,bogus,failed&agentId=agt_1&capability=Not%20A%20Slug&correlationId=cor_x"));
    expect(f).toEqual({ status: "failed,timed_out", agentId: "agt_1", capability: "", correlationId: "cor_x" });
    expect(executionFiltersToParams(f).toString()).toBe("status=failed%2Ctimed_out&agentId=agt_1&correlationId=cor_x");
    const e = { status: "failed", agent: { id: "agt_1" }, capability: { slug: "x" }, correlationId: "cor_x" };
    expect(matchesExecutionFilters(f, e)).toBe(true);
    expect(matchesExecutionFilters(f, { ...e, status: "succeeded" })).toBe(false);
    expect(matchesExecutionFilters(f, { ...e, agent: { id: "agt_2" } })).toBe(false);
  });
});

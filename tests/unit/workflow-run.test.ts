// The workflow runner as a DAG: parallelism (proved with deferreds, not sleeps), ordering,
// data flow by templates, retries, timeouts, fallback / continue / fail, conditions,
// built-in steps, the workflow's output, logs and resources, and hook failures.
import { describe, expect, test } from "vitest";
import { runWorkflow, type WorkflowHooks, type WorkflowStepCall } from "@/lib/execution/workflows";
import { LOG_TRUNCATED_MARKER, UNRESPONSIVE_GRACE_MS } from "@/lib/execution/workflows/run-workflow";
import type { ActionOutcome } from "@/lib/execution/types";
import { ManifestSchema, type Manifest } from "@/lib/registry/manifest-schema";

function workflow(steps: unknown[], extra: { error_handling?: unknown; configuration?: unknown[] } = {}): Manifest {
  return ManifestSchema.parse({
    type: "workflow",
    slug: "wf-test",
    name: "Workflow test",
    version: "1.0.0",
    configuration: extra.configuration ?? [],
    workflow: { steps, ...(extra.error_handling ? { error_handling: extra.error_handling } : {}) },
  });
}

const ok = (output: unknown, extra: Partial<ActionOutcome> = {}): ActionOutcome => ({
  status: "succeeded",
  output,
  logs: [],
  resources: { wallMs: 1, networkCalls: 0 },
  requests: [],
  ...extra,
});
const bad = (code: string, message: string, status: ActionOutcome["status"] = "failed"): ActionOutcome => ({
  status,
  error: { code, message },
  logs: [],
  resources: { wallMs: 1, networkCalls: 0 },
  requests: [],
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type Handler = (call: WorkflowStepCall) => Promise<ActionOutcome> | ActionOutcome;

/** Hooks that record everything and answer each "slug.action" with its handler. */
function harness(handlers: Record<string, Handler>) {
  const calls: WorkflowStepCall[] = [];
  const events: string[] = [];
  const hooks: WorkflowHooks = {
    async callAction(call) {
      calls.push(call);
      const handler = handlers[call.action];
      if (!handler) throw new Error(`no handler for ${call.action}`);
      return handler(call);
    },
    stepStarted: (s) => void events.push(`start ${s.stepId}#${s.attempt}${s.builtin ? " builtin" : ""}`),
    stepFinished: (s, outcome, handled) => void events.push(`finish ${s.stepId}#${s.attempt} ${outcome.status} ${handled ?? "-"}`),
    stepSkipped: (s) => void events.push(`skip ${s.stepId}: ${s.reason}`),
  };
  return { hooks, calls, events };
}

function fakeClock() {
  let t = 1_000_000;
  const delays: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => void (t += ms),
    sleep: async (ms: number) => {
      delays.push(ms);
      t += ms;
    },
    delays,
  };
}

const base = { action: "run", input: {}, config: {}, correlationId: "cor_test", timeoutMs: 30_000 };

describe("the DAG", () => {
  test("independent steps run at the same time; a step waits for all it depends on", async () => {
    const a = deferred<ActionOutcome>();
    const b = deferred<ActionOutcome>();
    const bothCalled = deferred<void>();
    const h = harness({
      "x.a": () => {
        if (h.calls.length === 2) bothCalled.resolve();
        return a.promise;
      },
      "x.b": () => {
        if (h.calls.length === 2) bothCalled.resolve();
        return b.promise;
      },
      "x.c": (call) => ok({ sum: (call.input.a as number) + (call.input.b as number) }),
    });
    const m = workflow([
      { id: "a", action: "x.a" },
      { id: "b", action: "x.b" },
      { id: "c", action: "x.c", depends_on: ["a", "b"], inputs: { a: "${steps.a.output.v}", b: "${steps.b.output.v}" } },
    ]);
    const run = runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    // Both calls are in flight while neither has finished: they overlap. A runner that ran
    // them one after the other would never get here (the test would time out).
    await bothCalled.promise;
    expect(h.calls.map((c) => c.stepId)).toEqual(["a", "b"]);
    expect(h.events.filter((e) => e.startsWith("finish"))).toEqual([]);
    b.resolve(ok({ v: 2 }));
    a.resolve(ok({ v: 40 }));
    const out = await run;
    expect(out.status).toBe("succeeded");
    expect(h.calls.map((c) => c.stepId)).toEqual(["a", "b", "c"]);
    expect(h.events.indexOf("start c#1")).toBeGreaterThan(h.events.indexOf("finish a#1 succeeded -"));
    expect(h.events.indexOf("start c#1")).toBeGreaterThan(h.events.indexOf("finish b#1 succeeded -"));
    expect(out.output).toEqual({ sum: 42 });
  });

  test("a reference in a template is a dependency: a chain runs in order whatever the declaration order", async () => {
    const h = harness({
      "x.one": () => ok({ n: 1 }),
      "x.two": (call) => ok({ n: (call.input.n as number) + 1 }),
      "x.three": (call) => ok({ text: call.input.text }),
    });
    const m = workflow([
      { id: "third", action: "x.three", inputs: { text: "n=${steps.second.output.n}" } },
      { id: "second", action: "x.two", inputs: { n: "${steps.first.output.n}" } },
      { id: "first", action: "x.one" },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(h.calls.map((c) => c.stepId)).toEqual(["first", "second", "third"]);
    expect(h.calls[1]!.input).toEqual({ n: 1 });
    expect(out.output).toEqual({ text: "n=2" });
  });

  test("a condition's reference is a dependency too", async () => {
    const h = harness({ "x.a": () => ok({ go: true }), "x.b": () => ok({ done: 1 }) });
    const m = workflow([
      { id: "b", action: "x.b", condition: "steps.a.output.go" },
      { id: "a", action: "x.a" },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(h.calls.map((c) => c.stepId)).toEqual(["a", "b"]);
    expect(out.output).toEqual({ done: 1 });
  });

  test("a cycle (here implied by templates) is refused before anything runs", async () => {
    const h = harness({ "x.a": () => ok({}) });
    const m = workflow([
      { id: "a", action: "x.a", inputs: { v: "${steps.c.output}" } },
      { id: "b", action: "x.a", depends_on: ["a"] },
      { id: "c", action: "x.a", inputs: { v: "${steps.b.output}" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.status).toBe("failed");
    expect(out.error?.code).toBe("invalid_workflow");
    expect(out.error?.message).toContain("cycle");
    expect(out.error?.message).toMatch(/a → (b|c) → .* → a/);
    expect(h.calls).toEqual([]);
    expect(h.events).toEqual([]);
  });

  test("an unknown action of the workflow is refused", async () => {
    const m = ManifestSchema.parse({ type: "workflow", slug: "wf", name: "W", version: "1.0.0", actions: [{ id: "run" }], workflow: { steps: [{ id: "a", action: "transform" }] } });
    const out = await runWorkflow({ ...base, action: "other", manifest: m, hooks: harness({}).hooks });
    expect(out.error?.code).toBe("unknown_action");
  });
});

describe("data flow", () => {
  test("placeholders keep JSON types; text interpolates; shorthand, config, trigger and output names resolve", async () => {
    const h = harness({
      "x.extract": () => ok({ text: "hello", stats: { words: 1, tags: ["a"] }, n: 3 }),
      "x.use": (call) => ok(call.input),
    });
    const m = workflow(
      [
        { id: "extract", action: "x.extract", output: "extracted" },
        {
          id: "use",
          action: "x.use",
          inputs: {
            whole: "${steps.extract.output}",
            stats: "${steps.extract.output.stats}",
            n: "${steps.extract.output.n}",
            text: "${extracted.text} (${steps.extract.output.n} words, ${steps.extract.status})",
            tag: "${extracted.stats.tags[0]}",
            city: "{{city}}",
            fromTrigger: "${trigger.city}",
            units: "${config.UNITS}",
            bare: "${UNITS}",
            list: ["${input.count}", "${input.absent}"],
            absent: "${input.absent}",
            nullish: "${input.nothing}",
            literal: 5,
          },
          prompt: "a parameter: ${input.city}",
        },
      ],
      { configuration: [{ key: "UNITS", type: "string" }] },
    );
    const out = await runWorkflow({ ...base, manifest: m, input: { city: "Oslo", count: 2, nothing: null }, config: { UNITS: "metric" }, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(h.calls[1]!.input).toEqual({
      prompt: "a parameter: Oslo",
      whole: { text: "hello", stats: { words: 1, tags: ["a"] }, n: 3 },
      stats: { words: 1, tags: ["a"] },
      n: 3,
      text: "hello (3 words, succeeded)",
      tag: "a",
      city: "Oslo",
      fromTrigger: "Oslo",
      units: "metric",
      bare: "metric",
      list: [2, null],
      nullish: null,
      literal: 5,
    });
    expect(Object.hasOwn(h.calls[1]!.input, "absent")).toBe(false);
  });

  test("a step's input is a copy: an action cannot change what other steps see", async () => {
    const h = harness({
      "x.make": () => ok({ list: [1] }),
      "x.mutate": (call) => {
        (call.input.list as number[]).push(666);
        return ok({});
      },
      "x.read": (call) => ok(call.input),
    });
    const m = workflow([
      { id: "make", action: "x.make" },
      { id: "mutate", action: "x.mutate", inputs: { list: "${steps.make.output.list}" } },
      { id: "read", action: "x.read", depends_on: ["mutate"], inputs: { list: "${steps.make.output.list}" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.output).toEqual({ list: [1] });
  });

  test("a non-object `input` is passed as { input }, merged over the step's parameters", async () => {
    const h = harness({ "x.a": () => ok("plain text"), "ai.analyze": (call) => ok(call.input) });
    const m = workflow([
      { id: "a", action: "x.a", output: "extracted_text" },
      { id: "b", action: "ai.analyze", input: "${extracted_text}", prompt: "Extract the total" },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.output).toEqual({ input: "plain text", prompt: "Extract the total" });
  });
});

describe("per-step timeout and the run budget", () => {
  test("step.timeout_ms is passed down, bounded by what is left of the run", async () => {
    const clock = fakeClock();
    const h = harness({
      "x.a": () => {
        clock.advance(2_000);
        return ok({});
      },
      "x.b": () => ok({}),
    });
    const m = workflow([
      { id: "a", action: "x.a", timeout_ms: 500 },
      { id: "b", action: "x.b", depends_on: ["a"] },
      { id: "c", action: "x.b", depends_on: ["a"], timeout_ms: 9_000 },
      { id: "d", action: "x.b", depends_on: ["a"], timeout_ms: 1_000 },
    ]);
    const out = await runWorkflow({ ...base, timeoutMs: 10_000, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(out.status).toBe("succeeded");
    const budget = Object.fromEntries(h.calls.map((c) => [c.stepId, c.timeoutMs]));
    expect(budget).toEqual({ a: 500, b: 8_000, c: 8_000, d: 1_000 });
  });

  test("a step that outlives its budget is given up as timed_out after a grace period, and not retried", async () => {
    const h = harness({ "x.hang": () => new Promise<ActionOutcome>(() => {}) });
    const m = workflow([{ id: "hang", action: "x.hang", timeout_ms: 100, retry: 3, on_error: "continue" }]);
    const started = Date.now();
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(100 + UNRESPONSIVE_GRACE_MS - 20);
    expect(elapsed).toBeLessThan(100 + UNRESPONSIVE_GRACE_MS + 1_000);
    expect(out.steps.hang).toMatchObject({ status: "timed_out", attempts: 1, error: { code: "step_unresponsive" } });
    expect(h.calls).toHaveLength(1);
  });

  test("a step that times out because the run's budget ran out ends the run as timed_out", async () => {
    const clock = fakeClock();
    const h = harness({
      "x.slow": (call) => {
        clock.advance(call.timeoutMs);
        return bad("timed_out", "timed out", "timed_out");
      },
      "x.fast": () => ok({}),
    });
    const m = workflow([
      { id: "slow", action: "x.slow" },
      { id: "after", action: "x.fast", depends_on: ["slow"] },
    ]);
    const out = await runWorkflow({ ...base, timeoutMs: 1_000, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(out.status).toBe("timed_out");
    expect(out.error).toMatchObject({ code: "timed_out", step: "slow" });
    expect(out.steps.after?.status).toBe("skipped");
  });

  test("a step that cannot start because the budget is spent is skipped and the run is timed_out", async () => {
    const clock = fakeClock();
    const h = harness({
      "x.a": () => {
        clock.advance(1_000);
        return ok({ v: 1 });
      },
    });
    const m = workflow([
      { id: "a", action: "x.a" },
      { id: "b", action: "x.a", depends_on: ["a"] },
    ]);
    const out = await runWorkflow({ ...base, timeoutMs: 1_000, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(out.status).toBe("timed_out");
    expect(out.error).toMatchObject({ code: "timed_out", step: "b" });
    expect(out.steps.a).toMatchObject({ status: "succeeded", output: { v: 1 } });
    expect(h.events).toContain("skip b: the workflow's time budget is spent");
  });
});

describe("retry", () => {
  test("a failing step is retried `retry` times with a 100 ms × 2^n backoff", async () => {
    const clock = fakeClock();
    let n = 0;
    const h = harness({ "x.flaky": () => (++n < 3 ? bad("plugin_error", `boom ${n}`) : ok({ n })) });
    const m = workflow([{ id: "flaky", action: "x.flaky", retry: 3 }]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ n: 3 });
    expect(out.steps.flaky?.attempts).toBe(3);
    expect(clock.delays).toEqual([100, 200]);
    expect(h.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(h.events).toEqual(["start flaky#1", "finish flaky#1 failed -", "start flaky#2", "finish flaky#2 failed -", "start flaky#3", "finish flaky#3 succeeded -"]);
  });

  test("after the last attempt the failure is final; timed_out is retried too", async () => {
    const clock = fakeClock();
    const h = harness({ "x.down": () => bad("timed_out", "too slow", "timed_out") });
    const m = workflow([{ id: "down", action: "x.down", retry: 2, timeout_ms: 100 }]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(out.steps.down).toMatchObject({ status: "timed_out", attempts: 3 });
    expect(clock.delays).toEqual([100, 200]);
    expect(h.events.filter((e) => e.startsWith("finish"))).toEqual(["finish down#1 timed_out -", "finish down#2 timed_out -", "finish down#3 timed_out fail"]);
    expect(out.status).toBe("failed");
    expect(out.error).toEqual({ code: "step_failed", step: "down", message: "too slow" });
  });

  test.each([
    ["denied", bad("permission_denied", "not granted", "denied")],
    ["invalid input", bad("invalid_input", "text: required")],
    ["killed_memory", bad("killed_memory", "out of memory", "killed_memory")],
  ])("%s is not retried", async (_label, outcome) => {
    const h = harness({ "x.a": () => outcome });
    const m = workflow([{ id: "a", action: "x.a", retry: 5 }]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks, sleep: async () => {} });
    expect(h.calls).toHaveLength(1);
    expect(out.steps.a?.attempts).toBe(1);
    expect(out.steps.a?.status).toBe(outcome.status);
  });

  test("error_handling.retry is the default for steps that set none", async () => {
    const h = harness({ "x.a": () => bad("plugin_error", "no") });
    const m = workflow([{ id: "a", action: "x.a", on_error: "continue" }], { error_handling: { retry: 2 } });
    await runWorkflow({ ...base, manifest: m, hooks: h.hooks, sleep: async () => {} });
    expect(h.calls).toHaveLength(3);
  });

  test("retries stop when the next wait would not fit in the run's budget", async () => {
    const clock = fakeClock();
    const h = harness({ "x.a": () => bad("plugin_error", "no") });
    const m = workflow([{ id: "a", action: "x.a", retry: 5 }]);
    const out = await runWorkflow({ ...base, timeoutMs: 250, manifest: m, hooks: h.hooks, now: clock.now, sleep: clock.sleep });
    expect(clock.delays).toEqual([100]);
    expect(h.calls.map((c) => c.timeoutMs)).toEqual([250, 150]);
    expect(out.steps.a?.attempts).toBe(2);
  });
});

describe("on_error", () => {
  test("fallback: the step succeeds with its fallback and its dependents use it", async () => {
    const h = harness({ "x.lookup": () => bad("http_error", "503 from upstream"), "x.use": (call) => ok(call.input) });
    const m = workflow([
      { id: "lookup", action: "x.lookup", on_error: "fallback", fallback: { rate: 1, note: "default for ${input.currency}" } },
      { id: "use", action: "x.use", inputs: { rate: "${steps.lookup.output.rate}", note: "${steps.lookup.output.note}" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, input: { currency: "EUR" }, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ rate: 1, note: "default for EUR" });
    expect(out.steps.lookup).toMatchObject({ status: "succeeded", output: { rate: 1, note: "default for EUR" }, error: { code: "http_error" } });
    expect(h.events).toContain("finish lookup#1 failed fallback");
  });

  test("continue: the failure is recorded, the run goes on and dependents see output null", async () => {
    const h = harness({ "x.a": () => bad("plugin_error", "a broke"), "x.b": (call) => ok(call.input) });
    const m = workflow([
      { id: "a", action: "x.a", on_error: "continue" },
      { id: "b", action: "x.b", inputs: { whole: "${steps.a.output}", part: "${steps.a.output.text}", status: "${steps.a.status}" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(out.steps.a).toMatchObject({ status: "failed", output: null, error: { code: "plugin_error", message: "a broke" } });
    expect(out.output).toEqual({ whole: null, status: "failed" });
    expect(h.events).toContain("finish a#1 failed continue");
  });

  test("fail (the default): the run fails naming the step; running steps are awaited, later ones skipped, outputs kept", async () => {
    const slow = deferred<ActionOutcome>();
    const slowCalled = deferred<void>();
    const h = harness({
      "x.ok": () => ok({ fine: true }),
      "x.slow": () => {
        slowCalled.resolve();
        return slow.promise;
      },
      "x.broken": async () => {
        await slowCalled.promise;
        return bad("plugin_error", "TypeError: x is undefined");
      },
    });
    const m = workflow([
      { id: "first", action: "x.ok" },
      { id: "slow", action: "x.slow" },
      { id: "broken", action: "x.broken", depends_on: ["first"] },
      { id: "afterSlow", action: "x.ok", depends_on: ["slow"] },
      { id: "afterBroken", action: "x.ok", depends_on: ["broken"] },
    ]);
    const run = runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    // Let "broken" fail while "slow" is still running, then let "slow" finish.
    await slowCalled.promise;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    slow.resolve(ok({ slow: "done" }));
    const out = await run;
    expect(out.status).toBe("failed");
    expect(out.error).toEqual({ code: "step_failed", step: "broken", message: "TypeError: x is undefined" });
    expect(out.output).toBeUndefined();
    expect(out.steps.first).toMatchObject({ status: "succeeded", output: { fine: true } });
    expect(out.steps.slow).toMatchObject({ status: "succeeded", output: { slow: "done" } });
    expect(out.steps.broken).toMatchObject({ status: "failed", attempts: 1 });
    expect(out.steps.afterSlow?.status).toBe("skipped");
    expect(out.steps.afterBroken?.status).toBe("skipped");
    expect(h.events).toContain("skip afterSlow: the run failed at step broken");
    expect(h.calls.map((c) => c.stepId).sort()).toEqual(["broken", "first", "slow"]);
  });
});

describe("conditions", () => {
  test("a false condition skips the step and every step after it; a true one runs it", async () => {
    const h = harness({ "x.a": (call) => ok(call.input) });
    const m = workflow([
      { id: "big", action: "x.a", condition: "input.n > 3", inputs: { which: "big" } },
      { id: "afterBig", action: "x.a", inputs: { v: "${steps.big.output.which}" } },
      { id: "small", action: "x.a", condition: "${ input.n <= 3 }", inputs: { which: "small" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, input: { n: 2 }, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(out.steps.big?.status).toBe("skipped");
    expect(out.steps.afterBig?.status).toBe("skipped");
    expect(h.events).toContain("skip big: its condition is false");
    expect(h.events).toContain("skip afterBig: step big was skipped");
    expect(out.output).toEqual({ afterBig: null, small: { which: "small" } });
  });

  test("a condition that cannot be evaluated fails the step, under its on_error", async () => {
    const h = harness({ "x.a": () => ok({}) });
    const m = workflow([{ id: "a", action: "x.a", condition: "input.n > 'x'" }]);
    const out = await runWorkflow({ ...base, manifest: m, input: { n: 2 }, hooks: h.hooks });
    expect(out.status).toBe("failed");
    expect(out.error?.step).toBe("a");
    expect(out.error?.message).toContain("cannot compare number with string at column 9");
    expect(h.calls).toEqual([]);
  });
});

describe("built-in steps", () => {
  test("transform, validate and condition run without a capability", async () => {
    const h = harness({ "x.a": () => ok({ amount: 12, vendor: "ACME" }) });
    const m = workflow([
      { id: "fetch", action: "x.a" },
      {
        id: "check",
        action: "validate",
        inputs: {
          value: "${steps.fetch.output}",
          schema: { type: "object", required: ["amount", "vendor"], properties: { amount: { type: "number", minimum: 0 }, vendor: { type: "string", minLength: 1 } } },
        },
      },
      { id: "isBig", action: "condition", inputs: { if: "steps.check.output.value.amount > 10" } },
      { id: "shape", action: "transform", inputs: { total: "${steps.check.output.value.amount}", big: "${steps.isBig.output.value}", who: "${steps.fetch.output.vendor}" } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(out.steps.check?.output).toEqual({ valid: true, value: { amount: 12, vendor: "ACME" } });
    expect(out.steps.isBig?.output).toEqual({ value: true });
    expect(out.output).toEqual({ total: 12, big: true, who: "ACME" });
    expect(h.calls.map((c) => c.stepId)).toEqual(["fetch"]);
    expect(h.events).toContain("start shape#1 builtin");
  });

  test("validate fails with validation_failed naming every path", async () => {
    const h = harness({ "x.a": () => ok({ amount: -1, items: [{ sku: 1 }], extra: true }) });
    const m = workflow([
      { id: "fetch", action: "x.a" },
      {
        id: "check",
        action: "validate",
        on_error: "continue",
        inputs: {
          value: "${steps.fetch.output}",
          schema: {
            type: "object",
            required: ["amount", "vendor"],
            additionalProperties: false,
            properties: { amount: { type: "number", minimum: 0 }, items: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } } },
          },
        },
      },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    const error = out.steps.check?.error;
    expect(error?.code).toBe("validation_failed");
    expect(error?.message).toContain("4 problems");
    expect(error?.message).toContain("value.vendor: is required");
    expect(error?.message).toContain("value.amount: must be ≥ 0");
    expect(error?.message).toContain("value.items[0].sku: expected string, got number");
    expect(error?.message).toContain("value.extra: is not allowed");
  });

  test("a schema that arrives by template is checked when the step runs", async () => {
    const h = harness({});
    const m = workflow([{ id: "check", action: "validate", inputs: { value: 1, schema: "${input.schema}" } }]);
    const out = await runWorkflow({ ...base, manifest: m, input: { schema: { type: "number", pattern: "x" } }, hooks: h.hooks });
    expect(out.error).toMatchObject({ code: "step_failed", step: "check" });
    expect(out.steps.check?.error?.code).toBe("invalid_schema");
    expect(out.steps.check?.error?.message).toContain("schema.pattern: unsupported keyword");
  });
});

describe("the workflow's output, logs and resources", () => {
  test("several sinks give an object keyed by step id", async () => {
    const h = harness({ "x.a": (call) => ok({ v: call.input.v }) });
    const m = workflow([
      { id: "one", action: "x.a", inputs: { v: 1 } },
      { id: "two", action: "x.a", inputs: { v: 2 } },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.output).toEqual({ one: { v: 1 }, two: { v: 2 } });
  });

  test("logs are prefixed with the step and bounded; requests and network calls add up", async () => {
    const req = (url: string) => ({ method: "GET", url, status: 200, ms: 3, correlationId: "cor_test" });
    const lines = (p: string) => Array.from({ length: 700 }, (_, i) => `${p} line ${i}`);
    const h = harness({
      "x.a": () => ok({}, { logs: lines("a"), requests: [req("https://a.example/")], resources: { wallMs: 5, cpuMs: 2, heapBytes: 100, networkCalls: 1 } }),
      "x.b": () => ok({}, { logs: lines("b"), requests: [req("https://b.example/"), req("https://b.example/2")], resources: { wallMs: 5, cpuMs: 3, heapBytes: 300, networkCalls: 2 } }),
    });
    const m = workflow([
      { id: "a", action: "x.a" },
      { id: "b", action: "x.b", depends_on: ["a"] },
    ]);
    const out = await runWorkflow({ ...base, manifest: m, hooks: h.hooks });
    expect(out.logs).toHaveLength(1000);
    expect(out.logs[0]).toBe("[a] a line 0");
    expect(out.logs[700]).toBe("[b] b line 0");
    expect(out.logs[999]).toBe(LOG_TRUNCATED_MARKER);
    expect(out.requests.map((r) => r.url)).toEqual(["https://a.example/", "https://b.example/", "https://b.example/2"]);
    expect(out.resources).toMatchObject({ networkCalls: 3, cpuMs: 5, heapBytes: 300 });
    expect(out.resources.wallMs).toBeGreaterThanOrEqual(0);
  });

  test("callAction that throws (a bug) fails the step instead of the runner", async () => {
    const h = harness({
      "x.a": () => {
        throw new Error("executor bug with sk_live_SECRET inside");
      },
    });
    const out = await runWorkflow({ ...base, manifest: workflow([{ id: "a", action: "x.a" }]), hooks: h.hooks });
    expect(out.status).toBe("failed");
    expect(out.steps.a?.error?.code).toBe("step_error");
    expect(JSON.stringify(out)).not.toContain("sk_live_SECRET");
  });

  test("a hook that throws stops the run: running steps settle, then runWorkflow rejects with it", async () => {
    const a = deferred<ActionOutcome>();
    const aCalled = deferred<void>();
    let bFinished = false;
    const hooks: WorkflowHooks = {
      callAction: (call) => {
        if (call.stepId === "a") {
          aCalled.resolve();
          return a.promise;
        }
        return Promise.resolve(ok({}));
      },
      stepStarted: async (s) => {
        if (s.stepId === "b") {
          await aCalled.promise;
          throw new Error("database is gone");
        }
      },
      stepFinished: (s) => {
        if (s.stepId === "b") bFinished = true;
      },
    };
    const m = workflow([
      { id: "a", action: "x.a" },
      { id: "b", action: "x.b" },
      { id: "c", action: "x.c", depends_on: ["b"] },
    ]);
    let settled = false;
    const run = runWorkflow({ ...base, manifest: m, hooks }).finally(() => (settled = true));
    await aCalled.promise;
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    a.resolve(ok({}));
    await expect(run).rejects.toThrow("database is gone");
    expect(bFinished).toBe(false);
  });
});

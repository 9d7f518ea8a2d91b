// The catalog's text-digest workflow, run for real: each step's callAction runs the catalog
// capability it names (prisma/seed/catalog/*.yaml) in a real isolate via runInSandbox, with
// its input checked against the action's declared inputs as the executor does.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runInSandbox } from "@/lib/execution/sandbox";
import { statusForErrorCode, type ActionOutcome } from "@/lib/execution/types";
import { declaredAction, validateInput } from "@/lib/execution/validate-io";
import { runWorkflow, type WorkflowHooks, type WorkflowStepCall } from "@/lib/execution/workflows";
import { ManifestSchema, type Manifest } from "@/lib/registry/manifest-schema";
import { matchesExpected, readSeedCatalog } from "@/lib/registry/seed-catalog";

const catalog = new Map<string, Manifest>(readSeedCatalog().map((e) => [e.manifest.slug, e.manifest]));
// One test-only capability for failures the catalog's capabilities never have.
catalog.set(
  "wf-test-tools",
  ManifestSchema.parse({
    type: "code",
    slug: "wf-test-tools",
    name: "Workflow test tools",
    version: "1.0.0",
    permissions: ["compute.light"],
    actions: [{ id: "boom", inputs: [{ name: "n", type: "number" }] }, { id: "spin" }],
    source: "export default { actions: { async boom(input) { throw new Error('kaboom ' + input.n); }, async spin() { for (;;) {} } } };",
  }),
);

/** What the executor does for a step: resolve slug.action to a capability and run it in the sandbox. */
async function runCatalogAction(call: WorkflowStepCall): Promise<ActionOutcome> {
  const [slug, action] = call.action.split(".") as [string, string];
  const m = catalog.get(slug);
  const fail = (code: string, message: string): ActionOutcome => ({ status: statusForErrorCode(code), error: { code, message }, logs: [], resources: { wallMs: 0, networkCalls: 0 }, requests: [] });
  if (!m || m.type !== "code") return fail("not_installed", `${slug} is not installed`);
  const declared = declaredAction(m, action);
  if (!declared) return fail("unknown_action", `${slug} has no action ${action}`);
  const checked = validateInput(declared.inputs, call.input);
  if (checked.errors.length) return fail("invalid_input", checked.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  const r = await runInSandbox({ source: m.source, action, input: checked.value, grants: m.permissions, limits: { timeoutMs: call.timeoutMs } });
  const resources = { wallMs: r.resources.wallMs, cpuMs: r.resources.cpuMs, heapBytes: r.resources.heapBytes, networkCalls: 0 };
  if (!r.ok) return { status: statusForErrorCode(r.error.code), error: r.error, logs: r.logs, resources, requests: [] };
  return { status: "succeeded", output: r.output, logs: r.logs, resources, requests: [] };
}

function recordingHooks() {
  const calls: WorkflowStepCall[] = [];
  const finished: string[] = [];
  const hooks: WorkflowHooks = {
    callAction: (call) => {
      calls.push(call);
      return runCatalogAction(call);
    },
    stepFinished: (s, o, handled) => void finished.push(`${s.stepId} ${o.status}${handled ? ` ${handled}` : ""}`),
  };
  return { hooks, calls, finished };
}

describe("text-digest in real isolates", () => {
  const digest = catalog.get("text-digest")!;

  it("gives { stats, html, sha256 } matching the example's expected output", async () => {
    const [example] = digest.examples;
    const h = recordingHooks();
    const out = await runWorkflow({ manifest: digest, action: "run", input: example!.input, config: {}, correlationId: "cor_wf_it", timeoutMs: 10_000, hooks: h.hooks });
    expect(out.error).toBeUndefined();
    expect(out.status).toBe("succeeded");
    expect(matchesExpected(example!.expected_output, out.output)).toBe(true);

    const markdown = example!.input.markdown as string;
    expect(out.output).toEqual({
      stats: { characters: [...markdown].length, words: 4, sentences: 1, readingMinutes: 0 },
      html: "<h1>Hello</h1>\n<p>One line.</p>",
      sha256: createHash("sha256").update(markdown, "utf8").digest("hex"),
    });
    // The three capability steps ran; the transform is built in.
    expect(h.calls.map((c) => c.action).sort()).toEqual(["checksums.hash", "markdown-to-html.render", "text-utils.stats"]);
    expect(h.calls.find((c) => c.stepId === "checksum")!.input).toEqual({ text: markdown, algorithm: "sha256" });
    expect(h.finished.sort()).toEqual(["checksum succeeded", "render succeeded", "result succeeded", "stats succeeded"]);
    expect(out.steps.stats?.status).toBe("succeeded");
    expect(out.resources.cpuMs).toBeGreaterThan(0);
    // The declared outputs of the workflow's action hold.
    const declared = declaredAction(digest, "run")!;
    expect(declared.outputs.map((f) => f.name).sort()).toEqual(Object.keys(out.output as object).sort());
  });

  it("a step that fails in its isolate names the step and keeps the outputs of the steps that ran", async () => {
    const m: Manifest = ManifestSchema.parse({
      type: "workflow",
      slug: "case-and-count",
      name: "Case and count",
      version: "1.0.0",
      actions: [{ id: "run", inputs: [{ name: "text", type: "string", required: true }] }],
      workflow: {
        steps: [
          { id: "count", action: "text-utils.stats", inputs: { text: "${input.text}" } },
          { id: "shout", action: "text-utils.convertCase", depends_on: ["count"], inputs: { text: "${input.text}", to: "${steps.count.output.words}" } },
          { id: "after", action: "transform", inputs: { loud: "${steps.shout.output.text}" } },
        ],
      },
    });
    const h = recordingHooks();
    const out = await runWorkflow({ manifest: m, action: "run", input: { text: "two words" }, config: {}, correlationId: "cor_wf_it", timeoutMs: 10_000, hooks: h.hooks });
    expect(out.status).toBe("failed");
    // `to` rendered as the number 2 (JSON type kept), which the action's declared enum refuses.
    expect(h.calls.find((c) => c.stepId === "shout")!.input).toEqual({ text: "two words", to: 2 });
    expect(out.error).toMatchObject({ code: "step_failed", step: "shout" });
    expect(out.steps.count).toMatchObject({ status: "succeeded", output: { words: 2 } });
    expect(out.steps.shout?.error?.code).toBe("invalid_input");
    expect(out.steps.after?.status).toBe("skipped");
  });

  it("plugin errors and timeouts inside isolates are retried and handled by on_error", async () => {
    const m: Manifest = ManifestSchema.parse({
      type: "workflow",
      slug: "hash-and-tolerate",
      name: "Hash and tolerate",
      version: "1.0.0",
      workflow: {
        steps: [
          { id: "hash", action: "checksums.hash", inputs: { text: "${input.text}", algorithm: "crc32" } },
          { id: "broken", action: "wf-test-tools.boom", retry: 1, on_error: "fallback", fallback: { text: "n/a" }, inputs: { n: 7 } },
          { id: "spin", action: "wf-test-tools.spin", timeout_ms: 200, on_error: "continue" },
          { id: "out", action: "transform", inputs: { crc: "${steps.hash.output.hex}", loud: "${steps.broken.output.text}", spun: "${steps.spin.status}" } },
        ],
      },
    });
    const h = recordingHooks();
    const out = await runWorkflow({ manifest: m, action: "run", input: { text: "The quick brown fox jumps over the lazy dog" }, config: {}, correlationId: "cor_wf_it", timeoutMs: 10_000, hooks: h.hooks });
    expect(out.status).toBe("succeeded");
    expect(out.output).toEqual({ crc: "414fa339", loud: "n/a", spun: "timed_out" });
    expect(out.steps.broken).toMatchObject({ status: "succeeded", attempts: 2, output: { text: "n/a" }, error: { code: "plugin_error" } });
    expect(out.steps.broken?.error?.message).toContain("kaboom 7");
    expect(h.finished.filter((f) => f.startsWith("broken"))).toEqual(["broken failed", "broken failed fallback"]);
    // The step's own timeout reached the real sandbox: the spinning isolate was stopped near 200 ms.
    expect(h.calls.find((c) => c.stepId === "spin")!.timeoutMs).toBe(200);
    expect(out.steps.spin).toMatchObject({ status: "timed_out", attempts: 1, output: null });
    expect(out.steps.spin!.durationMs).toBeLessThan(200 + 1_000);
  });
});

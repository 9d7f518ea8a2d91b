// The pure parts of the invoke path: the wall budget of an execution by capability type and
// granted compute level, the action reference syntax and the correlation id rule.
import { describe, expect, test } from "vitest";
import { executionBudgetMs, WORKFLOW_BUDGET_CAP_MS } from "../../lib/execution/budget";
import { correlationIdFrom } from "../../lib/execution/invoke/correlation-id";
import { InvokeBodySchema, parseActionRef } from "../../lib/execution/invoke/invoke-schemas";
import { hasPrefix } from "../../lib/ids";
import { ManifestSchema, type Manifest } from "../../lib/registry/manifest-schema";

const code = (permissions: string[]): Manifest =>
  ManifestSchema.parse({ type: "code", slug: "c", name: "C", version: "1.0.0", source: "export default { actions: {} }", permissions, actions: [{ id: "run" }] });
const workflow = (steps: Record<string, unknown>[], extra: Record<string, unknown> = {}): Manifest =>
  ManifestSchema.parse({ type: "workflow", slug: "w", name: "W", version: "1.0.0", actions: [{ id: "run" }], workflow: { steps, ...extra } });

describe("executionBudgetMs", () => {
  test("code: the largest GRANTED compute level, light when none", () => {
    const m = code(["compute.light", "compute.moderate", "compute.heavy"]);
    expect(executionBudgetMs(m, [])).toBe(1_000);
    expect(executionBudgetMs(m, ["compute.light"])).toBe(1_000);
    expect(executionBudgetMs(m, ["compute.moderate"])).toBe(10_000);
    expect(executionBudgetMs(m, ["compute.light", "compute.heavy"])).toBe(60_000);
    // A grant the version does not request does not count.
    expect(executionBudgetMs(code(["compute.light"]), ["compute.heavy"])).toBe(1_000);
  });

  test("connectors: 15 s", () => {
    const m = ManifestSchema.parse({ type: "api-connector", slug: "a", name: "A", version: "1.0.0", api: { base_url: "https://api.example.com" }, endpoints: [{ id: "get", path: "/x" }] });
    expect(executionBudgetMs(m, [])).toBe(15_000);
  });

  test("workflows: the sum of their steps (retries included), capped at 120 s", () => {
    const wf = workflow([
      { id: "a", action: "x.run" },
      { id: "b", action: "y.run", timeout_ms: 2_000, retry: 2 },
      { id: "c", action: "transform", depends_on: ["a", "b"] },
    ]);
    expect(executionBudgetMs(wf, [])).toBe(15_000 + 3 * 2_000 + 1_000);
    const many = workflow(Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, action: "x.run" })));
    expect(executionBudgetMs(many, [])).toBe(WORKFLOW_BUDGET_CAP_MS);
    const retried = workflow([{ id: "a", action: "x.run", timeout_ms: 1_000 }], { error_handling: { retry: 3 } });
    expect(executionBudgetMs(retried, [])).toBe(4_000);
  });
});

describe("invoke body", () => {
  test("accepts slug.action and splits at the dot", () => {
    const b = InvokeBodySchema.parse({ action: "text-utils.stats" });
    expect(b.input).toEqual({});
    expect(parseActionRef(b.action)).toEqual({ slug: "text-utils", action: "stats" });
  });

  test.each(["stats", "Text-Utils.stats", "a..b", "a.b.c", "-a.b", "a.1b", "", "a.", ".b"])("refuses %j", (action) => {
    expect(InvokeBodySchema.safeParse({ action }).success).toBe(false);
  });

  test("refuses unknown keys and a non-object input", () => {
    expect(InvokeBodySchema.safeParse({ action: "a.b", extra: 1 }).success).toBe(false);
    expect(InvokeBodySchema.safeParse({ action: "a.b", input: [1] }).success).toBe(false);
    expect(InvokeBodySchema.safeParse({ action: "a.b", input: "x" }).success).toBe(false);
  });
});

describe("correlation id", () => {
  test("keeps a valid cor_ id, replaces anything else", () => {
    const mine = "cor_0123456789abcdefghjkmnpqrs";
    expect(correlationIdFrom(new Headers({ "x-correlation-id": mine }))).toBe(mine);
    for (const bad of ["", "abc", "cor_short", "evt_0123456789abcdefghjkmnpqrs", `${mine}\r\nx: y`, "cor_0123456789ABCDEFGHJKMNPQRS"]) {
      const got = correlationIdFrom(new Headers(bad && !bad.includes("\n") ? { "x-correlation-id": bad } : {}));
      expect(got).not.toBe(bad);
      expect(hasPrefix(got, "cor")).toBe(true);
    }
  });
});

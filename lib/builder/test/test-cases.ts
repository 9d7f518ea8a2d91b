// Saved test cases of the builder's Test step, and their mapping to and from manifest
// `examples` (input + expected_output). A test case never holds secrets: only the action,
// its input, the expected output and non-secret throwaway config. Pure: safe in the browser.
import { z } from "zod";

export const TestCaseSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(100),
  action: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
  expected: z.unknown().optional(),
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type TestCase = z.infer<typeof TestCaseSchema>;

export interface ManifestExample {
  action?: string;
  name?: string;
  input: Record<string, unknown>;
  expected_output?: unknown;
}

/** Test cases → manifest examples (config stays in the builder: examples have none). */
export function testCasesToExamples(cases: readonly TestCase[]): ManifestExample[] {
  return cases.map((c) => {
    const ex: ManifestExample = { action: c.action, input: c.input };
    if (c.name.trim()) ex.name = c.name.trim();
    if (c.expected !== undefined) ex.expected_output = c.expected;
    return ex;
  });
}

/** Manifest examples → test cases; an example without action belongs to `defaultAction`. */
export function examplesToTestCases(examples: readonly ManifestExample[] | undefined, defaultAction = ""): TestCase[] {
  return (examples ?? []).map((ex, i) => {
    const tc: TestCase = { id: `ex-${i + 1}`, name: ex.name ?? `Example ${i + 1}`, action: ex.action ?? defaultAction, input: ex.input ?? {} };
    if (ex.expected_output !== undefined) tc.expected = ex.expected_output;
    return tc;
  });
}

/** A fresh id for a test case (works in the browser and in Node). */
export function newTestCaseId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `tc_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Parses stored test cases tolerantly: invalid entries are dropped, never thrown. */
export function parseTestCases(value: unknown): TestCase[] {
  if (!Array.isArray(value)) return [];
  const out: TestCase[] = [];
  for (const v of value) {
    const r = TestCaseSchema.safeParse(v);
    if (r.success) out.push(r.data);
  }
  return out;
}

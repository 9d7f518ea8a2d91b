// Calls POST /api/capabilities/test for the Test step and the saved test cases. A 200 is a
// finished run (ok or not); a problem (422 with paths, 403, 429…) comes back as an ApiError
// so the caller can show it next to the fields it names.
import { ApiError, apiFetch } from "@/components/api/api-client";
import { testRunBody, type TestRunRequest, type TestRunResult } from "@/lib/builder/test/run-types";

export type DraftTestOutcome = { kind: "result"; result: TestRunResult } | { kind: "problem"; problem: ApiError };

export async function runDraftTest(request: TestRunRequest, signal?: AbortSignal): Promise<DraftTestOutcome> {
  try {
    const result = await apiFetch<TestRunResult>("/api/capabilities/test", { method: "POST", json: testRunBody(request), signal });
    return { kind: "result", result: { ...result, logs: Array.isArray(result.logs) ? result.logs : [] } };
  } catch (err) {
    if (err instanceof ApiError) return { kind: "problem", problem: err };
    throw err;
  }
}

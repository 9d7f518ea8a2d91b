// The answer of POST /api/capabilities/test as the browser sees it (mirrors
// lib/execution/try/try-draft.ts TestDraftResponse without importing server code), and the
// request body the Test step sends. Pure types and one helper: safe in the browser.

export interface TestRunError {
  code: string;
  message: string;
  /** 1-based, in the manifest's `source` (code drafts). */
  line?: number;
  column?: number;
  step?: string;
}

export interface TestRunStep {
  status: string;
  output?: unknown;
  error?: TestRunError;
}

export interface TestRunResult {
  ok: boolean;
  output?: unknown;
  error?: TestRunError;
  logs: string[];
  resources: { wallMs: number; networkCalls: number; cpuMs?: number; heapBytes?: number };
  expected?: unknown;
  matchesExpected?: boolean;
  steps?: Record<string, TestRunStep>;
  failedStep?: string;
}

export interface TestRunRequest {
  manifest: unknown;
  action: string;
  input: Record<string, unknown>;
  config?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
}

/** The request body: empty config/secrets are left out, and secrets with no value too. */
export function testRunBody(r: TestRunRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { manifest: r.manifest, action: r.action, input: r.input };
  const config = Object.fromEntries(Object.entries(r.config ?? {}).filter(([, v]) => v !== ""));
  const secrets = Object.fromEntries(Object.entries(r.secrets ?? {}).filter(([, v]) => v !== ""));
  if (Object.keys(config).length) body.config = config;
  if (Object.keys(secrets).length) body.secrets = secrets;
  return body;
}

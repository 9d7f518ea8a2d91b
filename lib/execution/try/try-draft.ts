// "Test a draft": runs one action of a manifest that is not published (the builder's
// current state, or a file on the CLI user's disk) with the caller's input or one of its
// examples, throwaway config and secrets. Code, declarative and api-connector drafts run
// exactly like try (a short-lived sandbox child process, isolate, guarded fetch, kill
// switch); workflow drafts made of built-in steps (what the visual builder compiles to) run
// in-process through runWorkflow, and the answer carries every step's result and the step
// that failed (a visual node id). Nothing is stored and no event is written; the secrets
// given here are redacted from everything that comes back.
import { z } from "zod";
import { hitRateLimit } from "../../auth/rate-limit";
import type { Db } from "../../db/prisma";
import { AppError, type FieldError } from "../../errors";
import { newId } from "../../ids";
import type { Manifest } from "../../registry/manifest-schema";
import { checkManifestText, validateManifest } from "../../registry/parse-manifest";
import { formatOfFilename, MAX_MANIFEST_TEXT } from "../../registry/read-manifest-source";
import type { ExecutionError } from "../types";
import { BUILTIN_STEP_ACTIONS, runWorkflow } from "../workflows";
import { assertKillSwitchAllows, buildTryJob, effectiveConfig, finishTry, selectInput, TryRunFieldsSchema, type SelectedInput, type TryResponse } from "./prepare-try";
import { runTry, type RunTryOptions } from "./run-try";
import type { TryResult } from "./types";

export const TEST_RATE_LIMIT = { limit: 60, windowMs: 60_000 };
/** Budget of an in-process workflow test (built-in steps only: they are quick). */
export const WORKFLOW_TEST_TIMEOUT_MS = 10_000;

export const TestDraftBodySchema = TryRunFieldsSchema.extend({
  manifest: z.record(z.string(), z.unknown()).optional(),
  /** Manifest text like an import; `text` is accepted as a synonym of `content`. */
  source: z
    .object({ filename: z.string().trim().min(1).max(255), content: z.string().max(MAX_MANIFEST_TEXT).optional(), text: z.string().max(MAX_MANIFEST_TEXT).optional() })
    .refine((s) => s.content !== undefined || s.text !== undefined, { message: "send the file's content", path: ["content"] })
    .optional(),
}).refine((b) => (b.manifest === undefined) !== (b.source === undefined), { message: "send exactly one of manifest (an object) or source ({ filename, content })", path: ["manifest"] });
export type TestDraftBody = z.infer<typeof TestDraftBodySchema>;

export interface DraftStepResult {
  status: string;
  output?: unknown;
  error?: ExecutionError;
}

export type TestDraftResponse = TryResponse & { steps?: Record<string, DraftStepResult>; failedStep?: string };

function prefixed(errors: FieldError[], source: boolean): FieldError[] {
  return errors.map((e) => {
    // Text that does not parse: the location is in the path, e.g. "(line 3, column 2)".
    if (source && e.path.startsWith("(")) return { path: "source.content", message: e.path === "(document)" ? e.message : `${e.path}: ${e.message}` };
    return { path: e.path ? `manifest.${e.path}` : "manifest", message: e.message };
  });
}

/** The draft's manifest, validated like the registry does; a 422 with every error at `manifest.<path>` otherwise. */
export function readDraftManifest(body: Pick<TestDraftBody, "manifest" | "source">): Manifest {
  const fromSource = body.manifest === undefined && body.source !== undefined;
  let format: "json" | "yaml" = "yaml";
  if (fromSource) {
    try {
      format = formatOfFilename(body.source!.filename);
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, err.message, { errors: err.errors?.map((e) => ({ ...e, path: `source.${e.path}` })) });
      throw err;
    }
  }
  const report = fromSource ? checkManifestText(body.source!.content ?? body.source!.text ?? "", format) : validateManifest(body.manifest);
  if (!report.valid || !report.manifest) {
    throw new AppError("validation_failed", `the manifest is not valid: ${report.errors.length} error${report.errors.length === 1 ? "" : "s"}`, { errors: prefixed(report.errors, fromSource) });
  }
  return report.manifest;
}

const empty = (code: string, message: string, extra: Partial<TestDraftResponse> = {}): TestDraftResponse => ({
  ok: false,
  error: { code, message },
  logs: [],
  resources: { wallMs: 0, networkCalls: 0 },
  ...extra,
});

/** A workflow of built-in steps, in this process (runWorkflow does no I/O of its own). */
async function testWorkflow(manifest: Extract<Manifest, { type: "workflow" }>, body: TestDraftBody, selected: SelectedInput): Promise<TestDraftResponse> {
  const builtins: readonly string[] = BUILTIN_STEP_ACTIONS;
  const installed = manifest.workflow.steps.find((s) => !builtins.includes(s.action));
  if (installed) {
    return empty(
      "not_supported",
      `step ${installed.id} calls ${installed.action}, an installed capability: a draft test runs built-in steps only (${BUILTIN_STEP_ACTIONS.join(", ")}); install the workflow on an agent to run it`,
      { failedStep: installed.id },
    );
  }
  const outcome = await runWorkflow({
    manifest,
    action: body.action,
    input: selected.input,
    config: effectiveConfig(manifest, body.config),
    correlationId: newId("cor"),
    timeoutMs: WORKFLOW_TEST_TIMEOUT_MS,
    hooks: {
      // Unreachable (checked above), but a hook must answer: never run anything installed from a draft.
      callAction: async (call) => ({
        status: "failed",
        error: { code: "not_supported", message: `${call.action} is an installed capability: a draft test runs built-in steps only` },
        logs: [],
        resources: { wallMs: 0, networkCalls: 0 },
        requests: [],
      }),
    },
  });
  const steps: Record<string, DraftStepResult> = {};
  let failedStep: string | undefined = outcome.error?.step;
  for (const [id, s] of Object.entries(outcome.steps)) {
    const r: DraftStepResult = { status: s.status };
    if (s.output !== undefined) r.output = s.output;
    if (s.error) r.error = s.error;
    steps[id] = r;
    if (!failedStep && s.status !== "succeeded" && s.status !== "skipped") failedStep = id;
  }
  const ok = outcome.status === "succeeded";
  const result: TryResult & { steps: Record<string, DraftStepResult>; failedStep?: string } = {
    ok,
    logs: outcome.logs,
    resources: { wallMs: Math.round(outcome.resources.wallMs), networkCalls: outcome.resources.networkCalls, ...(outcome.resources.cpuMs !== undefined ? { cpuMs: outcome.resources.cpuMs } : {}) },
    steps,
  };
  if (ok) result.output = outcome.output ?? null;
  else {
    const e = outcome.error ?? { code: outcome.status, message: `the workflow ended ${outcome.status}` };
    result.error = { code: e.code, message: e.message };
    if (failedStep) result.failedStep = failedStep;
  }
  return result;
}

export async function testDraft(db: Db, options: { userId: string; body: TestDraftBody; run?: RunTryOptions }): Promise<TestDraftResponse> {
  const limit = await hitRateLimit(db, `test:${options.userId}`, TEST_RATE_LIMIT);
  if (limit.count > TEST_RATE_LIMIT.limit) throw new AppError("rate_limited", "too many tests; wait a minute", { retryAfterSeconds: limit.retryAfterSeconds });

  const { body } = options;
  const manifest = readDraftManifest(body);
  const selected = selectInput(manifest, body, "test");
  if (manifest.type !== "builtin") await assertKillSwitchAllows(db, manifest, "tested");
  return executeDraft(manifest, body, selected, options.run);
}

/** Runs a validated draft (no rate limit, no policy: testDraft checks those first) and redacts the answer. */
export async function executeDraft(manifest: Manifest, body: TestDraftBody, selected: SelectedInput, run?: RunTryOptions): Promise<TestDraftResponse> {
  if (manifest.type === "builtin") return empty("not_supported", "builtin capabilities are the product's own; they cannot be tested as drafts");
  const result = manifest.type === "workflow" ? await testWorkflow(manifest, body, selected) : await runTry(buildTryJob(manifest, body, selected.input), run);
  return finishTry(result, body.secrets, selected);
}

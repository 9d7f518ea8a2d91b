// What "try a published version" (try-capability.ts) and "test a draft" (try-draft.ts)
// share: picking the input (the caller's or an example's, with its expected output),
// checking it against the action's declared inputs, the kill switch, the config defaults,
// the job for the sandbox child, and the redacted answer compared with the expectation.
// Server-only (reads the policy); never imports isolated-vm.
import { z } from "zod";
import type { Db } from "../../db/prisma";
import { AppError, type FieldError } from "../../errors";
import { redact } from "../../events/redact";
import { loadPolicy } from "../../policy/load-policy";
import type { Manifest } from "../../registry/manifest-schema";
import { PERMISSIONS, type Permission } from "../../registry/permissions";
import { matchesExpected } from "../../registry/seed-catalog";
import { CONNECTOR_BUDGET_MS, computeBudgetMs } from "../budget";
import { declaredAction, validateInput } from "../validate-io";
import { readTestHosts, readTestTrustedAddresses, type TryJob, type TryResult } from "./types";

/** A connector's whole budget: one 5 s call plus retries. */
export const CONNECTOR_TIMEOUT_MS = CONNECTOR_BUDGET_MS;

/** The run-time part of a try or test request (the action, its input, throwaway config and secrets). */
export const TryRunFieldsSchema = z.object({
  action: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).optional(),
  example: z.number().int().min(0).optional(),
  config: z.record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.boolean()])).optional(),
  secrets: z.record(z.string().max(100), z.string().max(10_000)).optional(),
});
export type TryRunFields = z.infer<typeof TryRunFieldsSchema>;

export type TryResponse = TryResult & { expected?: unknown; matchesExpected?: boolean };

export function invalidTry(errors: FieldError[], what = "try"): AppError {
  return new AppError("validation_failed", `the ${what} request is not valid`, { errors });
}

export function timeoutFor(manifest: Manifest): number {
  return manifest.type === "code" ? computeBudgetMs(manifest.permissions) : CONNECTOR_TIMEOUT_MS;
}

export interface SelectedInput {
  input: Record<string, unknown>;
  expected?: unknown;
  hasExpected: boolean;
}

/** The caller's input or the chosen example's, checked against the action's declared inputs (422 with paths). */
export function selectInput(manifest: Manifest, body: TryRunFields, what = "try"): SelectedInput {
  const fields = declaredAction(manifest, body.action)?.inputs;
  if (!fields) throw invalidTry([{ path: "action", message: `unknown action ${JSON.stringify(body.action)}` }], what);
  let input = body.input ?? {};
  let expected: unknown;
  let hasExpected = false;
  if (body.example !== undefined) {
    const example = manifest.examples[body.example];
    if (!example) throw invalidTry([{ path: "example", message: `this ${what === "try" ? "version" : "manifest"} has ${manifest.examples.length} example(s)` }], what);
    if (example.action && example.action !== body.action) throw invalidTry([{ path: "example", message: `example ${body.example} is for the action ${example.action}` }], what);
    input = example.input;
    if (example.expected_output !== undefined) {
      expected = example.expected_output;
      hasExpected = true;
    }
  }
  const checked = validateInput(fields, input);
  if (checked.errors.length) throw invalidTry(checked.errors, what);
  return { input: checked.value, expected, hasExpected };
}

/**
 * The kill switch holds for tries and tests too: they run with every requested permission,
 * so nothing that can write outside the sandbox runs while it is on.
 */
export async function assertKillSwitchAllows(db: Db, manifest: Manifest, verb = "tried"): Promise<void> {
  const policy = await loadPolicy(db);
  const writes = manifest.permissions.filter((p) => Object.hasOwn(PERMISSIONS, p) && PERMISSIONS[p as Permission].isExternalWrite);
  if (policy.killSwitch && writes.length) {
    throw new AppError("policy_denied", `the kill switch for external writes is on and this capability asks for ${writes.join(", ")}: it cannot be ${verb} until an admin turns it off`);
  }
}

/** Declared non-secret defaults, overridden by the caller's throwaway config. */
export function effectiveConfig(manifest: Manifest, config: TryRunFields["config"]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const c of manifest.configuration) if (c.default !== undefined && c.type !== "secret") out[c.key] = c.default;
  Object.assign(out, config ?? {});
  return out;
}

/** The job for the sandbox child (scripts/sandbox-child.ts). */
export function buildTryJob(manifest: Manifest, body: TryRunFields, input: Record<string, unknown>): TryJob {
  const job: TryJob = { manifest, action: body.action, input, config: effectiveConfig(manifest, body.config), secrets: body.secrets ?? {}, timeoutMs: timeoutFor(manifest) };
  // Tests only (readTestHosts returns nothing otherwise): let the try reach the test's local server.
  const testHosts = readTestHosts();
  if (testHosts) job.testOnlyHosts = testHosts;
  const trusted = readTestTrustedAddresses();
  if (trusted) job.testOnlyTrustedAddresses = trusted;
  return job;
}

/** Redacts the given secrets from everything in the result and compares it with the expected output. */
export function finishTry<R extends TryResult>(result: R, secrets: Record<string, string> | undefined, selected: SelectedInput): R & TryResponse {
  const redacted = redact(result, { secrets: Object.values(secrets ?? {}) });
  const response: R & TryResponse = { ...redacted };
  if (selected.hasExpected) {
    response.expected = selected.expected;
    response.matchesExpected = redacted.ok && matchesExpected(selected.expected, redacted.output);
  }
  return response;
}

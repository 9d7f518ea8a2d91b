// "Try before install": runs one action of a version the caller can see, with its examples
// or the caller's input and throwaway config/secrets, in a short-lived sandbox process.
// Nothing is stored (no row, no event); the secrets given here are never stored, logged or
// echoed: they are redacted from everything that comes back.
import { loadPolicy } from "../../policy/load-policy";
import { PERMISSIONS, type Permission } from "../../registry/permissions";
import { z } from "zod";
import { hitRateLimit } from "../../auth/rate-limit";
import type { Db } from "../../db/prisma";
import { AppError, notFound, type FieldError } from "../../errors";
import { redact } from "../../events/redact";
import { findVisibleCapability, type Viewer } from "../../registry/capability-access";
import { getVersion } from "../../registry/get-version";
import { visibleVersionsWhere } from "../../registry/list-versions";
import type { Manifest } from "../../registry/manifest-schema";
import { matchesExpected } from "../../registry/seed-catalog";
import { declaredAction, validateInput } from "../validate-io";
import { runTry, type RunTryOptions } from "./run-try";
import { readTestHosts, readTestTrustedAddresses, type TryJob, type TryResult } from "./types";

export const TRY_RATE_LIMIT = { limit: 30, windowMs: 60_000 };
/** Mirrors lib/execution/sandbox COMPUTE_TIMEOUTS_MS; not imported, as that module loads isolated-vm. */
const COMPUTE_TIMEOUTS_MS: Record<string, number> = { "compute.light": 1_000, "compute.moderate": 10_000, "compute.heavy": 60_000 };
/** A connector's whole budget: one 5 s call plus retries. */
export const CONNECTOR_TIMEOUT_MS = 15_000;

export const TryBodySchema = z.object({
  version: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).optional(),
  example: z.number().int().min(0).optional(),
  config: z.record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.boolean()])).optional(),
  secrets: z.record(z.string().max(100), z.string().max(10_000)).optional(),
});
export type TryBody = z.infer<typeof TryBodySchema>;

export type TryResponse = TryResult & { expected?: unknown; matchesExpected?: boolean };

function invalid(errors: FieldError[]): AppError {
  return new AppError("validation_failed", "the try request is not valid", { errors });
}

function timeoutFor(manifest: Manifest): number {
  if (manifest.type !== "code") return CONNECTOR_TIMEOUT_MS;
  let t = COMPUTE_TIMEOUTS_MS["compute.light"]!;
  for (const p of manifest.permissions) t = Math.max(t, COMPUTE_TIMEOUTS_MS[p] ?? 0);
  return t;
}

async function loadManifest(db: Db, slug: string, version: string | undefined, viewer: Viewer): Promise<Manifest> {
  if (version) return (await getVersion(db, { slug, version, viewer })).manifest;
  const cap = await findVisibleCapability(db, { slug, viewer });
  const row = await db.capabilityVersion.findFirst({
    where: { capabilityId: cap.id, status: { not: "yanked" }, ...visibleVersionsWhere(viewer, cap) },
    select: { manifest: true },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
  });
  if (!row) throw notFound("version");
  return row.manifest as unknown as Manifest;
}

export async function tryCapability(
  db: Db,
  options: { slug: string; viewer: Viewer; body: TryBody; run?: RunTryOptions },
): Promise<TryResponse> {
  const limit = await hitRateLimit(db, `try:${options.viewer.userId}`, TRY_RATE_LIMIT);
  // hitRateLimit counts this hit: the 30th try is allowed, the 31st refused.
  if (limit.count > TRY_RATE_LIMIT.limit) throw new AppError("rate_limited", "too many tries; wait a minute", { retryAfterSeconds: limit.retryAfterSeconds });

  const { body } = options;
  const manifest = await loadManifest(db, options.slug, body.version, options.viewer);
  const fields = declaredAction(manifest, body.action)?.inputs;
  if (!fields) throw invalid([{ path: "action", message: `unknown action ${JSON.stringify(body.action)}` }]);

  let input = body.input ?? {};
  let expected: unknown;
  let hasExpected = false;
  if (body.example !== undefined) {
    const example = manifest.examples[body.example];
    if (!example) throw invalid([{ path: "example", message: `this version has ${manifest.examples.length} example(s)` }]);
    if (example.action && example.action !== body.action) throw invalid([{ path: "example", message: `example ${body.example} is for the action ${example.action}` }]);
    input = example.input;
    if (example.expected_output !== undefined) {
      expected = example.expected_output;
      hasExpected = true;
    }
  }
  const checked = validateInput(fields, input);
  if (checked.errors.length) throw invalid(checked.errors);

  const secrets = body.secrets ?? {};
  const secretValues = Object.values(secrets);
  if (manifest.type === "workflow" || manifest.type === "builtin") {
    return { ok: false, error: { code: "not_supported", message: "workflows run once installed; try their steps' capabilities" }, logs: [], resources: { wallMs: 0, networkCalls: 0 } };
  }

  // The kill switch holds for tries too: a try runs with every requested permission, so
  // nothing that can write outside the sandbox runs while it is on.
  const policy = await loadPolicy(db);
  const writes = manifest.permissions.filter((p) => Object.hasOwn(PERMISSIONS, p) && PERMISSIONS[p as Permission].isExternalWrite);
  if (policy.killSwitch && writes.length) {
    throw new AppError("policy_denied", `the kill switch for external writes is on and this capability asks for ${writes.join(", ")}: it cannot be tried until an admin turns it off`);
  }

  const config: Record<string, string | number | boolean> = {};
  for (const c of manifest.configuration) if (c.default !== undefined && c.type !== "secret") config[c.key] = c.default;
  Object.assign(config, body.config ?? {});

  const job: TryJob = { manifest, action: body.action, input: checked.value, config, secrets, timeoutMs: timeoutFor(manifest) };
  // Tests only (readTestHosts returns nothing otherwise): let the try reach the test's local server.
  const testHosts = readTestHosts();
  if (testHosts) job.testOnlyHosts = testHosts;
  const trusted = readTestTrustedAddresses();
  if (trusted) job.testOnlyTrustedAddresses = trusted;

  const result = redact(await runTry(job, options.run), { secrets: secretValues });
  const response: TryResponse = { ...result };
  if (hasExpected) {
    response.expected = expected;
    response.matchesExpected = result.ok && matchesExpected(expected, result.output);
  }
  return response;
}

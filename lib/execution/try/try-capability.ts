// "Try before install": runs one action of a version the caller can see, with its examples
// or the caller's input and throwaway config/secrets, in a short-lived sandbox process.
// Nothing is stored (no row, no event); the secrets given here are never stored, logged or
// echoed: they are redacted from everything that comes back.
import { z } from "zod";
import { hitRateLimit } from "../../auth/rate-limit";
import type { Db } from "../../db/prisma";
import { AppError, notFound } from "../../errors";
import { findVisibleCapability, type Viewer } from "../../registry/capability-access";
import { getVersion } from "../../registry/get-version";
import { visibleVersionsWhere } from "../../registry/list-versions";
import type { Manifest } from "../../registry/manifest-schema";
import { assertKillSwitchAllows, buildTryJob, finishTry, selectInput, TryRunFieldsSchema, type TryResponse } from "./prepare-try";
import { runTry, type RunTryOptions } from "./run-try";

export { CONNECTOR_TIMEOUT_MS, type TryResponse } from "./prepare-try";
export const TRY_RATE_LIMIT = { limit: 30, windowMs: 60_000 };

export const TryBodySchema = TryRunFieldsSchema.extend({
  version: z.string().min(1).max(100).optional(),
});
export type TryBody = z.infer<typeof TryBodySchema>;

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
  const selected = selectInput(manifest, body);
  if (manifest.type === "workflow" || manifest.type === "builtin") {
    return { ok: false, error: { code: "not_supported", message: "workflows run once installed; try their steps' capabilities" }, logs: [], resources: { wallMs: 0, networkCalls: 0 } };
  }
  await assertKillSwitchAllows(db, manifest);
  const result = await runTry(buildTryJob(manifest, body, selected.input), options.run);
  return finishTry(result, body.secrets, selected);
}

// GET /api/capabilities/:slug/versions/:version – one version with its manifest · PATCH – deprecate, yank or restore it (owner/admin)
import { apiRoute, json } from "@/lib/http/api-route";
import { getVersion } from "@/lib/registry/get-version";
import { UpdateVersionStatusSchema, updateVersionStatus } from "@/lib/registry/update-version-status";
import { VersionParams } from "../../../params";

export const GET = apiRoute({ route: "/api/capabilities/:slug/versions/:version", scopes: ["capabilities:read"], params: VersionParams }, async ({ db, identity, params }) =>
  json(await getVersion(db, { ...params, viewer: identity })),
);

export const PATCH = apiRoute(
  { route: "/api/capabilities/:slug/versions/:version", scopes: ["capabilities:write"], params: VersionParams, body: UpdateVersionStatusSchema },
  async ({ db, identity, params, body, requestId }) =>
    json(await updateVersionStatus(db, { ...params, viewer: identity, actor: identity.actor, input: body, correlationId: requestId })),
);

// POST /api/capabilities/import – create a capability from an uploaded .yaml/.yml/.json file; ?dryRun=1 only reports
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { checkManifestUpload } from "@/lib/registry/check-manifest-upload";
import { createCapability } from "@/lib/registry/create-capability";
import { UploadedFileSchema } from "@/lib/registry/read-manifest-source";

const ImportQuery = z.object({ dryRun: z.enum(["1", "true", "0", "false"]).transform((v) => v === "1" || v === "true").optional() });

export const POST = apiRoute(
  { route: "/api/capabilities/import", scopes: ["capabilities:write"], query: ImportQuery, body: UploadedFileSchema },
  async ({ db, identity, query, body, requestId }) =>
    query.dryRun
      ? json(await checkManifestUpload(db, { source: body }))
      : json(await createCapability(db, { ownerId: identity.userId, actor: identity.actor, source: body, via: "import", correlationId: requestId }), { status: 201 }),
);

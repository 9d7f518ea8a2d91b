// GET /api/events/checkpoints – signed checkpoints and the public key, for export and outside verification
import { z } from "zod";
import { listCheckpoints } from "@/lib/events/checkpoints";
import { getSigningKey } from "@/lib/events/signing-key";
import { apiRoute, json } from "@/lib/http/api-route";

const Query = z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) });

export const GET = apiRoute({ route: "/api/events/checkpoints", scopes: ["events:read"], query: Query }, async ({ db, query }) => {
  const key = getSigningKey();
  const items = await listCheckpoints(db, { afterSeq: query.afterSeq, limit: query.limit + 1 });
  const page = items.slice(0, query.limit);
  return json({
    algorithm: "Ed25519",
    message: "capreg-audit-checkpoint:v1:<seq>:<headHash>",
    keyId: key.keyId,
    publicKey: key.publicKeyPem,
    items: page,
    nextCursor: items.length > query.limit ? String(page[page.length - 1]!.seq) : null,
  });
});

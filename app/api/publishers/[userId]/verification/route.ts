// POST /api/publishers/:userId/verification – grant or revoke the verified-publisher badge (admins)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { SetPublisherVerificationSchema, setPublisherVerification } from "@/lib/marketplace/set-publisher-verification";

export const POST = apiRoute(
  { route: "/api/publishers/:userId/verification", admin: true, scopes: ["admin"], params: z.object({ userId: z.string().min(1).max(100) }), body: SetPublisherVerificationSchema },
  async ({ db, identity, params, body, requestId }) =>
    json(await setPublisherVerification(db, { userId: params.userId, verified: body.verified, viewer: identity, actor: identity.actor, correlationId: requestId })),
);

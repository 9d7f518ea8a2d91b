// GET /api/policy/kill-switch – whether external writes are stopped (and why) ·
// PUT /api/policy/kill-switch { on, reason? } – flip it (admins; evented)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { getKillSwitch, setKillSwitch } from "@/lib/policy/kill-switch";

const BodySchema = z.object({ on: z.boolean(), reason: z.string().trim().max(500).optional() }).strict();

export const GET = apiRoute({ route: "/api/policy/kill-switch" }, async ({ db }) => json(await getKillSwitch(db)));

export const PUT = apiRoute({ route: "/api/policy/kill-switch", admin: true, scopes: ["admin"], body: BodySchema }, async ({ db, identity, body, requestId }) =>
  json(await setKillSwitch(db, { on: body.on, reason: body.reason ?? null, actor: identity.actor, correlationId: requestId })),
);

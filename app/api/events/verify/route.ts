// GET /api/events/verify – recompute the hash chain and check the signed checkpoints
import { verifyChain } from "@/lib/events/verify-chain";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/events/verify", scopes: ["events:read"] }, async ({ db }) => json(await verifyChain(db)));

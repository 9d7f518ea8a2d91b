// GET /api/permissions – the permission catalog (explanations, risk, groups) and the risk levels
import { apiRoute, json } from "@/lib/http/api-route";
import { listPermissions } from "@/lib/registry/list-permissions";

export const GET = apiRoute({ route: "/api/permissions", scopes: ["capabilities:read"] }, async () => json(listPermissions()));

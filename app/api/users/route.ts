// GET /api/users – every account (admins)
import { listUsers } from "@/lib/auth/users";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/users", admin: true, scopes: ["admin"] }, async ({ db }) => json({ items: await listUsers(db), nextCursor: null }));

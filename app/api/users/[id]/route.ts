// PATCH /api/users/:id – change a user's role or disable them (admins)
import { z } from "zod";
import { UpdateUserSchema, updateUser } from "@/lib/auth/users";
import { apiRoute, json } from "@/lib/http/api-route";

export const PATCH = apiRoute(
  { route: "/api/users/:id", admin: true, scopes: ["admin"], params: z.object({ id: z.string().min(1).max(100) }), body: UpdateUserSchema },
  async ({ db, identity, params, body, requestId }) => json(await updateUser(db, identity.actor, params.id, body, requestId)),
);

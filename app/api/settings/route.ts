// GET /api/settings – organisation settings · PATCH /api/settings – change them (admins)
import { apiRoute, json } from "@/lib/http/api-route";
import { getSettings, SettingsPatchSchema, updateSettings } from "@/lib/settings/settings";

export const GET = apiRoute({ route: "/api/settings", auth: "optional" }, async ({ db }) => json(await getSettings(db)));

export const PATCH = apiRoute({ route: "/api/settings", admin: true, scopes: ["admin"], body: SettingsPatchSchema }, async ({ db, identity, body, requestId }) =>
  json(await updateSettings(db, identity.actor, body, requestId)),
);

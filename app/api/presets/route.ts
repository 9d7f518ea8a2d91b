// GET /api/presets – runtime presets with their dependencies: version, detection patterns,
// script URL, sha384 integrity and size (for the preset picker and for checking injections)
import { apiRoute, json } from "@/lib/http/api-route";
import { listPresets } from "@/lib/previews/runtime-manifest";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/presets" }, async ({ req }) => {
  return json({ items: listPresets(new URL(req.url).origin) });
});

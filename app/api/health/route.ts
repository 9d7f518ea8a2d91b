// GET /api/health – database reachable, migrations current, executors live, version, uptime
// (degraded while no executor is live; 503 when the database is down)
import { getHealth } from "@/lib/health";
import { apiRoute, json } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/health", auth: "none" }, async ({ db }) => {
  const health = await getHealth(db);
  return json(health, { status: health.status === "down" ? 503 : 200 });
});

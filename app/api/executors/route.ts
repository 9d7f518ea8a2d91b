// GET /api/executors – executor processes with state (live = heartbeat within 3 × EXECUTION_LEASE_MS),
// heartbeat age, slots, running, pool size, and the queue depth (admins)
import { getExecutorHealth } from "@/lib/execution/records/get-executor-health";
import { apiRoute, json } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/executors", admin: true, scopes: ["admin"] }, async ({ db }) => {
  const health = await getExecutorHealth(db);
  const { executors, ...summary } = health;
  return json({ items: executors, nextCursor: null, summary });
});

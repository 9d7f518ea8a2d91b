// GET /api/metrics – Prometheus text format: request durations by route, events appended, SSE clients,
// executions (durations, outcomes) and, read from Postgres at scrape time, queue depth, running
// executions, pooled isolates and live executors
import { apiRoute } from "@/lib/http/api-route";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { refreshExecutionGauges } from "@/lib/execution/records/refresh-execution-gauges";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/metrics", auth: "none" }, async ({ db }) => {
  // A database hiccup must not cost the scrape its other series: the gauges keep their last values.
  await refreshExecutionGauges(db).catch((err: unknown) => log.warn("metrics: execution gauges not refreshed", { error: err instanceof Error ? err.message : String(err) }));
  return new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" } });
});

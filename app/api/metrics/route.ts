// GET /api/metrics – Prometheus text format: request durations by route, events appended, SSE clients
import { apiRoute } from "@/lib/http/api-route";
import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ route: "/api/metrics", auth: "none" }, async () =>
  new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" } }),
);

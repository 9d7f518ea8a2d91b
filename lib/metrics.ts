// Prometheus metrics of this process, on one registry kept on globalThis so Next's
// bundles and the start script's modules count into the same series.
import client from "prom-client";

type Metrics = ReturnType<typeof createMetrics>;

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "capreg_" });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: "capreg_http_request_duration_seconds",
      help: "HTTP request durations by route pattern, method and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsAppended: new client.Counter({
      name: "capreg_events_appended_total",
      help: "Events appended to the audit log by this process, by type",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
    sseClients: new client.Gauge({
      name: "capreg_sse_clients",
      help: "Server-Sent Events clients connected to this process",
      registers: [registry],
    }),
  };
}

const g = globalThis as unknown as { capregMetrics?: Metrics };
export const metrics: Metrics = (g.capregMetrics ??= createMetrics());

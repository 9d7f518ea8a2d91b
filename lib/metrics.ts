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
    // Execution engine. Web processes observe invocations they answered; executor
    // processes keep their own registry (pool size) and report it in their heartbeat.
    executionDuration: new client.Histogram({
      name: "capreg_execution_duration_seconds",
      help: "Duration of finished executions (queue wait excluded) by capability and final status",
      labelNames: ["capability", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    executionOutcomes: new client.Counter({
      name: "capreg_executions_total",
      help: "Finished executions by capability and final status",
      labelNames: ["capability", "status"] as const,
      registers: [registry],
    }),
    invocationsRejected: new client.Counter({
      name: "capreg_invocations_rejected_total",
      help: "Invocations refused before they were queued, by reason (rate_limited, queue_full, invalid_input, denied…)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    executionQueueDepth: new client.Gauge({
      name: "capreg_execution_queue_depth",
      help: "Executions waiting in the queue (read from Postgres at scrape time)",
      registers: [registry],
    }),
    executionsRunning: new client.Gauge({
      name: "capreg_executions_running",
      help: "Executions running across all executors (read from Postgres at scrape time)",
      registers: [registry],
    }),
    sandboxPoolSize: new client.Gauge({
      name: "capreg_sandbox_pool_size",
      help: "Pooled isolates across live executors (from their heartbeats)",
      registers: [registry],
    }),
    executorsLive: new client.Gauge({
      name: "capreg_executors_live",
      help: "Executor processes with a recent heartbeat",
      registers: [registry],
    }),
  };
}

const g = globalThis as unknown as { capregMetrics?: Metrics };
export const metrics: Metrics = (g.capregMetrics ??= createMetrics());

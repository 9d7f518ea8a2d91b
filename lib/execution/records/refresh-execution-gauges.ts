// Sets the execution gauges of this process's metrics registry from Postgres (queue depth,
// running executions, pooled isolates and live executors), so any web instance scraped by
// Prometheus reports the cluster-wide numbers at the moment of the scrape.
import type { Db } from "../../db/prisma";
import { metrics } from "../../metrics";
import { readExecutionGauges, type ExecutionGauges } from "./get-executor-health";

export async function refreshExecutionGauges(db: Db): Promise<ExecutionGauges> {
  const g = await readExecutionGauges(db);
  metrics.executionQueueDepth.set(g.queueDepth);
  metrics.executionsRunning.set(g.runningExecutions);
  metrics.sandboxPoolSize.set(g.poolSize);
  metrics.executorsLive.set(g.liveExecutors);
  return g;
}

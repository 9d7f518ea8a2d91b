// Health of this instance: database reachable, migrations current, executors live (plugin
// code cannot run without one: invoke answers 503), version, uptime.
import type { Db } from "./db/prisma";
import { readMigrations } from "./db/migrate";
import { readExecutionGauges } from "./execution/records/get-executor-health";
import { APP_VERSION } from "./version";

export interface Health {
  status: "ok" | "degraded" | "down";
  version: string;
  uptimeSeconds: number;
  database: { reachable: boolean; latencyMs: number | null; leastPrivilege: boolean };
  migrations: { current: boolean; applied: number; pending: string[] };
  executions: { liveExecutors: number; poolSize: number; queueDepth: number; running: number } | null;
}

export async function getHealth(db: Db): Promise<Health> {
  const base = { version: APP_VERSION, uptimeSeconds: Math.round(process.uptime()) };
  const leastPrivilege = process.env.CAPREG_DB_LEAST_PRIVILEGE !== "0";
  const t0 = performance.now();
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const latencyMs = Math.round((performance.now() - t0) * 100) / 100;
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = readMigrations().map((m) => m.name).filter((n) => !applied.has(n));
    const g = pending.length ? null : await readExecutionGauges(db);
    const executions = g && { liveExecutors: g.liveExecutors, poolSize: g.poolSize, queueDepth: g.queueDepth, running: g.runningExecutions };
    return {
      ...base,
      status: pending.length || !executions?.liveExecutors ? "degraded" : "ok",
      database: { reachable: true, latencyMs, leastPrivilege },
      migrations: { current: pending.length === 0, applied: applied.size, pending },
      executions,
    };
  } catch {
    return {
      ...base,
      status: "down",
      database: { reachable: false, latencyMs: null, leastPrivilege },
      migrations: { current: false, applied: 0, pending: [] },
      executions: null,
    };
  }
}

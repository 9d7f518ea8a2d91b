// The `executors` row of one executor process (its health as the UI and the reaper see it)
// and its lifecycle events: executor.started when it registers, executor.stopped when it
// stops cleanly. executor.lost is appended by the reaper (queue/reap.ts).
import type { Db } from "../../db/prisma";
import { appendEvent } from "../../events/append-event";

export interface ExecutorIdentity {
  id: string;
  host: string;
  pid: number;
  slots: number;
}

export async function registerExecutor(db: Db, e: ExecutorIdentity): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO executors (id, host, pid, slots, status, started_at, heartbeat_at)
      VALUES (${e.id}, ${e.host}, ${e.pid}::int, ${e.slots}::int, 'running', clock_timestamp(), clock_timestamp())`;
    await appendEvent(tx, {
      type: "executor.started",
      data: { executorId: e.id, host: e.host, pid: e.pid, slots: e.slots },
      stream: { type: "executor", id: e.id },
      actor: { type: "system", id: null },
    });
  });
}

export async function markExecutorStopped(db: Db, o: { id: string; reason: string; completed: number; failed: number }): Promise<void> {
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE executors SET status = 'stopped', stopped_at = clock_timestamp(), heartbeat_at = clock_timestamp(), running = 0, pool_size = 0,
        completed = ${o.completed}::int, failed = ${o.failed}::int
      WHERE id = ${o.id} AND status <> 'stopped' RETURNING id`;
    if (rows.length === 0) return;
    await appendEvent(tx, {
      type: "executor.stopped",
      data: { executorId: o.id, reason: o.reason },
      stream: { type: "executor", id: o.id },
      actor: { type: "system", id: null },
    });
  });
}

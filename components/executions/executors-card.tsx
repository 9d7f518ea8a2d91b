// The overview's "Executors" card: how many executor processes are live (heartbeat within
// 3 leases), the slots they offer and use, the queue, the isolate pool and the last
// heartbeat; a warning when none is live, since then nothing can run.
import Link from "next/link";
import type { ExecutorHealth } from "@/lib/execution/records/get-executor-health";
import { CpuIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/relative-time";

export function ExecutorsCard({ health }: { health: ExecutorHealth | null }) {
  const state = health === null ? "unknown" : health.live === 0 ? "down" : health.queueDepth > health.slots ? "busy" : "ok";
  const badge =
    state === "unknown" ? (
      <Badge tone="neutral" dot className="h-6 px-2 text-[12.5px]">Unknown</Badge>
    ) : state === "down" ? (
      <Badge tone="danger" dot className="h-6 px-2 text-[12.5px]">No executor running</Badge>
    ) : (
      <Badge tone={state === "busy" ? "warning" : "success"} dot className="h-6 px-2 text-[12.5px]">
        {health!.live} live{state === "busy" ? " · busy" : ""}
      </Badge>
    );
  const lines: [string, React.ReactNode][] = health
    ? [
        ["Slots in use", `${health.running} of ${health.slots}`],
        ["Queue", `${health.queueDepth} waiting · ${health.runningExecutions} running`],
        ["Pooled isolates", String(health.poolSize)],
        ["Last heartbeat", health.lastHeartbeatAt ? <RelativeTime iso={health.lastHeartbeatAt} /> : "never"],
      ]
    : [];
  return (
    <Card className={cx("flex flex-col px-5 py-4", state === "down" && "border-danger/40")} data-testid="executors-card" data-state={state}>
      <p className="flex items-center gap-2 text-xs font-medium text-fg-subtle">
        <CpuIcon className="size-4" />
        Executors
      </p>
      <div className="mt-2.5">{badge}</div>
      {state === "down" && (
        <p className="mt-2 text-[12.5px] leading-snug text-danger" role="status">
          Nothing can run: invocations answer 503 until an executor heartbeats. <code className="font-mono text-[11.5px]">npm start</code> restarts its executors; <code className="font-mono text-[11.5px]">npm run worker</code> adds one.
        </p>
      )}
      {health === null && <p className="mt-2 text-[12.5px] text-fg-subtle">The executor table could not be read.</p>}
      <dl className="mt-3 space-y-1 text-[12.5px]">
        {lines.map(([k, v]) => (
          <div key={k} className="flex justify-between gap-3">
            <dt className="text-fg-subtle">{k}</dt>
            <dd className="truncate text-right font-medium text-fg-muted tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-auto pt-3">
        <Link href="/executions" className="text-[12.5px] font-medium text-accent hover:underline">
          Executions →
        </Link>
      </div>
    </Card>
  );
}

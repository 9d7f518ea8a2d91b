// An execution's (or a workflow step's) status as a coloured badge; in-progress states pulse.
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { statusMeta } from "./execution-format";

export function StatusBadge({ status, className, size = "sm" }: { status: string; className?: string; size?: "sm" | "md" }) {
  const meta = statusMeta(status);
  const pulsing = status === "running" || status === "queued";
  return (
    <Badge tone={meta.tone} dot className={cx(size === "md" && "h-6 px-2 text-[12.5px]", pulsing && "[&>span:first-child]:animate-pulse-dot", className)}>
      <span data-testid="execution-status" data-status={status}>
        {meta.label}
      </span>
    </Badge>
  );
}

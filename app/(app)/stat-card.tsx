import type { ReactNode } from "react";
import { ShieldCheckIcon } from "@/components/icons";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export function StatCard({ label, icon, value, lines, footer, testId }: { label: string; icon: ReactNode; value: ReactNode; lines: [string, string][]; footer?: ReactNode; testId?: string }) {
  return (
    <Card className="flex flex-col px-5 py-4" data-testid={testId}>
      <p className="flex items-center gap-2 text-xs font-medium text-fg-subtle">
        {icon}
        {label}
      </p>
      <div className="mt-2.5">{value}</div>
      <dl className="mt-3 space-y-1 text-[12.5px]">
        {lines.map(([k, v]) => (
          <div key={k} className="flex justify-between gap-3">
            <dt className="text-fg-subtle">{k}</dt>
            <dd className="truncate text-right font-medium text-fg-muted" title={v}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {footer && <div className="mt-auto pt-3">{footer}</div>}
    </Card>
  );
}

export function StatCardSkeleton({ label }: { label: string }) {
  return (
    <Card className="px-5 py-4" aria-busy="true">
      <p className="flex items-center gap-2 text-xs font-medium text-fg-subtle">
        <ShieldCheckIcon className="size-4" />
        {label}
      </p>
      <Skeleton className="mt-3 h-5 w-40" />
      <div className="mt-4 space-y-2">
        <Skeleton className="h-3.5" />
        <Skeleton className="h-3.5" />
        <Skeleton className="h-3.5 w-2/3" />
      </div>
    </Card>
  );
}

// One permission as people read it: what it lets the capability do in plain words, its
// name, and its risk as a coloured bar and badge, so a list reads at a glance. An optional
// control (a consent checkbox) sits at the left; `muted` shows a withheld permission.
import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { riskMeta } from "./format";
import { RiskBadge } from "./risk-badge";

export interface PermissionInfoView {
  name: string;
  label: string;
  explanation: string;
  risk: string;
}

export function PermissionRow({ permission, control, aside, muted = false, compact = false, htmlFor, className, children }: { permission: PermissionInfoView; control?: ReactNode; aside?: ReactNode; muted?: boolean; compact?: boolean; htmlFor?: string; className?: string; children?: ReactNode }) {
  const meta = riskMeta(permission.risk);
  const Wrapper = htmlFor ? "label" : "div";
  return (
    <Wrapper
      htmlFor={htmlFor}
      data-permission={permission.name}
      data-risk={permission.risk}
      className={cx(
        "relative flex items-start gap-3 overflow-hidden rounded-lg border border-border pr-3 pl-4 transition-colors",
        compact ? "py-2" : "py-2.5",
        muted ? "bg-surface-2/50" : cx("bg-surface", meta.row),
        htmlFor && "cursor-pointer hover:border-border-strong",
        className,
      )}
    >
      <span aria-hidden className={cx("absolute inset-y-0 left-0 w-1", muted ? "bg-border-strong" : meta.bar)} />
      {control && <span className="mt-0.5 flex shrink-0">{control}</span>}
      <span className="min-w-0 flex-1">
        <span className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <span className={cx("text-[13.5px] font-medium", muted ? "text-fg-muted line-through decoration-fg-subtle/60" : "text-fg")}>{permission.label}</span>
          <code className="font-mono text-[11.5px] text-fg-subtle">{permission.name}</code>
        </span>
        {!compact && <span className={cx("mt-0.5 block text-[12.5px] leading-snug", muted ? "text-fg-subtle" : "text-fg-muted")}>{permission.explanation}</span>}
        {children}
      </span>
      <span className="flex shrink-0 items-center gap-2">
        {aside}
        <RiskBadge risk={permission.risk} suffix="" />
      </span>
    </Wrapper>
  );
}

/** A one-line bar of how many permissions fall in each risk level. */
export function RiskSpectrum({ permissions, className }: { permissions: { risk: string }[]; className?: string }) {
  const counts = { low: 0, medium: 0, high: 0, critical: 0 } as Record<string, number>;
  for (const p of permissions) counts[p.risk] = (counts[p.risk] ?? 0) + 1;
  const total = permissions.length || 1;
  return (
    <div className={className}>
      <div className="flex h-1.5 overflow-hidden rounded-full bg-surface-3">
        {(["critical", "high", "medium", "low"] as const).map((r) =>
          counts[r] ? <span key={r} className={riskMeta(r).bar} style={{ width: `${(counts[r] / total) * 100}%` }} /> : null,
        )}
      </div>
      <div className="mt-1.5 flex flex-wrap gap-x-3 gap-y-1 text-[11.5px] text-fg-muted">
        {(["critical", "high", "medium", "low"] as const).map((r) =>
          counts[r] ? (
            <span key={r} className="inline-flex items-center gap-1">
              <span aria-hidden className={cx("size-1.5 rounded-full", riskMeta(r).bar)} />
              {counts[r]} {riskMeta(r).label.toLowerCase()}
            </span>
          ) : null,
        )}
      </div>
    </div>
  );
}

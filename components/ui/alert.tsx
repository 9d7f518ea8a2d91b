import type { ReactNode } from "react";
import { cx } from "./cx";

type AlertTone = "danger" | "warning" | "success" | "info";

const TONES: Record<AlertTone, string> = {
  danger: "border-danger/25 bg-danger-soft text-danger",
  warning: "border-warning/25 bg-warning-soft text-warning",
  success: "border-success/25 bg-success-soft text-success",
  info: "border-info/25 bg-info-soft text-info",
};

const ICONS: Record<AlertTone, ReactNode> = {
  danger: <path d="M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.2A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.8L13.7 3.9a2 2 0 0 0-3.4 0Z" />,
  warning: <path d="M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.2A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.8L13.7 3.9a2 2 0 0 0-3.4 0Z" />,
  success: <path d="M20 6 9 17l-5-5" />,
  info: <path d="M12 16v-4m0-4h.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z" />,
};

/** An inline message. Errors use role="alert" so screen readers announce them at once. */
export function Alert({ tone = "info", title, children, className, action, ...rest }: { tone?: AlertTone; title?: ReactNode; children?: ReactNode; className?: string; action?: ReactNode; "data-testid"?: string }) {
  return (
    <div role={tone === "danger" ? "alert" : "status"} data-testid={rest["data-testid"]} className={cx("flex items-start gap-2.5 rounded-lg border px-3 py-2.5 text-[13px]", TONES[tone], className)}>
      <svg aria-hidden viewBox="0 0 24 24" className="mt-px size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        {ICONS[tone]}
      </svg>
      <div className="min-w-0 flex-1 text-fg">
        {title && <p className="font-medium">{title}</p>}
        {children && <div className={cx(title ? "mt-0.5 text-fg-muted" : "")}>{children}</div>}
      </div>
      {action}
    </div>
  );
}

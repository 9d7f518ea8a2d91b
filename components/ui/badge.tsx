import type { ReactNode } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "accent" | "success" | "warning" | "danger" | "security" | "info";

const TONES: Record<BadgeTone, string> = {
  neutral: "bg-surface-2 text-fg-muted ring-border",
  accent: "bg-accent-soft text-accent-soft-fg ring-accent/20",
  success: "bg-success-soft text-success ring-success/20",
  warning: "bg-warning-soft text-warning ring-warning/25",
  danger: "bg-danger-soft text-danger ring-danger/20",
  security: "bg-security-soft text-security ring-security/20",
  info: "bg-info-soft text-info ring-info/20",
};

const DOTS: Record<BadgeTone, string> = {
  neutral: "bg-fg-subtle",
  accent: "bg-accent",
  success: "bg-success",
  warning: "bg-warning",
  danger: "bg-danger",
  security: "bg-security",
  info: "bg-info",
};

export function Badge({ tone = "neutral", dot = false, mono = false, className, children, title }: { tone?: BadgeTone; dot?: boolean; mono?: boolean; className?: string; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={cx(
        "inline-flex h-5 items-center gap-1.5 rounded-md px-1.5 text-[11.5px] leading-none font-medium whitespace-nowrap ring-1 ring-inset",
        mono && "font-mono text-[11px]",
        TONES[tone],
        className,
      )}
    >
      {dot && <span aria-hidden className={cx("size-1.5 rounded-full", DOTS[tone])} />}
      {children}
    </span>
  );
}

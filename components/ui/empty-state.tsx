import type { ReactNode } from "react";
import { cx } from "./cx";

export function EmptyState({ icon, title, description, actions, children, className }: { icon?: ReactNode; title: ReactNode; description?: ReactNode; actions?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div className={cx("flex flex-col items-center px-6 py-12 text-center", className)}>
      {icon && (
        <div className="mb-4 grid size-12 place-items-center rounded-xl border border-border bg-surface-2 text-fg-muted shadow-card [&>svg]:size-6">
          {icon}
        </div>
      )}
      <h3 className="text-[15px] font-semibold text-fg">{title}</h3>
      {description && <p className="mt-1 max-w-md text-[13px] leading-relaxed text-fg-muted">{description}</p>}
      {actions && <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{actions}</div>}
      {children}
    </div>
  );
}

import type { ReactNode } from "react";

export function SectionTitle({ id, children, aside, description }: { id?: string; children: ReactNode; aside?: ReactNode; description?: ReactNode }) {
  return (
    <div className="mb-3">
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={id} className="text-[15px] font-semibold tracking-tight text-fg">
          {children}
        </h2>
        {aside}
      </div>
      {description && <p className="mt-0.5 text-[13px] text-fg-muted">{description}</p>}
    </div>
  );
}

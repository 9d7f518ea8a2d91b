import type { ReactNode } from "react";
import { cx } from "./cx";

export function Kbd({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <kbd
      className={cx(
        "inline-flex h-[18px] min-w-[18px] items-center justify-center rounded border border-border-strong/80 border-b-2 bg-surface px-1 font-mono text-[10.5px] leading-none text-fg-muted",
        className,
      )}
    >
      {children}
    </kbd>
  );
}

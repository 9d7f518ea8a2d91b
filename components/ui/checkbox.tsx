import type { ComponentProps } from "react";
import { cx } from "./cx";

/** A native checkbox (keyboard, forms and labels work as usual) drawn to match the theme. */
export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <span className={cx("relative inline-grid size-4 shrink-0 place-items-center", className)}>
      <input
        type="checkbox"
        className={cx(
          "peer col-start-1 row-start-1 size-4 appearance-none rounded-[4px] border border-border-strong bg-surface transition-colors",
          "checked:border-accent checked:bg-accent indeterminate:border-accent indeterminate:bg-accent",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:opacity-50",
        )}
        {...props}
      />
      <svg
        aria-hidden
        viewBox="0 0 16 16"
        className="pointer-events-none col-start-1 row-start-1 size-3 text-accent-fg opacity-0 peer-checked:opacity-100"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.25"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="m3.5 8.5 3 3 6-7" />
      </svg>
    </span>
  );
}

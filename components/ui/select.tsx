import type { ComponentProps } from "react";
import { cx } from "./cx";
import { controlClasses } from "./input";

export interface SelectProps extends ComponentProps<"select"> {
  selectSize?: "sm" | "md";
}

export function Select({ className, selectSize = "md", children, ...props }: SelectProps) {
  return (
    <span className={cx("relative block", className)}>
      <select
        className={cx(controlClasses, "appearance-none pr-8", selectSize === "sm" ? "h-8 text-[13px]" : "h-9")}
        {...props}
      >
        {children}
      </select>
      <svg
        aria-hidden
        viewBox="0 0 16 16"
        className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-fg-subtle"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="m4 6 4 4 4-4" />
      </svg>
    </span>
  );
}

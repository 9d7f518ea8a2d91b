import type { ComponentProps } from "react";
import { cx } from "./cx";

export const controlClasses = cx(
  "block w-full rounded-lg border border-border-strong/80 bg-surface px-3 text-sm text-fg shadow-card",
  "placeholder:text-fg-subtle transition-colors",
  "hover:border-border-strong focus:border-accent focus:outline-none focus:ring-3 focus:ring-ring/25",
  "disabled:cursor-not-allowed disabled:opacity-60",
  "aria-invalid:border-danger aria-invalid:focus:ring-danger/20",
);

export interface InputProps extends ComponentProps<"input"> {
  invalid?: boolean;
  inputSize?: "sm" | "md";
}

export function Input({ className, invalid, inputSize = "md", ...props }: InputProps) {
  return (
    <input
      aria-invalid={invalid || undefined}
      className={cx(controlClasses, inputSize === "sm" ? "h-8 text-[13px]" : "h-9", className)}
      {...props}
    />
  );
}

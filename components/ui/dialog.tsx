"use client";
// A modal built on the native <dialog> element: showModal() gives focus trapping, Escape
// and inert background for free. `variant="drawer"` slides in from the side instead.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { cx } from "./cx";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  variant?: "center" | "drawer-left" | "drawer-right";
  /** When false, Escape and backdrop clicks do not close it (e.g. while saving). */
  dismissible?: boolean;
  className?: string;
  "data-testid"?: string;
}

const SIZES = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" };

export function Dialog({ open, onClose, title, description, children, footer, size = "md", variant = "center", dismissible = true, className, ...rest }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const isDrawer = variant !== "center";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={rest["data-testid"]}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissible) onClose();
      }}
      onClose={() => {
        if (open) onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget && dismissible) onClose();
      }}
      className={cx(
        "w-full overflow-visible border border-border bg-surface p-0 text-fg shadow-pop",
        isDrawer
          ? cx("fixed inset-y-0 m-0 h-dvh max-h-none max-w-xs rounded-none open:animate-slide-in", variant === "drawer-left" ? "left-0" : "right-0 left-auto")
          : cx("m-auto max-h-[calc(100dvh-2rem)] rounded-xl open:animate-fade-in", SIZES[size]),
        className,
      )}
    >
      {open && (
        <div className={cx("flex max-h-[inherit] flex-col", isDrawer && "h-full")}>
          <header className="flex items-start justify-between gap-4 px-5 pt-5 pb-3">
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold tracking-tight">
                {title}
              </h2>
              {description && (
                <p id={descriptionId} className="mt-1 text-[13px] text-fg-muted">
                  {description}
                </p>
              )}
            </div>
            {dismissible && (
              <button
                type="button"
                onClick={onClose}
                aria-label="Close"
                className="-mt-1 -mr-1 grid size-7 shrink-0 place-items-center rounded-md text-fg-subtle hover:bg-surface-2 hover:text-fg"
              >
                <svg aria-hidden viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round">
                  <path d="m4 4 8 8M12 4l-8 8" />
                </svg>
              </button>
            )}
          </header>
          <div className="min-h-0 flex-1 overflow-y-auto px-5 pb-5">{children}</div>
          {footer && <footer className="flex items-center justify-end gap-2 rounded-b-xl border-t border-border bg-surface-2/60 px-5 py-3">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}

/** A footer for dialogs whose buttons belong to a form inside the body. */
export function DialogFooter({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cx("-mx-5 mt-5 -mb-5 flex items-center justify-end gap-2 rounded-b-xl border-t border-border bg-surface-2/60 px-5 py-3", className)}>{children}</div>;
}

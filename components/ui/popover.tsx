"use client";
// A button that opens a panel below it (a disclosure). Closes on Escape, returning focus to
// the button, and on clicks outside. The panel content gets a close() for "Apply" buttons.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cx } from "./cx";

export function Popover({ button, buttonClassName, children, align = "start", panelClassName, buttonLabel, "data-testid": testId }: { button: ReactNode; buttonClassName?: string; children: (close: () => void) => ReactNode; align?: "start" | "end"; panelClassName?: string; buttonLabel?: string; "data-testid"?: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={buttonLabel}
        onClick={() => setOpen((o) => !o)}
        className={buttonClassName}
        data-testid={testId}
      >
        {button}
      </button>
      {open && (
        <div
          id={panelId}
          className={cx(
            "absolute top-full z-40 mt-1.5 animate-fade-in rounded-xl border border-border bg-surface shadow-pop",
            align === "end" ? "right-0" : "left-0",
            panelClassName,
          )}
        >
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

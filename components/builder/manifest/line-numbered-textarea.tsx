"use client";
// A plain textarea with a line-number gutter that scrolls with it, marking the lines that
// have errors. Cheaper than Monaco for a panel that is always on screen; tab inserts two
// spaces (Escape then Tab leaves the field, so keyboard users are never trapped).
import { useRef, useState, type KeyboardEvent } from "react";
import { cx } from "@/components/ui/cx";

export function LineNumberedTextarea({ value, onChange, onBlur, errorLines, label, describedBy }: { value: string; onChange: (v: string) => void; onBlur?: () => void; errorLines: ReadonlySet<number>; label: string; describedBy?: string }) {
  const gutter = useRef<HTMLDivElement>(null);
  const [escaped, setEscaped] = useState(false);
  const lines = value.split("\n").length;
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      setEscaped(true);
      return;
    }
    if (e.key === "Tab" && !e.shiftKey && !escaped) {
      e.preventDefault();
      const el = e.currentTarget;
      const { selectionStart: s, selectionEnd: t } = el;
      const next = `${value.slice(0, s)}  ${value.slice(t)}`;
      onChange(next);
      requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
      return;
    }
    setEscaped(false);
  };
  return (
    <div className="flex min-h-0 flex-1 overflow-hidden rounded-md border border-border bg-surface font-mono text-[12px] leading-[18px]">
      <div ref={gutter} aria-hidden="true" className="shrink-0 overflow-hidden border-r border-border bg-surface-2 py-2 text-right text-fg-subtle select-none">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={cx("px-2", errorLines.has(i + 1) && "bg-danger-soft font-semibold text-danger")}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        aria-label={label}
        aria-describedby={describedBy}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        className="min-h-[24rem] flex-1 resize-none bg-transparent px-3 py-2 whitespace-pre text-fg outline-none"
      />
    </div>
  );
}

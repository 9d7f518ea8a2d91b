"use client";
// A plain YAML editor: a monospace <textarea> (no soft wrap, so lines match their numbers)
// with a line-number gutter that scrolls with it and marks lines that have errors. Tab
// keeps its usual meaning (moves focus), so the page stays usable from the keyboard;
// indentation is typed with spaces. `goToLine` moves the caret to a line and shows it.
import { useImperativeHandle, useMemo, useRef, type KeyboardEvent, type Ref } from "react";
import { cx } from "@/components/ui/cx";
import { lineStartOffset } from "./yaml-error-lines";

export interface YamlEditorHandle {
  goToLine: (line: number) => void;
  focus: () => void;
}

export interface YamlEditorProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  errorLines?: ReadonlySet<number>;
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement>) => void;
  "aria-describedby"?: string;
  "aria-label"?: string;
  minRows?: number;
  maxRows?: number;
  ref?: Ref<YamlEditorHandle>;
}

const LINE_PX = 20;

export function YamlEditor({ id, value, onChange, readOnly = false, errorLines, onKeyDown, minRows = 12, maxRows = 32, ref, ...aria }: YamlEditorProps) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => value.split("\n").length, [value]);
  const rows = Math.min(maxRows, Math.max(minRows, lineCount + 1));

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const el = area.current;
      if (!el) return;
      const start = lineStartOffset(el.value, line);
      const nl = el.value.indexOf("\n", start);
      el.focus();
      el.setSelectionRange(start, nl < 0 ? el.value.length : nl);
      el.scrollTop = Math.max(0, (line - 3) * LINE_PX);
    },
    focus() {
      area.current?.focus();
    },
  }));

  return (
    <div className={cx("flex overflow-hidden rounded-lg border border-border-strong/80 bg-surface shadow-card focus-within:border-accent focus-within:ring-3 focus-within:ring-ring/25", readOnly && "bg-surface-2/50")}>
      <div ref={gutter} aria-hidden className="shrink-0 overflow-hidden border-r border-border bg-surface-2/70 py-2 text-right font-mono text-[12px] leading-5 text-fg-subtle select-none" style={{ height: rows * LINE_PX + 16 }}>
        {Array.from({ length: lineCount }, (_, i) => (
          <div key={i} className={cx("px-2.5 tabular-nums", errorLines?.has(i + 1) && "bg-danger-soft font-semibold text-danger")}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        ref={area}
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onKeyDown={onKeyDown}
        readOnly={readOnly}
        rows={rows}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete="off"
        aria-invalid={errorLines && errorLines.size > 0 ? true : undefined}
        className="block min-w-0 flex-1 resize-none bg-transparent px-3 py-2 font-mono text-[12.5px] leading-5 whitespace-pre text-fg focus:outline-none"
        style={{ height: rows * LINE_PX + 16 }}
        {...aria}
      />
    </div>
  );
}

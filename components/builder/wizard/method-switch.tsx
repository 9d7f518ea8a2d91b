"use client";
// The builder's method switch: a radiogroup "Method" (Visual, Code, API connector, Upload)
// with arrow-key movement between the radios, as the WAI-ARIA radio group pattern asks.
import { useRef, type KeyboardEvent } from "react";
import { cx } from "@/components/ui/cx";
import type { BuilderMethod } from "@/lib/builder/draft/draft-state";

export const METHOD_LABELS: Record<BuilderMethod, { label: string; hint: string }> = {
  visual: { label: "Visual", hint: "Draw a flow: input → HTTP → transform → condition → output" },
  code: { label: "Code", hint: "Write JavaScript that runs in the sandbox" },
  connector: { label: "API connector", hint: "Describe a REST API: base URL, auth, endpoints" },
  upload: { label: "Upload", hint: "Drop or paste a YAML/JSON manifest" },
};
const ORDER: BuilderMethod[] = ["visual", "code", "connector", "upload"];

export function MethodSwitch({ value, onChange }: { value: BuilderMethod; onChange: (m: BuilderMethod) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (e: KeyboardEvent, i: number) => {
    const delta = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (i + delta + ORDER.length) % ORDER.length;
    onChange(ORDER[next]!);
    refs.current[next]?.focus();
  };
  return (
    <div role="radiogroup" aria-label="Method" className="inline-flex flex-wrap gap-1 rounded-lg border border-border bg-surface-2 p-1">
      {ORDER.map((m, i) => (
        <button
          key={m}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={value === m}
          tabIndex={value === m ? 0 : -1}
          title={METHOD_LABELS[m].hint}
          onClick={() => onChange(m)}
          onKeyDown={(e) => move(e, i)}
          className={cx(
            "rounded-md px-3 py-1.5 text-[13px] font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring",
            value === m ? "bg-surface text-fg shadow-card" : "text-fg-muted hover:text-fg",
          )}
        >
          {METHOD_LABELS[m].label}
        </button>
      ))}
    </div>
  );
}

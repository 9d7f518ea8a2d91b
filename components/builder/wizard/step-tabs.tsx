"use client";
// The wizard's four steps as a tablist "Steps" (Basics, Actions, Configuration, Test), each
// with a badge counting the manifest problems that belong to it. Arrow keys move between
// tabs; the panel is labelled by its tab.
import { useRef, type KeyboardEvent } from "react";
import { cx } from "@/components/ui/cx";
import type { BuilderStep } from "@/lib/builder/draft/draft-state";

export const STEP_LABELS: Record<BuilderStep, string> = { basics: "Basics", actions: "Actions", configuration: "Configuration", test: "Test" };
export const STEP_ORDER: BuilderStep[] = ["basics", "actions", "configuration", "test"];

export const tabId = (s: BuilderStep) => `builder-tab-${s}`;
export const panelId = (s: BuilderStep) => `builder-panel-${s}`;

export function StepTabs({ value, onChange, problems }: { value: BuilderStep; onChange: (s: BuilderStep) => void; problems: Record<BuilderStep, number> }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (e: KeyboardEvent, i: number) => {
    const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (i + delta + STEP_ORDER.length) % STEP_ORDER.length;
    onChange(STEP_ORDER[next]!);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Steps" className="flex gap-1 overflow-x-auto border-b border-border">
      {STEP_ORDER.map((s, i) => {
        const n = problems[s];
        return (
          <button
            key={s}
            ref={(el) => {
              refs.current[i] = el;
            }}
            id={tabId(s)}
            type="button"
            role="tab"
            aria-selected={value === s}
            aria-controls={panelId(s)}
            tabIndex={value === s ? 0 : -1}
            onClick={() => onChange(s)}
            onKeyDown={(e) => move(e, i)}
            className={cx(
              "-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-[13px] font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-ring",
              value === s ? "border-accent text-fg" : "border-transparent text-fg-muted hover:text-fg",
            )}
          >
            <span aria-hidden="true" className="grid size-5 place-items-center rounded-full bg-surface-3 text-[11px] text-fg-muted">{i + 1}</span>
            {STEP_LABELS[s]}
            {n > 0 && (
              <span className="rounded-full bg-danger-soft px-1.5 text-[11px] font-semibold text-danger" title={`${n} problem${n === 1 ? "" : "s"}`} data-testid={`step-problems-${s}`}>
                {n}
                <span className="sr-only"> problem{n === 1 ? "" : "s"}</span>
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

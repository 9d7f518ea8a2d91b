"use client";
// The list of what stops the draft from being a valid manifest: each problem with its path
// (and line, for text errors), a button that takes the author to the step and field — or
// the canvas node — concerned.
import { AlertIcon, CheckCircleIcon } from "@/components/icons";

export interface PanelProblem {
  path: string;
  message: string;
  nodeId?: string;
  line?: number;
  column?: number;
}

export function ProblemsList({ problems, onGoTo, emptyText = "No problems: the manifest is valid.", label = "Problems" }: { problems: PanelProblem[]; onGoTo?: (p: PanelProblem) => void; emptyText?: string; label?: string }) {
  if (!problems.length) {
    return (
      <p className="flex items-center gap-1.5 text-[12.5px] text-success" data-testid="manifest-valid">
        <CheckCircleIcon className="size-3.5" /> {emptyText}
      </p>
    );
  }
  return (
    <ul aria-label={label} className="max-h-60 space-y-1 overflow-y-auto" data-testid="manifest-problems">
      {problems.map((p, i) => {
        const where = `${p.path}${p.line ? ` (line ${p.line}${p.column ? `:${p.column}` : ""})` : ""}${p.nodeId ? ` · node ${p.nodeId}` : ""}`;
        const body = (
          <>
            <AlertIcon className="mt-0.5 size-3.5 shrink-0 text-danger" />
            <span className="min-w-0">
              <span className="font-mono text-[11.5px] text-fg-muted">{where}</span>
              <span className="block text-fg">{p.message}</span>
            </span>
          </>
        );
        return (
          <li key={`${p.path}-${i}`}>
            {onGoTo ? (
              <button type="button" onClick={() => onGoTo(p)} className="flex w-full items-start gap-1.5 rounded-md px-1.5 py-1 text-left text-[12.5px] hover:bg-surface-2 focus-visible:outline-2 focus-visible:outline-ring">
                {body}
              </button>
            ) : (
              <div className="flex items-start gap-1.5 px-1.5 py-1 text-[12.5px]">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

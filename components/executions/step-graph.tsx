"use client";
// A workflow's steps as a left→right DAG in SVG: columns by dependency depth, nodes coloured
// by state with their duration, edges from each step to the ones that wait for it (solid
// once the source succeeded, dashed otherwise). Nodes are buttons: click, Enter or Space
// selects one (the page shows its input, output and error); arrow keys move between them.
import { useMemo, useRef } from "react";
import type { StepGraph, StepGraphNode } from "@/lib/execution/records/step-graph";
import { cx } from "@/components/ui/cx";
import { formatDuration, statusMeta } from "./execution-format";
import { layoutStepGraph, NODE_HEIGHT, NODE_WIDTH } from "./step-graph-layout";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function nodeCaption(n: StepGraphNode): string {
  if (n.state === "skipped") return "skipped";
  if (n.state === "not_run") return "not run";
  if (n.state === "pending") return "waiting";
  if (n.state === "running") return "running…";
  const label = n.state === "succeeded" ? formatDuration(n.durationMs) : `${statusMeta(n.state).label.toLowerCase()}${n.durationMs !== null ? ` · ${formatDuration(n.durationMs)}` : ""}`;
  const extra = [n.attempts > 1 ? `${n.attempts} attempts` : null, n.handled === "fallback" ? "fallback" : n.handled === "continue" ? "continued" : null].filter(Boolean);
  return [label, ...extra].join(" · ");
}

export function StepGraphView({ graph, selected, onSelect }: { graph: StepGraph; selected: string | null; onSelect: (stepId: string) => void }) {
  const layout = useMemo(() => layoutStepGraph(graph.nodes), [graph.nodes]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph.nodes]);
  const refs = useRef(new Map<string, SVGGElement>());

  function move(from: string, key: string) {
    const here = layout.nodes.get(from);
    if (!here) return;
    const all = [...layout.nodes.values()];
    let target;
    if (key === "ArrowDown" || key === "ArrowUp") {
      const column = all.filter((p) => p.column === here.column).sort((a, b) => a.row - b.row);
      target = column[here.row + (key === "ArrowDown" ? 1 : -1)];
    } else {
      const column = all.filter((p) => p.column === here.column + (key === "ArrowRight" ? 1 : -1));
      target = column.sort((a, b) => Math.abs(a.y - here.y) - Math.abs(b.y - here.y))[0];
    }
    if (target) refs.current.get(target.id)?.focus();
  }

  return (
    <div className="overflow-x-auto" data-testid="step-graph">
      <svg
        role="group"
        aria-label={`Workflow steps: ${graph.nodes.length} steps in ${graph.layers} stage${graph.layers === 1 ? "" : "s"}`}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="block"
      >
        <defs>
          <marker id="step-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-border-strong" />
          </marker>
        </defs>
        {layout.edges.map((e) => {
          const done = byId.get(e.from)?.state === "succeeded";
          const lit = selected !== null && (e.from === selected || e.to === selected);
          return (
            <path
              key={`${e.from}->${e.to}`}
              d={e.path}
              fill="none"
              markerEnd="url(#step-arrow)"
              data-testid="step-edge"
              data-from={e.from}
              data-to={e.to}
              className={cx(lit ? "stroke-accent" : "stroke-border-strong", "transition-colors")}
              strokeWidth={lit ? 2 : 1.5}
              strokeDasharray={done ? undefined : "4 4"}
            />
          );
        })}
        {graph.nodes.map((n) => {
          const p = layout.nodes.get(n.id);
          if (!p) return null;
          const meta = statusMeta(n.state);
          const isSelected = selected === n.id;
          const caption = nodeCaption(n);
          return (
            <g
              key={n.id}
              ref={(el) => {
                if (el) refs.current.set(n.id, el);
                else refs.current.delete(n.id);
              }}
              role="button"
              tabIndex={0}
              aria-pressed={isSelected}
              aria-label={`Step ${n.id}, ${n.action}: ${meta.label}${n.durationMs !== null ? ` in ${formatDuration(n.durationMs)}` : ""}`}
              data-testid="step-node"
              data-step={n.id}
              data-state={n.state}
              transform={`translate(${p.x} ${p.y})`}
              className="group cursor-pointer outline-none"
              onClick={() => onSelect(n.id)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  onSelect(n.id);
                } else if (e.key.startsWith("Arrow")) {
                  e.preventDefault();
                  move(n.id, e.key);
                }
              }}
            >
              <title>{`${n.id} · ${n.action} · ${meta.label}${n.errorMessage ? ` · ${n.errorMessage}` : ""}${n.skipReason ? ` · ${n.skipReason}` : ""}`}</title>
              <rect
                x={-4}
                y={-4}
                width={NODE_WIDTH + 8}
                height={NODE_HEIGHT + 8}
                rx={12}
                className="fill-none stroke-ring opacity-0 group-focus-visible:opacity-100"
                strokeWidth={2}
              />
              <rect
                width={NODE_WIDTH}
                height={NODE_HEIGHT}
                rx={9}
                className={cx(meta.node, isSelected ? "stroke-accent" : meta.stroke, "transition-colors group-hover:brightness-[0.97]")}
                strokeWidth={isSelected ? 2.5 : 1.25}
                strokeDasharray={n.state === "skipped" || n.state === "not_run" ? "5 4" : undefined}
              />
              <circle cx={14} cy={17} r={4} className={cx(meta.text, n.state === "running" && "animate-pulse")} />
              <text x={26} y={21} className="fill-fg text-[12.5px] font-semibold">
                {clip(n.id, 22)}
              </text>
              <text x={12} y={36} className="fill-fg-muted font-mono text-[10.5px]">
                {clip(n.action, 30)}
              </text>
              <text x={12} y={50} className={cx(meta.text, "text-[10.5px] font-medium")} data-testid="step-caption">
                {clip(caption, 32)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

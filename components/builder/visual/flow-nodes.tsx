"use client";
// The canvas' node cards (issue 7): one component per node type showing what the node does
// (fields, request, mappings, condition) with its handles, its problems from validation (red
// outline + messages) and the failing node of a test run (amber outline). Presentation only:
// editing happens in the side panel (node-panel.tsx).
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import type { FlowNodeType } from "@/lib/builder/flow/flow-types";
import type { FlowNodeInput } from "@/lib/builder/flow/edit-flow";
import type { FlowError } from "@/lib/builder/flow/validate-flow";

export interface CanvasNodeData extends Record<string, unknown> {
  node: FlowNodeInput;
  errors: FlowError[];
  highlighted: boolean;
}
export type CanvasNode = Node<CanvasNodeData>;

export const NODE_TYPE_LABELS: Record<FlowNodeType, string> = {
  input: "Input",
  http: "HTTP request",
  transform: "Transform",
  condition: "Condition",
  output: "Output",
};

export const NODE_TYPE_HINTS: Record<FlowNodeType, string> = {
  input: "The action's inputs: where the flow starts",
  http: "Calls an API with templates of the inputs",
  transform: "Computes fields with expressions",
  condition: "Branches on an expression: true or false",
  output: "The fields the action returns",
};

const TONES: Record<FlowNodeType, string> = {
  input: "bg-info-soft text-info",
  http: "bg-security-soft text-security",
  transform: "bg-accent-soft text-accent-soft-fg",
  condition: "bg-warning-soft text-warning",
  output: "bg-success-soft text-success",
};

const GLYPHS: Record<FlowNodeType, ReactNode> = {
  input: <path d="M3 12h12m-4-4 4 4-4 4M15 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" />,
  http: <><circle cx="12" cy="12" r="9" /><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" /></>,
  transform: <path d="M4 7h11m0 0-3-3m3 3-3 3M20 17H9m0 0 3-3m-3 3 3 3" />,
  condition: <path d="M12 3v6m0 0-6 6v6m6-12 6 6v6" />,
  output: <path d="M9 12h12m-4-4 4 4-4 4M9 4H5a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h4" />,
};

export function NodeGlyph({ type, className }: { type: FlowNodeType; className?: string }) {
  return (
    <span aria-hidden className={cx("grid size-6 shrink-0 place-items-center rounded-md", TONES[type], className)}>
      <svg viewBox="0 0 24 24" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        {GLYPHS[type]}
      </svg>
    </span>
  );
}

const handleClass = "!size-2.5 !border-2 !border-surface !bg-fg-subtle";

function Row({ children }: { children: ReactNode }) {
  return <li className="truncate font-mono text-[11.5px] text-fg-muted">{children}</li>;
}

function Summary({ node }: { node: FlowNodeInput }) {
  switch (node.type) {
    case "input":
    case "output": {
      const fields = node.data.fields ?? [];
      if (!fields.length) return <p className="text-[12px] text-fg-subtle italic">No fields</p>;
      return (
        <ul className="space-y-0.5">
          {fields.slice(0, 5).map((f, i) => (
            <Row key={i}>
              {f.name || "…"}
              <span className="text-fg-subtle">: {f.type ?? "string"}</span>
              {"required" in f && f.required ? <span className="text-danger">*</span> : null}
            </Row>
          ))}
          {fields.length > 5 && <li className="text-[11px] text-fg-subtle">+{fields.length - 5} more</li>}
        </ul>
      );
    }
    case "http":
      return (
        <p className="truncate font-mono text-[11.5px] text-fg-muted" title={node.data.url}>
          <span className="font-semibold text-fg">{node.data.method ?? "GET"}</span> {node.data.url || "…"}
        </p>
      );
    case "transform": {
      const mappings = node.data.mappings ?? [];
      if (!mappings.length) return <p className="text-[12px] text-fg-subtle italic">No mappings</p>;
      return (
        <ul className="space-y-0.5">
          {mappings.slice(0, 4).map((m, i) => (
            <Row key={i}>
              <span className="text-fg">{m.target || "…"}</span> ← {m.expression || "…"}
            </Row>
          ))}
          {mappings.length > 4 && <li className="text-[11px] text-fg-subtle">+{mappings.length - 4} more</li>}
        </ul>
      );
    }
    case "condition":
      return <p className="truncate font-mono text-[11.5px] text-fg-muted" title={node.data.expression}>if {node.data.expression || "…"}</p>;
  }
}

function FlowNodeCard({ data, selected }: NodeProps<CanvasNode>) {
  const { node, errors, highlighted } = data;
  const type = node.type;
  const invalid = errors.length > 0;
  return (
    <div
      data-invalid={invalid || undefined}
      data-highlighted={highlighted || undefined}
      className={cx(
        "relative w-60 rounded-xl border bg-surface text-left shadow-card transition-shadow",
        invalid ? "border-danger ring-2 ring-danger/30" : "border-border-strong/80",
        highlighted && "outline-3 outline-offset-3 outline-warning outline-dashed",
        selected && !invalid && "border-accent ring-3 ring-ring/30",
        selected && invalid && "ring-4 ring-danger/40",
      )}
    >
      {type !== "input" && <Handle type="target" position={Position.Left} className={handleClass} title="Drag a connection here" />}
      <div className="flex items-center gap-2 border-b border-border px-3 py-2">
        <NodeGlyph type={type} />
        <div className="min-w-0 flex-1">
          <p className="text-[13px] leading-tight font-semibold text-fg">{NODE_TYPE_LABELS[type]}</p>
          <p className="truncate font-mono text-[11px] leading-tight text-fg-subtle">{node.id}</p>
        </div>
        {highlighted && <span className="rounded bg-warning-soft px-1.5 py-0.5 text-[10.5px] font-medium text-warning">Failed in test</span>}
        {invalid && !highlighted && (
          <span className="rounded bg-danger-soft px-1.5 py-0.5 text-[10.5px] font-medium text-danger">
            {errors.length} {errors.length === 1 ? "problem" : "problems"}
          </span>
        )}
      </div>
      <div className="px-3 py-2">
        <Summary node={node} />
      </div>
      {invalid && (
        <ul data-testid={`flow-node-errors-${node.id}`} className="space-y-0.5 border-t border-danger/25 bg-danger-soft px-3 py-1.5 text-[11.5px] leading-snug text-danger">
          {errors.slice(0, 2).map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
          {errors.length > 2 && <li>+{errors.length - 2} more in the panel</li>}
        </ul>
      )}
      {type === "condition" ? (
        <>
          <Handle id="true" type="source" position={Position.Right} style={{ top: "35%" }} className={cx(handleClass, "!bg-success")} title="When true: drag to connect" />
          <span className="pointer-events-none absolute top-[35%] -right-9 -translate-y-1/2 text-[10.5px] font-medium text-success">true</span>
          <Handle id="false" type="source" position={Position.Right} style={{ top: "70%" }} className={cx(handleClass, "!bg-danger")} title="When false: drag to connect" />
          <span className="pointer-events-none absolute top-[70%] -right-9 -translate-y-1/2 text-[10.5px] font-medium text-danger">false</span>
        </>
      ) : (
        type !== "output" && <Handle type="source" position={Position.Right} className={handleClass} title="Drag to connect to the next node" />
      )}
    </div>
  );
}

/** The xyflow type of a node: prefixed, because xyflow styles its own "input" and "output" types. */
export const canvasNodeType = (type: FlowNodeType) => `flow_${type}`;

export const canvasNodeTypes = {
  flow_input: FlowNodeCard,
  flow_http: FlowNodeCard,
  flow_transform: FlowNodeCard,
  flow_condition: FlowNodeCard,
  flow_output: FlowNodeCard,
};

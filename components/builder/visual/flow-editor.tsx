"use client";
// The visual builder's flow canvas (issue 7), on @xyflow/react: a palette that adds nodes
// (click, or drag onto the canvas), node cards with handles (a condition has "true" and
// "false" handles), wiring by dragging handles (or from the side panel, with the keyboard),
// Delete/Backspace removes the selection, arrow keys move a selected node, minimap, zoom
// controls and fit view. Validation errors (FlowError with nodeId/edgeId) are drawn on the
// canvas (red outline + message, red edges) and listed; `highlightNodeId` (the failing node
// of a test run) gets an amber outline. Controlled: `value` is the truth, every edit calls
// `onChange` with a new graph (positions once a drag ends). The xyflow CSS is imported from
// the package, so it works offline.
import "@xyflow/react/dist/style.css";
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState, type CSSProperties, type DragEvent } from "react";
import { cx } from "@/components/ui/cx";
import { addNode, attachFlowErrorIds, checkConnection, connect, groupFlowErrors, moveNodes, placementAfter, removeElements, type FlowNodeInput } from "@/lib/builder/flow/edit-flow";
import { FLOW_NODE_TYPES, type FlowGraphInput, type FlowNodeType } from "@/lib/builder/flow/flow-types";
import type { FlowError } from "@/lib/builder/flow/validate-flow";
import { canvasNodeType, canvasNodeTypes, NODE_TYPE_HINTS, NODE_TYPE_LABELS, NodeGlyph, type CanvasNode } from "./flow-nodes";
import { NodePanel } from "./node-panel";

export interface FlowEditorProps {
  value: FlowGraphInput;
  onChange: (g: FlowGraphInput) => void;
  errors: FlowError[];
  highlightNodeId?: string | null;
  readOnly?: boolean;
}

const DRAG_TYPE = "application/x-capreg-flow-node";
type Size = { width: number; height: number };

// xyflow's own variables, pointed at our theme tokens so light and dark both follow the app.
const THEME = {
  "--xy-background-color": "var(--bg)",
  "--xy-background-pattern-color": "var(--border-strong)",
  "--xy-edge-stroke": "var(--fg-subtle)",
  "--xy-edge-stroke-selected": "var(--accent)",
  "--xy-connectionline-stroke": "var(--accent)",
  "--xy-minimap-background-color": "var(--surface)",
  "--xy-minimap-mask-background-color": "color-mix(in srgb, var(--surface-3) 60%, transparent)",
  "--xy-minimap-node-background-color": "var(--surface-3)",
  "--xy-controls-button-background-color": "var(--surface)",
  "--xy-controls-button-background-color-hover": "var(--surface-2)",
  "--xy-controls-button-color": "var(--fg)",
  "--xy-controls-button-border-color": "var(--border)",
  "--xy-attribution-background-color": "transparent",
} as CSSProperties;

function Palette({ onAdd, disabled }: { onAdd: (type: FlowNodeType) => void; disabled: boolean }) {
  return (
    <div role="toolbar" aria-label="Add node" className="flex flex-wrap items-center gap-1.5 border-b border-border bg-surface px-3 py-2">
      <span className="mr-1 text-[12px] font-medium text-fg-muted">Add</span>
      {FLOW_NODE_TYPES.map((type) => (
        <button
          key={type}
          type="button"
          draggable={!disabled}
          disabled={disabled}
          aria-label={`Add ${NODE_TYPE_LABELS[type]} node`}
          title={`${NODE_TYPE_HINTS[type]}. Click to add, or drag onto the canvas.`}
          onClick={() => onAdd(type)}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, type);
            e.dataTransfer.effectAllowed = "move";
          }}
          className={cx(
            "inline-flex h-8 cursor-grab items-center gap-1.5 rounded-lg border border-border-strong/80 bg-surface pr-2.5 pl-1 text-[13px] font-medium text-fg shadow-card",
            "hover:bg-surface-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring active:cursor-grabbing disabled:opacity-50",
          )}
        >
          <NodeGlyph type={type} />
          {NODE_TYPE_LABELS[type]}
        </button>
      ))}
      <span className="ml-auto hidden text-[11.5px] text-fg-subtle @3xl:inline">Drag from a handle to connect · Delete removes · arrows move</span>
    </div>
  );
}

function Overview({ errors, general, onSelect }: { errors: FlowError[]; general: FlowError[]; onSelect: (id: string) => void }) {
  return (
    <div className="space-y-3 p-4 text-[13px]" data-testid="flow-overview">
      <div>
        <h3 className="text-sm font-semibold text-fg">Flow</h3>
        <p className="mt-0.5 text-fg-muted">Select a node to configure it. Data flows left to right from the Input node to an Output node.</p>
      </div>
      {errors.length === 0 ? (
        <p role="status" className="rounded-lg border border-success/25 bg-success-soft px-3 py-2 text-success">
          The flow is valid.
        </p>
      ) : (
        <div role="alert" className="rounded-lg border border-danger/25 bg-danger-soft px-3 py-2 text-danger">
          <p className="font-medium">
            {errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix
          </p>
          <ul className="mt-1 space-y-1">
            {general.map((e, i) => (
              <li key={`g${i}`}>{e.message}</li>
            ))}
            {errors
              .filter((e) => e.nodeId !== undefined)
              .map((e, i) => (
                <li key={i}>
                  <button type="button" className="text-left underline decoration-danger/40 underline-offset-2 hover:decoration-danger" onClick={() => onSelect(e.nodeId!)}>
                    <code className="font-mono">{e.nodeId}</code>: {e.message}
                  </button>
                </li>
              ))}
            {errors
              .filter((e) => e.nodeId === undefined && e.edgeId !== undefined)
              .map((e, i) => (
                <li key={`e${i}`}>{e.message}</li>
              ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Canvas({ value, onChange, errors, highlightNodeId, readOnly = false }: FlowEditorProps) {
  const { screenToFlowPosition, fitView, getViewport } = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  // Dimensions xyflow measured (it hides nodes it has not measured), and positions mid-drag.
  const [sizes, setSizes] = useState<ReadonlyMap<string, Size>>(new Map());
  const [dragging, setDragging] = useState<ReadonlyMap<string, { x: number; y: number }>>(new Map());
  // Positions mid-drag as the change events report them (state above is what renders).
  const dragRef = useRef(new Map<string, { x: number; y: number }>());
  const located = useMemo(() => attachFlowErrorIds(errors, value), [errors, value]);
  const grouped = useMemo(() => groupFlowErrors(located), [located]);
  const selected = value.nodes.find((n) => n.id === selectedId) ?? null;

  const nodes: CanvasNode[] = useMemo(
    () =>
      value.nodes.map((n: FlowNodeInput) => {
        const nodeErrors = grouped.byNode.get(n.id) ?? [];
        const highlighted = n.id === highlightNodeId;
        return {
          id: n.id,
          type: canvasNodeType(n.type),
          position: dragging.get(n.id) ?? n.position,
          data: { node: n, errors: nodeErrors, highlighted },
          selected: n.id === selectedId,
          dragging: dragging.has(n.id),
          measured: sizes.get(n.id),
          ariaLabel: `${NODE_TYPE_LABELS[n.type]} node ${n.id}${nodeErrors.length ? `, ${nodeErrors.length} ${nodeErrors.length === 1 ? "problem" : "problems"}` : ""}${highlighted ? ", failed in the test run" : ""}`,
          deletable: !readOnly,
          className: "rounded-xl focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-ring",
        };
      }),
    [value.nodes, grouped, highlightNodeId, dragging, selectedId, sizes, readOnly],
  );

  const edges: Edge[] = useMemo(
    () =>
      value.edges.map((e) => {
        const edgeErrors = grouped.byEdge.get(e.id) ?? [];
        const invalid = edgeErrors.length > 0;
        const branch = e.sourceHandle;
        const stroke = invalid ? "var(--danger)" : branch === "true" ? "var(--success)" : branch === "false" ? "var(--danger)" : undefined;
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          sourceHandle: branch ?? null,
          selected: selectedEdges.has(e.id),
          animated: invalid,
          // The full message is on the node and in the list; the edge only says that it is the problem.
          label: invalid ? `✕ ${branch ? `${branch}: ` : ""}invalid connection` : branch,
          labelStyle: { fill: invalid ? "var(--danger)" : "var(--fg-muted)", fontSize: 11 },
          labelBgStyle: { fill: "var(--surface)" },
          style: stroke ? { stroke, strokeWidth: invalid ? 2.5 : 1.75, ...(invalid ? { strokeDasharray: "6 4" } : {}) } : { strokeWidth: 1.75 },
          markerEnd: { type: MarkerType.ArrowClosed, color: stroke ?? "var(--fg-subtle)" },
          className: invalid ? "flow-edge-invalid" : undefined,
          ariaLabel: `Connection from ${e.source}${branch ? ` (${branch})` : ""} to ${e.target}${invalid ? `: ${edgeErrors[0]!.message}` : ""}`,
          deletable: !readOnly,
          data: { invalid },
        };
      }),
    [value.edges, grouped, selectedEdges, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const moved = new Map<string, { x: number; y: number }>();
      const measured: { id: string; size: Size }[] = [];
      let dragChanged = false;
      for (const c of changes) {
        if (c.type === "dimensions" && c.dimensions) measured.push({ id: c.id, size: c.dimensions });
        else if (c.type === "position" && !readOnly) {
          dragChanged = true;
          if (c.dragging && c.position) dragRef.current.set(c.id, c.position);
          else {
            // The drag ended (or a keyboard move): commit the position to the graph.
            const p = c.position ?? dragRef.current.get(c.id);
            if (p) moved.set(c.id, p);
            dragRef.current.delete(c.id);
          }
        } else if (c.type === "select") {
          if (c.selected) setSelectedId(c.id);
          else setSelectedId((cur) => (cur === c.id ? null : cur));
        }
        // "remove" is handled once, for nodes and edges together, by onDelete.
      }
      if (measured.length) {
        setSizes((prev) => {
          let next: Map<string, Size> | null = null;
          for (const { id, size } of measured) {
            const old = (next ?? prev).get(id);
            if (old && old.width === size.width && old.height === size.height) continue;
            next ??= new Map(prev);
            next.set(id, size);
          }
          return next ?? prev;
        });
      }
      if (dragChanged) setDragging(new Map(dragRef.current));
      if (moved.size) onChange(moveNodes(value, moved));
    },
    [readOnly, onChange, value],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setSelectedEdges((prev) => {
      let next: Set<string> | null = null;
      for (const c of changes) {
        if (c.type !== "select") continue;
        next ??= new Set(prev);
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      return next ?? prev;
    });
  }, []);

  const onDelete: OnDelete = useCallback(
    ({ nodes: ns, edges: es }) => {
      if (readOnly) return;
      onChange(removeElements(value, ns.map((n) => n.id), es.map((e) => e.id)));
      if (ns.some((n) => n.id === selectedId)) setSelectedId(null);
      setSelectedEdges(new Set());
    },
    [readOnly, onChange, value, selectedId],
  );

  const onConnect = useCallback((c: Connection) => onChange(connect(value, c.source, c.target, c.sourceHandle)), [onChange, value]);
  const isValidConnection = useCallback((c: Connection | Edge) => checkConnection(value, c.source, c.target, c.sourceHandle).ok, [value]);

  const add = useCallback(
    (type: FlowNodeType, position?: { x: number; y: number }) => {
      const at = position ?? placementAfter(value, selectedId);
      const { graph, id } = addNode(value, type, at);
      onChange(graph);
      setSelectedId(id);
      // Added with a button outside the visible part of the canvas: show the whole flow again.
      const rect = canvasRef.current?.getBoundingClientRect();
      const { x, y, zoom } = getViewport();
      const sx = at.x * zoom + x;
      const sy = at.y * zoom + y;
      if (!position && rect && (sx < 0 || sy < 0 || sx + 240 * zoom > rect.width || sy + 170 * zoom > rect.height)) {
        window.setTimeout(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 200 }), 50);
      }
    },
    [value, selectedId, onChange, getViewport, fitView],
  );

  const onDrop = useCallback(
    (e: DragEvent<HTMLDivElement>) => {
      const type = e.dataTransfer.getData(DRAG_TYPE) as FlowNodeType;
      if (!FLOW_NODE_TYPES.includes(type) || readOnly) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      add(type, { x: p.x - 120, y: p.y - 30 });
    },
    [add, readOnly, screenToFlowPosition],
  );

  const selectNode = useCallback(
    (id: string | null) => {
      setSelectedId(id);
      if (id && value.nodes.some((n) => n.id === id)) void fitView({ nodes: [{ id }], maxZoom: 1.2, duration: 200 });
    },
    [fitView, value.nodes],
  );

  return (
    // Sized by its container, not the viewport: the wizard places it in a column of any width.
    <div className="@container overflow-hidden rounded-xl border border-border bg-surface shadow-card">
      {!readOnly && <Palette onAdd={(t) => add(t)} disabled={readOnly} />}
      {grouped.general.length > 0 && (
        <div role="alert" data-testid="flow-general-errors" className="border-b border-danger/25 bg-danger-soft px-3 py-1.5 text-[12.5px] text-danger">
          {grouped.general.map((e) => e.message).join(" · ")}
        </div>
      )}
      <div className="flex flex-col @3xl:flex-row">
        <div
          ref={canvasRef}
          role="region"
          aria-label="Flow canvas"
          data-testid="flow-canvas"
          className="relative h-[560px] w-full min-w-0 @3xl:w-auto @3xl:flex-1"
          onDragOver={(e) => {
            if (readOnly || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
          }}
          onDrop={onDrop}
        >
          <ReactFlow<CanvasNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={canvasNodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onDelete={onDelete}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onPaneClick={() => setSelectedId(null)}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            elementsSelectable
            nodesFocusable
            edgesFocusable
            deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
            multiSelectionKeyCode={null}
            selectionKeyCode={null}
            fitView
            fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
            minZoom={0.2}
            maxZoom={2}
            style={THEME}
          >
            <Background gap={20} size={1.2} />
            <Controls showInteractive={false} fitViewOptions={{ padding: 0.2, maxZoom: 1 }} />
            <MiniMap pannable zoomable ariaLabel="Mini map of the flow" style={{ width: 160, height: 110 }} nodeColor={(n) => ((n as CanvasNode).data.errors.length ? "var(--danger)" : "var(--surface-3)")} />
          </ReactFlow>
        </div>
        <aside aria-label="Node settings" className="max-h-[560px] w-full shrink-0 overflow-y-auto border-t border-border bg-surface @3xl:w-[340px] @3xl:border-t-0 @3xl:border-l">
          {selected ? (
            <NodePanel key={selected.id} graph={value} node={selected} errors={grouped.byNode.get(selected.id) ?? []} readOnly={readOnly} onChange={onChange} onSelect={selectNode} />
          ) : (
            <Overview errors={located} general={grouped.general} onSelect={selectNode} />
          )}
        </aside>
      </div>
    </div>
  );
}

export function FlowEditor(props: FlowEditorProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

"use client";
// The flow canvas (@xyflow/react and its d3 helpers, about a third of the builder's own
// JavaScript) in a chunk of its own: loaded when the Visual method's Actions step shows it,
// so the Code, API connector and Upload methods hydrate without it. A placeholder of the
// same height stands in while it loads, so nothing jumps.
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { FlowEditorProps } from "./flow-editor";

export const FlowEditor = dynamic<FlowEditorProps>(() => import("./flow-editor").then((m) => m.FlowEditor), {
  ssr: false,
  loading: () => (
    <div className="overflow-hidden rounded-xl border border-border bg-surface shadow-card" data-testid="flow-editor-loading" role="status" aria-label="Loading the flow canvas">
      <div className="h-[45px] border-b border-border bg-surface" />
      <Skeleton className="h-[560px] w-full rounded-none" />
    </div>
  ),
});

"use client";
// The builder's code editor for the Code method: Monaco with the capability's typed `input`
// and `ctx`, markers for syntax and type errors, completion, format on save and the last
// test run's error (see monaco-code-action.tsx). Monaco touches `window` when it loads, so
// it is never rendered on the server; a skeleton of the same height shows until the chunk
// has arrived (which starts loading as soon as the builder's page does).
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import type { BuilderField } from "@/lib/builder/code/code-template";

export interface CodeActionEditorProps {
  value: string;
  onChange: (v: string) => void;
  actions: { id: string; inputs: BuilderField[]; outputs: BuilderField[] }[];
  /** Configuration keys; without `configuration`, each is typed as an optional string on ctx.config and ctx.secrets. */
  configKeys: string[];
  /** The configuration with its types (optional): secrets then go to ctx.secrets only, the rest to ctx.config. */
  configuration?: { key: string; type?: string; required?: boolean; description?: string }[];
  /** The capability's permissions (optional): ctx.fetch and ctx.kv are typed only when they allow them. */
  permissions?: string[];
  /** The last test run's error, 1-based in `value`; shown as a marker (owner "test-run") and revealed. */
  errorMarker?: { line: number; column?: number; message: string } | null;
  /** Called once the editor is interactive. */
  onReady?: () => void;
  /** CSS height of the editing area (default 28rem). */
  height?: string;
  ariaLabel?: string;
}

const loadEditor = () => import("./monaco-code-action");

/** Starts loading the editor (Monaco, about 0.9 MB gzip) before it is shown; safe to call again. */
export function preloadCodeEditor(): void {
  void loadEditor();
}

// The builder is an IDE: on its route (the only one importing this file), the editor's chunks
// start loading while the page hydrates, so the Code method (opened, linked or chosen) shows
// the editor without waiting for them. Measured in bench/builder.ts.
if (typeof window !== "undefined") preloadCodeEditor();

const MonacoCodeAction = dynamic(loadEditor, {
  ssr: false,
  loading: () => (
    <div className="overflow-hidden rounded-lg border border-border" data-testid="code-action-editor" data-monaco-ready="false">
      <Skeleton className="h-[28rem] w-full rounded-none" />
      <div className="h-[31px] border-t border-border bg-surface-2/50" />
    </div>
  ),
});

export function CodeActionEditor(props: CodeActionEditorProps) {
  return <MonacoCodeAction {...props} />;
}

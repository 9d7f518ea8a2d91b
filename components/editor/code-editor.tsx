"use client";
// A code editor (Monaco, from the local package) for client components: the snippets page
// now, the builder later. Monaco touches `window` when it loads, so it is never rendered on
// the server; a skeleton of the same height shows until the chunk has arrived.
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";

export interface CodeEditorProps {
  value: string;
  /** A Monaco language id: "javascript", "html", "css". */
  language: string;
  onChange?: (value: string) => void;
  /** Ctrl/Cmd+S inside the editor. */
  onSave?: () => void;
  readOnly?: boolean;
  /** CSS height of the editor box. */
  height?: string;
  ariaLabel?: string;
  theme?: "vs" | "vs-dark";
}

const MonacoEditor = dynamic(() => import("./monaco-editor"), {
  ssr: false,
  loading: () => <Skeleton className="h-[60vh] w-full rounded-lg" />,
});

export function CodeEditor(props: CodeEditorProps) {
  return <MonacoEditor {...props} />;
}

"use client";
// The Monaco editor itself (browser-only; code-editor.tsx loads this file lazily). Wires
// Ctrl/Cmd+S to onSave and marks itself ready (data-monaco-ready) once the editor mounted,
// so tests and callers can wait for a real editor rather than a timeout.
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import type { CodeEditorProps } from "./code-editor";
import { setupMonaco } from "./monaco-setup";

setupMonaco();

export default function MonacoEditor({ value, language, onChange, onSave, readOnly = false, height = "60vh", ariaLabel = "Code editor", theme }: CodeEditorProps) {
  const [ready, setReady] = useState(false);
  // The latest callbacks, so the command bound once at mount always calls the current one.
  const onSaveRef = useRef(onSave);
  useEffect(() => {
    onSaveRef.current = onSave;
  }, [onSave]);

  const onMount: OnMount = (editor, monaco) => {
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => onSaveRef.current?.());
    setReady(true);
  };

  return (
    <div className="relative overflow-hidden rounded-lg border border-border" data-testid="code-editor" data-monaco-ready={ready ? "true" : "false"} style={{ height }}>
      <Editor
        value={value}
        language={language}
        theme={theme ?? "vs"}
        onChange={(v) => onChange?.(v ?? "")}
        onMount={onMount}
        loading={<Spinner label="Loading the editor" />}
        options={{
          readOnly,
          ariaLabel,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          wordWrap: "on",
        }}
      />
    </div>
  );
}

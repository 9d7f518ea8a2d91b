"use client";
// The Monaco editor of the builder's Code method (browser-only; code-action-editor.tsx loads
// it lazily). JavaScript checked like TypeScript (checkJs, strict null checks, ES2022 only:
// the sandbox has no DOM) against the .d.ts generated from the capability's actions,
// configuration and permissions (lib/builder/code/ctx-types.ts), regenerated when they change
// (the previous library is disposed). Syntax and type errors are markers, completion and
// hover come from the TypeScript worker, Ctrl/Cmd+S formats (and never opens the browser's
// save dialog), a test run's error is a marker of its own (owner "test-run") whose line is
// revealed, and a status line counts the markers. It marks itself ready
// (data-monaco-ready="true") and calls onReady once the editor is interactive.
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { Kbd } from "@/components/ui/kbd";
import { cx } from "@/components/ui/cx";
import { editorTypesManifest } from "@/lib/builder/code/code-template";
import { codeTypeDefinitions } from "@/lib/builder/code/ctx-types";
import type { CodeActionEditorProps } from "./code-action-editor";
import { SANDBOX_GLOBALS_DTS } from "@/lib/builder/code/sandbox-globals";
import { setupMonacoTs } from "./monaco-ts-setup";

const { monaco, javascriptDefaults } = setupMonacoTs();

type StandaloneEditor = Parameters<OnMount>[0];
type MarkerCounts = { errors: number; warnings: number; first: { line: number; message: string } | null };

export const TEST_RUN_MARKER_OWNER = "test-run";
const GLOBALS_LIB_PATH = "file:///node_modules/@types/capability-sandbox/index.d.ts";

// One sandbox-globals library for every editor on the page.
let globalsLib: { dispose(): void } | null = null;

function countMarkers(uri: Parameters<typeof monaco.editor.getModelMarkers>[0]["resource"]): MarkerCounts {
  const markers = monaco.editor.getModelMarkers({ resource: uri });
  const errors = markers.filter((m) => m.severity === monaco.MarkerSeverity.Error).sort((a, b) => a.startLineNumber - b.startLineNumber || a.startColumn - b.startColumn);
  return {
    errors: errors.length,
    warnings: markers.filter((m) => m.severity === monaco.MarkerSeverity.Warning).length,
    first: errors[0] ? { line: errors[0].startLineNumber, message: errors[0].message } : null,
  };
}

export default function MonacoCodeAction({ value, onChange, actions, configKeys, configuration, permissions, errorMarker, onReady, height = "28rem", ariaLabel = "Capability code" }: CodeActionEditorProps) {
  const reactId = useId();
  // One model per editor instance: its own URI, so two editors never share markers.
  const path = useMemo(() => `file:///capability/action-${reactId.replace(/[^A-Za-z0-9]/g, "")}.js`, [reactId]);
  const [editor, setEditor] = useState<StandaloneEditor | null>(null);
  const [counts, setCounts] = useState<MarkerCounts>({ errors: 0, warnings: 0, first: null });
  const [formatState, setFormatState] = useState<"idle" | "formatted" | "failed">("idle");
  // Values this editor handed up with onChange (the latest few): a render that brings one of
  // them back after newer typing is a stale echo and must not overwrite the model (that would
  // move the caret to the end mid-word).
  const emitted = useRef<string[]>([]);
  const onReadyRef = useRef(onReady);
  useEffect(() => {
    onReadyRef.current = onReady;
  }, [onReady]);

  // The typed input/ctx: regenerated when actions, configuration or permissions change.
  const dts = useMemo(() => {
    try {
      return codeTypeDefinitions(editorTypesManifest({ actions, configKeys, configuration, permissions }));
    } catch {
      // A half-typed form (an empty id…) must not take the editor down: keep the generic types.
      return codeTypeDefinitions({ actions: [], configuration: [], permissions: permissions ?? [] });
    }
  }, [actions, configKeys, configuration, permissions]);
  useEffect(() => {
    globalsLib ??= javascriptDefaults.addExtraLib(SANDBOX_GLOBALS_DTS, GLOBALS_LIB_PATH);
    const lib = javascriptDefaults.addExtraLib(dts, `file:///node_modules/@types/capability-${reactId.replace(/[^A-Za-z0-9]/g, "")}/index.d.ts`);
    return () => lib.dispose();
  }, [dts, reactId]);

  // Marker counts for the status line, following every owner (TypeScript, test-run).
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    // The model is new with this editor: its markers all arrive through this event.
    const sub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === model.uri.toString())) setCounts(countMarkers(model.uri));
    });
    return () => sub.dispose();
  }, [editor]);

  // The value from outside (the manifest panel, a method switch): applied when it is new, with
  // the caret and selection kept, as one undoable edit.
  useEffect(() => {
    const model = editor?.getModel();
    if (!editor || !model || value === model.getValue() || emitted.current.includes(value)) return;
    const selections = editor.getSelections();
    editor.pushUndoStop();
    editor.executeEdits("builder", [{ range: model.getFullModelRange(), text: value, forceMoveMarkers: true }]);
    editor.pushUndoStop();
    if (selections) editor.setSelections(selections);
  }, [editor, value]);

  // A test run's error as a marker of its own, its line revealed; cleared when it is gone.
  useEffect(() => {
    const model = editor?.getModel();
    if (!model || !editor) return;
    if (!errorMarker) {
      monaco.editor.setModelMarkers(model, TEST_RUN_MARKER_OWNER, []);
      return;
    }
    const line = Math.min(Math.max(1, Math.floor(errorMarker.line)), model.getLineCount());
    const column = errorMarker.column ? Math.min(Math.max(1, Math.floor(errorMarker.column)), model.getLineMaxColumn(line)) : model.getLineFirstNonWhitespaceColumn(line) || 1;
    monaco.editor.setModelMarkers(model, TEST_RUN_MARKER_OWNER, [
      {
        severity: monaco.MarkerSeverity.Error,
        message: `Test run: ${errorMarker.message}`,
        source: "test run",
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: Math.max(column + 1, model.getLineMaxColumn(line)),
      },
    ]);
    editor.revealLineInCenterIfOutsideViewport(line);
    editor.setPosition({ lineNumber: line, column });
  }, [editor, errorMarker]);

  // The test-run marker belongs to the code that ran: an edit clears it.
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    const sub = model.onDidChangeContent(() => monaco.editor.setModelMarkers(model, TEST_RUN_MARKER_OWNER, []));
    return () => sub.dispose();
  }, [editor]);

  const onMount: OnMount = (ed) => {
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
      const action = ed.getAction("editor.action.formatDocument");
      if (!action) return;
      action.run().then(
        () => setFormatState("formatted"),
        () => setFormatState("failed"),
      );
    });
    setEditor(ed);
    onReadyRef.current?.();
  };

  useEffect(() => {
    if (formatState === "idle") return;
    const t = setTimeout(() => setFormatState("idle"), 2000);
    return () => clearTimeout(t);
  }, [formatState]);

  const goToFirstError = () => {
    if (!editor || !counts.first) return;
    editor.focus();
    editor.setPosition({ lineNumber: counts.first.line, column: 1 });
    void editor.getAction("editor.action.marker.next")?.run();
  };

  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface" data-testid="code-action-editor" data-monaco-ready={editor ? "true" : "false"}>
      <div
        style={{ height }}
        // Ctrl/Cmd+S anywhere in the editor box formats; the browser's save dialog never opens.
        onKeyDownCapture={(e) => {
          if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) e.preventDefault();
        }}
      >
        <Editor
          path={path}
          defaultLanguage="javascript"
          language="javascript"
          defaultValue={value}
          theme="vs"
          onChange={(v) => {
            const text = v ?? "";
            emitted.current = [...emitted.current.slice(-19), text];
            onChange(text);
          }}
          onMount={onMount}
          loading={<Spinner label="Loading the editor" />}
          options={{
            ariaLabel,
            minimap: { enabled: false },
            fontSize: 13,
            tabSize: 2,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            fixedOverflowWidgets: true,
            wordWrap: "on",
            wrappingIndent: "indent",
            quickSuggestions: { other: true, comments: false, strings: false },
            suggestOnTriggerCharacters: true,
          }}
        />
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-border bg-surface-2/50 px-3 py-1.5 text-[12px] text-fg-muted" role="status" aria-live="polite" data-testid="code-markers-status" data-errors={counts.errors} data-warnings={counts.warnings}>
        <button
          type="button"
          onClick={goToFirstError}
          disabled={!counts.errors}
          className={cx("flex min-w-0 items-center gap-1.5 rounded px-1 outline-none focus-visible:ring-2 focus-visible:ring-ring", counts.errors ? "text-danger hover:underline" : "text-success")}
          title={counts.first ? `Line ${counts.first.line}: ${counts.first.message}` : undefined}
        >
          <span aria-hidden className={cx("inline-block size-2 rounded-full", counts.errors ? "bg-danger" : "bg-success")} />
          {counts.errors ? `${counts.errors} error${counts.errors === 1 ? "" : "s"}` : "No errors"}
          {counts.warnings ? <span className="text-warning">· {counts.warnings} warning{counts.warnings === 1 ? "" : "s"}</span> : null}
          {counts.first && <span className="hidden truncate text-fg-muted sm:inline">· line {counts.first.line}: {counts.first.message.split("\n")[0]}</span>}
        </button>
        <span className="ml-auto flex items-center gap-3">
          {formatState === "formatted" && <span className="text-success">Formatted</span>}
          {formatState === "failed" && <span className="text-danger">Could not format</span>}
          <span className="hidden items-center gap-1 md:flex">
            <Kbd>Ctrl</Kbd>
            <Kbd>Space</Kbd> suggest
          </span>
          <span className="flex items-center gap-1">
            <Kbd>Ctrl</Kbd>
            <Kbd>S</Kbd> format
          </span>
        </span>
      </div>
    </div>
  );
}

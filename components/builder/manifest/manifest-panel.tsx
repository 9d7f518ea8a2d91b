"use client";
// The builder's manifest panel (region "Manifest"): the YAML or JSON of the current state,
// always up to date, and editable. A valid edit goes back into the forms (onApply); an
// invalid one shows its errors with line numbers and leaves the forms alone. Below, the
// state's problems with their paths; each one takes the author where it can be fixed.
import { useEffect, useMemo, useRef, useState } from "react";
import { ChevronRightIcon } from "@/components/icons";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { manifestToText, textToManifest, type ManifestDocError, type ManifestDocFormat } from "@/lib/builder/manifest-doc/manifest-doc";
import type { Manifest, ManifestInput } from "@/lib/registry/manifest-schema";
import { LineNumberedTextarea } from "./line-numbered-textarea";
import { ProblemsList, type PanelProblem } from "./problems-list";

export interface ManifestPanelProps {
  /** What the state compiles to (valid or not); absent when the logic could not be built at all. */
  candidate: ManifestInput | Record<string, unknown> | undefined;
  errors: PanelProblem[];
  warnings: { path: string; message: string }[];
  format: ManifestDocFormat;
  onFormatChange: (f: ManifestDocFormat) => void;
  onApply: (manifest: Manifest, text: string, format: ManifestDocFormat) => void;
  onGoTo: (p: PanelProblem) => void;
  collapsed: boolean;
  onCollapsedChange: (c: boolean) => void;
  /** A note shown above the text (e.g. what an edit cannot change for this method). */
  note?: string | null;
}

export function ManifestPanel({ candidate, errors, warnings, format, onFormatChange, onApply, onGoTo, collapsed, onCollapsedChange, note }: ManifestPanelProps) {
  const generated = useMemo(() => {
    if (!candidate) return "";
    try {
      return manifestToText(candidate as ManifestInput, format);
    } catch {
      return JSON.stringify(candidate, null, 2);
    }
  }, [candidate, format]);
  const [editText, setEditText] = useState<string | null>(null);
  const [textErrors, setTextErrors] = useState<ManifestDocError[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onApplyRef = useRef(onApply);
  useEffect(() => {
    onApplyRef.current = onApply;
  });
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const check = (text: string) => {
    const r = textToManifest(text, format);
    setTextErrors(r.errors);
    if (r.manifest && !r.errors.length) onApplyRef.current(r.manifest, text, format);
  };
  const onChange = (text: string) => {
    setEditText(text);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => check(text), 300);
  };
  const onBlur = () => {
    if (editText === null) return;
    if (timer.current) clearTimeout(timer.current);
    const r = textToManifest(editText, format);
    setTextErrors(r.errors);
    if (r.manifest && !r.errors.length) {
      onApplyRef.current(r.manifest, editText, format);
      setEditText(null);
    }
  };

  const shown = editText ?? generated;
  const editing = editText !== null && textErrors.length > 0;
  const errorLines = new Set((editing ? textErrors : []).map((e) => e.line).filter((l): l is number => typeof l === "number"));

  return (
    <section role="region" aria-label="Manifest" className={cx("flex min-h-0 flex-col rounded-xl border border-border bg-surface shadow-card", collapsed ? "" : "lg:h-[calc(100dvh-7rem)]")}>
      <div className="flex items-center gap-2 border-b border-border px-3 py-2">
        <button type="button" aria-expanded={!collapsed} aria-controls="manifest-panel-body" onClick={() => onCollapsedChange(!collapsed)} className="flex items-center gap-1 text-[13px] font-semibold text-fg">
          <ChevronRightIcon className={cx("size-3.5 transition-transform", !collapsed && "rotate-90")} />
          Manifest
        </button>
        <span className={cx("ml-1 rounded-full px-1.5 text-[11px] font-semibold", errors.length ? "bg-danger-soft text-danger" : "bg-success-soft text-success")}>{errors.length ? `${errors.length} problem${errors.length === 1 ? "" : "s"}` : "valid"}</span>
        <div className="ml-auto flex items-center gap-2">
          <div role="radiogroup" aria-label="Manifest format" className="inline-flex rounded-md border border-border p-0.5">
            {(["yaml", "json"] as const).map((f) => (
              <button
                key={f}
                type="button"
                role="radio"
                aria-checked={format === f}
                onClick={() => {
                  setEditText(null);
                  setTextErrors([]);
                  onFormatChange(f);
                }}
                className={cx("rounded px-2 py-0.5 text-[11.5px] font-medium", format === f ? "bg-surface-3 text-fg" : "text-fg-muted hover:text-fg")}
              >
                {f.toUpperCase()}
              </button>
            ))}
          </div>
          <CopyButton size="xs" variant="ghost" value={shown} label="Copy" />
        </div>
      </div>
      {!collapsed && (
        <div id="manifest-panel-body" className="flex min-h-0 flex-1 flex-col gap-3 p-3">
          {note && <p className="text-[12px] text-fg-muted">{note}</p>}
          {candidate || editText !== null ? (
            <LineNumberedTextarea value={shown} onChange={onChange} onBlur={onBlur} errorLines={errorLines} label="Manifest text" describedBy="manifest-text-errors" />
          ) : (
            <p className="rounded-md border border-dashed border-border px-3 py-6 text-center text-[12.5px] text-fg-subtle">Nothing to show yet: fix the problems below.</p>
          )}
          <div id="manifest-text-errors" aria-live="polite">
            {editing ? (
              <div className="space-y-1">
                <p className="text-[12.5px] font-medium text-danger">The text is not a valid manifest; the forms keep their values until it is.</p>
                <ProblemsList problems={textErrors} label="Text errors" />
              </div>
            ) : (
              <ProblemsList problems={errors} onGoTo={onGoTo} />
            )}
          </div>
          {!editing && warnings.length > 0 && (
            <details className="text-[12px] text-fg-muted">
              <summary className="cursor-pointer">{warnings.length} note{warnings.length === 1 ? "" : "s"} from validation</summary>
              <ul className="mt-1 space-y-0.5">
                {warnings.map((w, i) => (
                  <li key={i}>
                    <span className="font-mono">{w.path}</span>: {w.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

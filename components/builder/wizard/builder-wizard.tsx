"use client";
// The capability builder (issue 7): method switch, the four steps as tabs with a problem
// count each, the manifest panel beside them (two-way), autosave with a visible state, a
// guard against leaving with unsaved changes, and the publish dialog. The state is one
// BuilderState (lib/builder/draft/draft-state.ts); the manifest is always derived from it.
// After the first autosave the URL becomes <this page>?draft=<id>, so a reload reopens the
// same draft (fields, method, step).
import Link from "next/link";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { TestStep } from "@/components/builder/test/test-step";
import { ManifestPanel } from "@/components/builder/manifest/manifest-panel";
import type { PanelProblem } from "@/components/builder/manifest/problems-list";
import { ChevronRightIcon, SparklesIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { codeTemplate } from "@/lib/builder/code/code-template";
import {
  emptyBuilderState,
  manifestToState,
  methodForManifest,
  parseBuilderState,
  plainActions,
  problemsByStep,
  stateToManifest,
  stepOfPath,
  syncFlowFromFields,
  type BuilderMethod,
  type BuilderState,
  type BuilderStep,
} from "@/lib/builder/draft/draft-state";
import { manifestToText, type ManifestDocFormat } from "@/lib/builder/manifest-doc/manifest-doc";
import type { Manifest } from "@/lib/registry/manifest-schema";
import { validateManifest } from "@/lib/registry/parse-manifest";
import { ActionsStep, type UploadLoaded } from "./actions-step";
import { BasicsStep } from "./basics-step";
import { ConfigurationStep } from "./configuration-step";
import { focusPath } from "./field-errors";
import { MethodSwitch } from "./method-switch";
import { PublishDialog, type PublishOutcome } from "./publish-dialog";
import { panelId, StepTabs, tabId } from "./step-tabs";
import { useDraftAutosave, type SaveStatus } from "./use-draft-autosave";
import { useLeaveGuard } from "./use-leave-guard";
import { useViewPrefs } from "./use-view-prefs";

export interface BuilderWizardProps {
  /** The stored draft being edited, if any. */
  draft: { id: string; revision: number; state: unknown } | null;
  /** A state to start from when there is no draft (e.g. the latest version of my capability). */
  initialState?: unknown;
  /** Shown above the wizard, e.g. "editing a new version of …". */
  notice?: string | null;
}

const STATUS_TEXT: Record<SaveStatus, string> = { new: "Not saved yet", saved: "Saved", unsaved: "Unsaved changes", saving: "Saving…", error: "Unsaved changes", conflict: "Unsaved changes" };

/** Method switch: keep everything the methods share, give the new one what it needs to start. */
function switchMethod(state: BuilderState, method: BuilderMethod, current: Manifest | undefined): BuilderState {
  const next: BuilderState = { ...state, method };
  if (method === "visual") next.actions = state.actions.map((a) => syncFlowFromFields(a));
  if (method === "code" && !state.code.source.trim()) next.code = { source: codeTemplate(plainActions(state)) };
  if (method === "upload" && !state.upload.text.trim() && current) next.upload = { text: manifestToText(current, "yaml"), filename: `${current.slug || "manifest"}.yaml` };
  return next;
}

export function BuilderWizard({ draft, initialState, notice }: BuilderWizardProps) {
  const [state, setState] = useState<BuilderState>(() => (draft ? parseBuilderState(draft.state) : initialState ? parseBuilderState(initialState) : emptyBuilderState()));
  const [selectedKey, setSelectedKey] = useState<string | null>(() => state.actions[0]?.key ?? null);
  const [highlightNodeId, setHighlightNodeId] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<{ line: number; column?: number; message: string } | null>(null);
  const [format, setFormat] = useState<ManifestDocFormat>("yaml");
  const [panelCollapsed, setPanelCollapsed] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [published, setPublished] = useState(0);

  const deferred = useDeferredValue(state);
  const result = useMemo(() => stateToManifest(deferred), [deferred]);
  const problems = useMemo(() => problemsByStep(result.errors), [result.errors]);
  // The last valid manifest: what switching to Upload starts from when the current method's is broken.
  const lastValid = useRef<Manifest | undefined>(undefined);
  useEffect(() => {
    if (result.manifest) lastValid.current = result.manifest;
  }, [result.manifest]);

  const [draftId, setDraftId] = useState<string | null>(draft?.id ?? null);
  const onCreated = useCallback((id: string) => {
    setDraftId(id);
    const url = new URL(window.location.href);
    url.searchParams.set("draft", id);
    window.history.replaceState(window.history.state, "", url.pathname + url.search);
  }, []);
  useViewPrefs(draftId, { actionKey: selectedKey, format, panelCollapsed }, (saved) => {
    if (saved.actionKey && state.actions.some((a) => a.key === saved.actionKey)) setSelectedKey(saved.actionKey);
    setFormat(saved.format);
    setPanelCollapsed(saved.panelCollapsed);
  });
  const save = useDraftAutosave({ draft: draft ? { id: draft.id, revision: draft.revision } : null, state, onCreated });
  const guard = useLeaveGuard(save.status === "unsaved" || save.status === "saving" || save.status === "error" || save.status === "conflict");

  // Saving also happens when focus leaves the page.
  useEffect(() => {
    const onBlur = () => void save.flush();
    window.addEventListener("blur", onBlur);
    return () => window.removeEventListener("blur", onBlur);
  }, [save]);

  const update = useCallback((next: BuilderState) => setState(next), []);
  const setStep = (step: BuilderStep) => {
    setState((s) => ({ ...s, step }));
    void save.flush();
  };

  const goTo = (p: PanelProblem) => {
    const step = stepOfPath(p.path);
    setState((s) => ({ ...s, step }));
    const m = /^(?:actions|endpoints)\[(\d+)\]/.exec(p.path);
    if (m) {
      const a = state.actions[Number(m[1])];
      if (a) setSelectedKey(a.key);
    }
    if (p.nodeId) setHighlightNodeId(p.nodeId);
    requestAnimationFrame(() => requestAnimationFrame(() => focusPath(p.path)));
  };

  const onUploadLoaded = (r: UploadLoaded) => {
    const report = r.manifest ? validateManifest(r.manifest) : null;
    if (report?.manifest) {
      const method = methodForManifest(report.manifest);
      const next = manifestToState(report.manifest, method, undefined, r.text);
      next.upload = { text: r.text, filename: r.filename };
      next.step = state.step;
      setState(next);
      setSelectedKey(next.actions[0]?.key ?? null);
    } else {
      setState((s) => ({ ...s, method: "upload", upload: { text: r.text, filename: r.filename } }));
    }
  };

  const onApplyManifest = (m: Manifest, text: string) => {
    setState((s) => {
      const natural = methodForManifest(m);
      const target: BuilderMethod = s.method === "upload" ? "upload" : s.method === "visual" && (m.type === "declarative" || m.type === "workflow") ? "visual" : natural;
      const next = manifestToState(m, target, s, target === "upload" ? text : undefined);
      next.step = s.step;
      return next;
    });
  };

  const onPublished = (o: PublishOutcome) => {
    setState((s) => ({ ...s, basics: { ...s.basics, version: o.version } }));
    setPublished((n) => n + 1);
  };

  const impliedPermissions = result.manifest?.permissions.filter((p) => !state.permissions.includes(p)) ?? [];
  const impliedDomains = result.manifest?.allowed_domains.filter((d) => !state.allowedDomains.includes(d)) ?? [];
  const title = state.basics.name.trim() || "New capability";
  const statusText = STATUS_TEXT[save.status];

  return (
    <div className="mx-auto w-full max-w-[1600px] px-4 py-6 sm:px-6 lg:px-8">
      <nav aria-label="Breadcrumb" className="mb-2 flex items-center gap-1 text-[12.5px] text-fg-muted">
        <Link href="/builder" className="hover:text-fg hover:underline">
          Builder
        </Link>
        <ChevronRightIcon className="size-3" />
        <span className="truncate text-fg">{title}</span>
      </nav>
      <header className="mb-4 flex flex-wrap items-center gap-3">
        <span className="grid size-10 place-items-center rounded-lg border border-border bg-surface-2 text-xl" aria-hidden="true">
          {state.basics.icon || "🧩"}
        </span>
        <div className="min-w-0">
          <h1 className="truncate text-[19px] font-semibold tracking-tight text-fg">{title}</h1>
          <p className="font-mono text-[12px] text-fg-muted">
            {state.basics.slug || "no slug yet"} · {state.basics.version || "no version"}
          </p>
        </div>
        <div className="ml-auto flex items-center gap-3">
          <span
            data-testid="draft-status"
            role="status"
            aria-live="polite"
            title={save.error ?? undefined}
            className={cx("flex items-center gap-1.5 text-[12.5px]", save.status === "saved" ? "text-success" : save.status === "error" || save.status === "conflict" ? "text-danger" : "text-fg-muted")}
          >
            <span aria-hidden="true" className={cx("size-2 rounded-full", save.status === "saved" ? "bg-success" : save.status === "saving" ? "animate-pulse bg-accent" : save.status === "new" ? "bg-fg-subtle" : "bg-warning")} />
            {statusText}
          </span>
          <Button variant="primary" icon={<SparklesIcon className="size-3.5" />} onClick={() => setPublishOpen(true)}>
            Publish
          </Button>
        </div>
      </header>

      {notice && (
        <Alert tone="info" className="mb-4">
          {notice}
        </Alert>
      )}
      {save.status === "conflict" && (
        <Alert
          tone="danger"
          className="mb-4"
          title="This draft was saved elsewhere"
          action={
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                guard.allowLeaving();
                window.location.reload();
              }}
            >
              Reload
            </Button>
          }
        >
          Another tab or device saved a newer revision, so autosave stopped here to avoid overwriting it. Reload to continue from the saved draft (changes made here since are lost).
        </Alert>
      )}
      {save.status === "error" && save.error && (
        <Alert tone="warning" className="mb-4" title="Could not save the draft">
          {save.error} Autosave tries again on your next change.
        </Alert>
      )}

      <div className="mb-4 flex flex-wrap items-center gap-3">
        <MethodSwitch value={state.method} onChange={(m) => {
            const current = result.manifest ?? lastValid.current;
            setState((s) => switchMethod(s, m, current));
          }} />
        <span className="text-[12.5px] text-fg-muted">
          Compiles to <span className="font-mono">{(result.manifest ?? (result.candidate as { type?: string } | undefined))?.type ?? "—"}</span>
        </span>
      </div>

      <div className={cx("grid gap-6", panelCollapsed ? "lg:grid-cols-[minmax(0,1fr)_260px]" : "lg:grid-cols-[minmax(0,1fr)_minmax(320px,34%)]")}>
        <div className="min-w-0">
          <StepTabs value={state.step} onChange={setStep} problems={problems} />
          <div role="tabpanel" id={panelId(state.step)} aria-labelledby={tabId(state.step)} className="pt-5" onBlur={() => void save.flush()}>
            {state.step === "basics" && <BasicsStep state={state} errors={result.errors} generation={published} onChange={(basics) => update({ ...state, basics })} />}
            {state.step === "actions" && (
              <ActionsStep
                state={state}
                errors={result.errors}
                onChange={update}
                onUploadLoaded={onUploadLoaded}
                highlightNodeId={highlightNodeId}
                codeError={codeError}
                selectedKey={selectedKey}
                onSelect={setSelectedKey}
              />
            )}
            {state.step === "configuration" && <ConfigurationStep state={state} errors={result.errors} implied={{ permissions: impliedPermissions, domains: impliedDomains }} onChange={update} />}
            {state.step === "test" && (
              <TestStep
                manifest={result.manifest ?? null}
                blockingErrors={result.errors.length}
                testCases={state.testCases}
                onTestCasesChange={(testCases) => setState((s) => ({ ...s, testCases }))}
                onFailedNode={setHighlightNodeId}
                onCodeError={setCodeError}
              />
            )}
          </div>
        </div>
        <aside className="min-w-0 lg:sticky lg:top-4 lg:self-start">
          <ManifestPanel
            candidate={result.manifest ?? result.candidate}
            errors={result.errors}
            warnings={result.warnings}
            format={format}
            onFormatChange={setFormat}
            onApply={onApplyManifest}
            onGoTo={goTo}
            collapsed={panelCollapsed}
            onCollapsedChange={setPanelCollapsed}
            note={state.method === "visual" ? "Edits to the compiled steps are not applied here: change the flow on the canvas. Everything else applies to the forms." : null}
          />
        </aside>
      </div>

      <PublishDialog open={publishOpen} onClose={() => setPublishOpen(false)} manifest={result.manifest ?? null} errors={result.errors} onGoTo={goTo} onPublished={onPublished} />
      {guard.dialog}
    </div>
  );
}

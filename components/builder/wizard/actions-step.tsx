"use client";
// Step 2, Actions: the list of actions (add, remove, reorder with buttons), the selected
// action's id, name, description, inputs and outputs, then its logic by method: the flow
// canvas (one flow per action, its Input/Output nodes kept in step with the tables), the
// code editor (one module for all actions), the API-connector form, or the upload panel.
import { useState } from "react";
import { ArrowUpIcon, PlusIcon, XIcon } from "@/components/icons";
import { CodeActionEditor } from "@/components/builder/code/code-action-editor";
import { ConnectorForm } from "@/components/builder/connector/connector-form";
import { UploadPanel } from "@/components/builder/upload/upload-panel";
import { FlowEditor } from "@/components/builder/visual/lazy-flow-editor";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  emptyAction,
  plainActions,
  syncFieldsFromFlow,
  syncFlowFromFields,
  type BuilderAction,
  type BuilderState,
} from "@/lib/builder/draft/draft-state";
import type { FlowGraphInput } from "@/lib/builder/flow/flow-types";
import type { FlowError } from "@/lib/builder/flow/validate-flow";
import { errorAt, type Problem } from "./field-errors";
import { FieldsTable, moveItem } from "./fields-table";

export interface UploadLoaded {
  text: string;
  filename: string;
  manifest: unknown | null;
  report: unknown;
}

export interface ActionsStepProps {
  state: BuilderState;
  errors: Problem[];
  onChange: (next: BuilderState) => void;
  onUploadLoaded: (r: UploadLoaded) => void;
  highlightNodeId: string | null;
  codeError: { line: number; column?: number; message: string } | null;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

function uniqueId(actions: BuilderAction[]): string {
  for (let i = actions.length + 1; ; i++) if (!actions.some((a) => a.id === `action${i}`)) return `action${i}`;
}

/** Errors of action i's flow, as the canvas wants them (paths inside the graph). */
function flowErrorsOf(errors: Problem[], i: number): FlowError[] {
  const prefix = `actions[${i}].flow.`;
  return errors.filter((e) => e.path.startsWith(prefix) || (e.path.startsWith(`actions[${i}]`) && e.nodeId)).map((e) => ({ path: e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path, message: e.message, ...(e.nodeId ? { nodeId: e.nodeId } : {}) }));
}

export function ActionsStep({ state, errors, onChange, onUploadLoaded, highlightNodeId, codeError, selectedKey, onSelect }: ActionsStepProps) {
  const index = Math.max(0, state.actions.findIndex((a) => a.key === selectedKey));
  const action = state.actions[index];
  const setActions = (actions: BuilderAction[]) => onChange({ ...state, actions });
  const setAction = (a: BuilderAction) => setActions(state.actions.map((x, j) => (j === index ? (state.method === "visual" ? syncFlowFromFields(a) : a) : x)));
  const configKeys = state.configuration.map((c) => c.name).filter(Boolean);
  const [replaceUpload, setReplaceUpload] = useState(false);

  const add = () => {
    const a = emptyAction(uniqueId(state.actions), "");
    setActions([...state.actions, a]);
    onSelect(a.key);
  };

  return (
    <div className="grid gap-5 2xl:grid-cols-[200px_minmax(0,1fr)]">
      <nav aria-label="Actions list" className="space-y-2">
        <ul className="flex flex-wrap gap-1.5 2xl:block 2xl:space-y-1">
          {state.actions.map((a, i) => {
            const bad = errors.some((e) => e.path.startsWith(`actions[${i}]`) || e.path.startsWith(`endpoints[${i}]`));
            return (
              <li key={a.key} className={cx("flex min-w-[12rem] items-center gap-1 rounded-md border 2xl:min-w-0", i === index ? "border-accent bg-accent-soft/40" : "border-border")}>
                <button type="button" aria-current={i === index ? "true" : undefined} onClick={() => onSelect(a.key)} className="min-w-0 flex-1 truncate px-2 py-1.5 text-left text-[13px]">
                  <span className="font-mono">{a.id || "(no id)"}</span>
                  {bad && <span className="ml-1.5 text-danger" aria-label="has problems">•</span>}
                </button>
                <Button size="xs" variant="ghost" aria-label={`Move action ${a.id || i + 1} up`} disabled={i === 0} onClick={() => setActions(moveItem(state.actions, i, i - 1))} icon={<ArrowUpIcon className="size-3.5" />} />
                <Button size="xs" variant="ghost" aria-label={`Move action ${a.id || i + 1} down`} disabled={i === state.actions.length - 1} onClick={() => setActions(moveItem(state.actions, i, i + 1))} icon={<ArrowUpIcon className="size-3.5 rotate-180" />} />
                <Button size="xs" variant="danger-ghost" aria-label={`Remove action ${a.id || i + 1}`} disabled={state.actions.length === 1} onClick={() => setActions(state.actions.filter((_, j) => j !== i))} icon={<XIcon className="size-3.5" />} />
              </li>
            );
          })}
        </ul>
        <Button size="sm" variant="secondary" icon={<PlusIcon className="size-3.5" />} onClick={add}>
          Add action
        </Button>
        {errorAt(errors, "actions") && !errors.some((e) => /^actions\[/.test(e.path)) && <p className="text-[12.5px] text-danger">{errorAt(errors, "actions")}</p>}
      </nav>

      <div className="min-w-0 space-y-5">
        {action ? (
          <>
            <div className="grid gap-4 md:grid-cols-3">
              <div>
                <Label htmlFor="action-id">Action id</Label>
                <Input id="action-id" data-path={`actions[${index}].id`} className="mt-1.5 font-mono" value={action.id} invalid={Boolean(errorAt(errors, `actions[${index}].id`))} onChange={(e) => setAction({ ...action, id: e.target.value })} />
                <FieldMessage id="action-id-m" error={errorAt(errors, `actions[${index}].id`)} />
              </div>
              <div>
                <Label htmlFor="action-name">Action name</Label>
                <Input id="action-name" data-path={`actions[${index}].name`} className="mt-1.5" value={action.name} onChange={(e) => setAction({ ...action, name: e.target.value })} />
              </div>
              <div>
                <Label htmlFor="action-description">Action description</Label>
                <Input id="action-description" data-path={`actions[${index}].description`} className="mt-1.5" value={action.description} onChange={(e) => setAction({ ...action, description: e.target.value })} />
              </div>
            </div>
            <FieldsTable title="Inputs" kind="input" fields={action.inputs} basePath={`actions[${index}].inputs`} errors={errors} onChange={(inputs) => setAction({ ...action, inputs })} />
            <FieldsTable title="Outputs" kind="output" fields={action.outputs} basePath={`actions[${index}].outputs`} errors={errors} onChange={(outputs) => setAction({ ...action, outputs })} />
          </>
        ) : (
          <p className="text-[13px] text-fg-muted">No actions: add one.</p>
        )}

        <section aria-label="Logic" className="space-y-2">
          <h3 className="text-[13px] font-semibold text-fg">Logic</h3>
          {state.method === "visual" && action && (
            <FlowEditor
              key={action.key}
              value={(action.flow as FlowGraphInput) ?? { nodes: [], edges: [] }}
              onChange={(g) => setActions(state.actions.map((x, j) => (j === index ? syncFieldsFromFlow(x, g) : x)))}
              errors={flowErrorsOf(errors, index)}
              highlightNodeId={highlightNodeId}
            />
          )}
          {state.method === "code" && (
            <CodeActionEditor
              value={state.code.source}
              onChange={(source) => onChange({ ...state, code: { source } })}
              actions={plainActions(state)}
              configKeys={configKeys}
              configuration={state.configuration.map((c) => ({ key: c.name, type: c.type, required: c.required, description: c.description }))}
              permissions={state.permissions}
              errorMarker={codeError}
            />
          )}
          {state.method === "connector" && (
            <ConnectorForm
              value={state.connector}
              onChange={(connector) => onChange({ ...state, connector })}
              actions={plainActions(state)}
              configKeys={configKeys}
              errors={errors.filter((e) => /^(api|endpoints)\b/.test(e.path))}
            />
          )}
          {state.method === "upload" && (
            <div className="space-y-3">
              {state.upload.text.trim() && !replaceUpload ? (
                <Alert
                  tone="info"
                  title={`Using ${state.upload.filename || "the uploaded manifest"}`}
                  action={
                    <Button size="sm" variant="secondary" onClick={() => setReplaceUpload(true)}>
                      Replace
                    </Button>
                  }
                >
                  Its logic comes from the uploaded text: edit it in the Manifest panel. The forms above and in the other steps change it too.
                </Alert>
              ) : (
                <UploadPanel
                  onLoaded={(r) => {
                    setReplaceUpload(false);
                    onUploadLoaded(r);
                  }}
                />
              )}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

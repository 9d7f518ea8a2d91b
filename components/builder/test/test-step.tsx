"use client";
// The builder's Test step: pick an action, fill its input (a generated form or raw JSON),
// enter throwaway config and secrets (secrets masked, held in memory only: never saved in
// a test case or the draft), and run the draft in the real sandbox through
// POST /api/capabilities/test (button or Ctrl/Cmd+Enter). Shows the output, logs,
// resources and errors; a code error's line goes to onCodeError (the editor's marker), a
// workflow's failing step to onFailedNode (the canvas highlight). Below: the saved test
// cases, run one by one or all, compared exactly with their expected output.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { errorMessage, type ApiError } from "@/components/api/api-client";
import { PlayIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Select } from "@/components/ui/select";
import { diffJson } from "@/lib/builder/test/compare";
import { draftActions, draftConfigFields, formValuesToInput, inputToFormValues, parseInputJson, type FormValues, type TestConfigField } from "@/lib/builder/test/draft-actions";
import type { TestRunResult } from "@/lib/builder/test/run-types";
import { newTestCaseId, type TestCase } from "@/lib/builder/test/test-cases";
import { InputForm } from "./input-form";
import { RunResult } from "./run-result";
import { runDraftTest } from "./run-draft-test";
import { TestCaseDialog } from "./test-case-dialog";
import { TestCaseList, type CaseRun } from "./test-case-list";

export interface TestStepProps {
  manifest: unknown | null;
  blockingErrors: number;
  testCases: TestCase[];
  onTestCasesChange: (t: TestCase[]) => void;
  onFailedNode?: (nodeId: string | null) => void;
  onCodeError?: (e: { line: number; column?: number; message: string } | null) => void;
}

type ConfigValues = Record<string, string | boolean>;

function configToSend(fields: TestConfigField[], values: ConfigValues): { config: Record<string, string | number | boolean>; secrets: Record<string, string> } {
  const config: Record<string, string | number | boolean> = {};
  const secrets: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === "secret") {
      if (typeof v === "string" && v !== "") secrets[f.key] = v;
    } else if (f.type === "boolean") {
      if (typeof v === "boolean") config[f.key] = v;
    } else if (typeof v === "string" && v.trim() !== "") {
      const n = Number(v);
      config[f.key] = f.type === "number" && Number.isFinite(n) ? n : v;
    }
  }
  return { config, secrets };
}

function defaultConfigValues(fields: TestConfigField[]): ConfigValues {
  const out: ConfigValues = {};
  for (const f of fields) out[f.key] = f.type === "boolean" ? f.default === true : f.default === undefined ? "" : String(f.default);
  return out;
}

/** A problem answer: its message, every error with its path, and the input errors by field for the form. */
function readProblem(problem: ApiError): { fields: Record<string, string>; message: string; list: string[] } {
  const fields: Record<string, string> = {};
  const list: string[] = [];
  for (const e of problem.errors) {
    if (e.path.startsWith("input.")) fields[e.path.slice("input.".length).split(/[.[]/)[0]!] = e.message;
    list.push(`${e.path}: ${e.message}`);
  }
  return { fields, message: errorMessage(problem), list };
}

export function TestStep(props: TestStepProps) {
  const { manifest, blockingErrors, testCases, onTestCasesChange, onFailedNode, onCodeError } = props;
  const actions = useMemo(() => draftActions(manifest), [manifest]);
  /** What a run was made against: a result from another draft text is marked outdated. */
  const manifestKey = useMemo(() => JSON.stringify(manifest ?? null), [manifest]);
  const configFields = useMemo(() => draftConfigFields(manifest), [manifest]);

  const [actionId, setActionId] = useState<string>("");
  const action = actions.find((a) => a.id === actionId) ?? actions[0] ?? null;
  const fields = useMemo(() => action?.inputs ?? [], [action]);

  const [values, setValues] = useState<FormValues>({});
  const [rawMode, setRawMode] = useState(false);
  const [rawText, setRawText] = useState("{}");
  const [rawError, setRawError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [configValues, setConfigValues] = useState<ConfigValues>({});
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<TestRunResult | null>(null);
  const [resultKey, setResultKey] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ message: string; list: string[] } | null>(null);
  const [runs, setRuns] = useState<Record<string, CaseRun>>({});
  const [runningAll, setRunningAll] = useState(false);
  const [dialog, setDialog] = useState<{ mode: "create" | "edit"; initial: TestCase } | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  // A new action (or a changed input list) starts from the declared defaults, keeping what
  // the user typed for fields that still exist.
  const fieldsKey = `${action?.id ?? ""}|${fields.map((f) => `${f.name}:${f.type}`).join(",")}`;
  const [seenFieldsKey, setSeenFieldsKey] = useState("");
  if (seenFieldsKey !== fieldsKey) {
    setSeenFieldsKey(fieldsKey);
    const kept: Record<string, unknown> = {};
    const parsed = formValuesToInput(fields, values).input;
    for (const f of fields) if (Object.hasOwn(parsed, f.name)) kept[f.name] = parsed[f.name];
    setValues(inputToFormValues(fields, kept));
    setFieldErrors({});
  }
  const configKey = configFields.map((f) => `${f.key}:${f.type}`).join(",");
  const [seenConfigKey, setSeenConfigKey] = useState("");
  if (seenConfigKey !== configKey) {
    setSeenConfigKey(configKey);
    setConfigValues({ ...defaultConfigValues(configFields), ...Object.fromEntries(Object.entries(configValues).filter(([k]) => configFields.some((f) => f.key === k))) });
  }

  useEffect(() => () => abortRef.current?.abort(), []);

  const blocked = !manifest || blockingErrors > 0 || !action;
  const blockedReason = !manifest
    ? "The draft does not make a manifest yet: fill in the earlier steps first."
    : blockingErrors > 0
      ? `Fix ${blockingErrors} error${blockingErrors === 1 ? "" : "s"} in the draft before testing it.`
      : !action
        ? "Add an action to test."
        : null;

  function currentInput(): { input?: Record<string, unknown>; ok: boolean } {
    if (rawMode) {
      const parsed = parseInputJson(rawText);
      setRawError(parsed.error ?? null);
      return parsed.error ? { ok: false } : { ok: true, input: parsed.input };
    }
    const r = formValuesToInput(fields, values);
    setFieldErrors(r.errors);
    return Object.keys(r.errors).length ? { ok: false } : { ok: true, input: r.input };
  }

  function report(r: TestRunResult | null) {
    const e = r?.error;
    onCodeError?.(e && typeof e.line === "number" ? { line: e.line, ...(e.column !== undefined ? { column: e.column } : {}), message: e.message } : null);
    onFailedNode?.(r?.failedStep ?? null);
  }

  async function run() {
    if (blocked || running || !action) return;
    const { input, ok } = currentInput();
    if (!ok || !input) return;
    abortRef.current?.abort();
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setRunning(true);
    setProblem(null);
    try {
      const { config, secrets } = configToSend(configFields, configValues);
      const outcome = await runDraftTest({ manifest, action: action.id, input, config, secrets }, ctrl.signal);
      if (outcome.kind === "result") {
        setResult(outcome.result);
        setResultKey(manifestKey);
        report(outcome.result);
      } else {
        const p = readProblem(outcome.problem);
        setFieldErrors(p.fields);
        if (rawMode && Object.keys(p.fields).length) setRawError(Object.entries(p.fields).map(([k, m]) => `${k}: ${m}`).join("; "));
        setProblem({ message: p.message, list: p.list });
        setResult(null);
        report(null);
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      setProblem({ message: errorMessage(err), list: [] });
    } finally {
      if (abortRef.current === ctrl) setRunning(false);
    }
  }

  async function runCase(t: TestCase): Promise<void> {
    if (blocked) return;
    setRuns((r) => ({ ...r, [t.id]: { state: "running" } }));
    const { config, secrets } = configToSend(configFields, configValues);
    let next: CaseRun;
    try {
      const outcome = await runDraftTest({ manifest, action: t.action, input: t.input, config: { ...config, ...(t.config ?? {}) }, secrets });
      if (outcome.kind === "problem") {
        const p = readProblem(outcome.problem);
        next = { state: "error", message: [p.message, ...p.list].join(" · ") };
      } else {
        const r = outcome.result;
        report(r);
        if (!r.ok) next = { state: "error", message: `${r.error?.code ?? "failed"}: ${r.error?.message ?? "the run failed"}${r.error?.line ? ` (line ${r.error.line})` : ""}${r.failedStep ? ` (node ${r.failedStep})` : ""}`, result: r };
        else if (t.expected === undefined) next = { state: "passed", result: r };
        else {
          const diff = diffJson(t.expected, r.output);
          next = diff.length ? { state: "failed", result: r, diff } : { state: "passed", result: r };
        }
      }
    } catch (err) {
      next = { state: "error", message: errorMessage(err) };
    }
    setRuns((r) => ({ ...r, [t.id]: { ...next, manifestKey } as CaseRun }));
  }

  async function runAll() {
    setRunningAll(true);
    try {
      for (const t of testCases) await runCase(t);
    } finally {
      setRunningAll(false);
    }
  }

  function switchRaw(raw: boolean) {
    if (raw) {
      const r = formValuesToInput(fields, values);
      setRawText(JSON.stringify(r.input, null, 2));
      setRawError(null);
      setRawMode(true);
      return;
    }
    const parsed = parseInputJson(rawText);
    if (parsed.error) {
      setRawError(`${parsed.error}. Fix it to go back to the form.`);
      return;
    }
    setValues(inputToFormValues(fields, parsed.input));
    setRawMode(false);
  }

  function saveCurrent() {
    const { input, ok } = currentInput();
    if (!ok || !action) return;
    const { config } = configToSend(configFields, configValues);
    const initial: TestCase = { id: newTestCaseId(), name: "", action: action.id, input: input ?? {} };
    if (result?.ok) initial.expected = result.output;
    if (Object.keys(config).length) initial.config = config;
    setDialog({ mode: "create", initial });
  }

  function loadCase(t: TestCase) {
    if (actions.some((a) => a.id === t.action)) setActionId(t.action);
    const target = actions.find((a) => a.id === t.action)?.inputs ?? fields;
    setValues(inputToFormValues(target, t.input));
    setRawText(JSON.stringify(t.input, null, 2));
    setSeenFieldsKey(`${t.action}|${target.map((f) => `${f.name}:${f.type}`).join(",")}`);
    if (t.config) setConfigValues((c) => ({ ...c, ...Object.fromEntries(Object.entries(t.config!).map(([k, v]) => [k, typeof v === "boolean" ? v : String(v)])) }));
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      void run();
    }
  }

  return (
    <section aria-label="Test the draft" className="@container space-y-5" onKeyDown={onKeyDown} data-testid="test-step">
      {blockedReason && (
        <Alert tone={blockingErrors > 0 ? "warning" : "info"} data-testid="test-blocked">
          {blockedReason}
        </Alert>
      )}
      <div className="grid gap-5 @3xl:grid-cols-2">
        <div className="@container space-y-5 rounded-xl border border-border bg-surface p-4 shadow-card">
          <div>
            <Label htmlFor="test-action" className="mb-1.5">
              Action
            </Label>
            <Select id="test-action" value={action?.id ?? ""} onChange={(e) => setActionId(e.target.value)} disabled={actions.length === 0}>
              {actions.length === 0 && <option value="">No actions</option>}
              {actions.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name === a.id ? a.id : `${a.name} (${a.id})`}
                </option>
              ))}
            </Select>
          </div>

          <InputForm
            fields={fields}
            values={values}
            onValuesChange={(v) => {
              setValues(v);
              setFieldErrors({});
            }}
            rawMode={rawMode}
            onRawModeChange={switchRaw}
            rawText={rawText}
            onRawTextChange={(t) => {
              setRawText(t);
              setRawError(null);
            }}
            errors={fieldErrors}
            rawError={rawError}
            noAction={!action}
          />

          {configFields.length > 0 && (
            <fieldset className="space-y-3">
              <legend className="text-[13px] font-semibold text-fg">Throwaway configuration</legend>
              <p className="text-[12px] text-fg-subtle">Used for this session&apos;s runs only. Secrets are never saved, not in test cases and not in the draft.</p>
              <div className="grid gap-3 @md:grid-cols-2">
                {configFields.map((f) => {
                  const id = `test-config-${f.key}`;
                  const v = configValues[f.key];
                  if (f.type === "boolean") {
                    return (
                      <label key={f.key} htmlFor={id} className="flex items-center gap-2 pt-6 text-[13px] font-medium">
                        <Checkbox id={id} checked={v === true} onChange={(e) => setConfigValues((c) => ({ ...c, [f.key]: e.target.checked }))} />
                        {f.label}
                      </label>
                    );
                  }
                  return (
                    <div key={f.key}>
                      <Label htmlFor={id} className="mb-1.5">
                        {f.label}
                        {f.required && <span className="ml-1 text-danger" aria-hidden>*</span>}
                        {f.type === "secret" && <span className="ml-1.5 text-[11.5px] font-normal text-fg-subtle">secret</span>}
                      </Label>
                      <Input
                        id={id}
                        inputSize="sm"
                        type={f.type === "secret" ? "password" : "text"}
                        autoComplete={f.type === "secret" ? "new-password" : "off"}
                        inputMode={f.type === "number" ? "decimal" : undefined}
                        value={typeof v === "string" ? v : ""}
                        onChange={(e) => setConfigValues((c) => ({ ...c, [f.key]: e.target.value }))}
                        aria-describedby={f.description ? `${id}-hint` : undefined}
                      />
                      <FieldMessage id={`${id}-hint`} hint={f.description} />
                    </div>
                  );
                })}
              </div>
            </fieldset>
          )}

          <div className="flex flex-wrap items-center gap-2 border-t border-border pt-4">
            <Button variant="primary" icon={<PlayIcon className="size-4" />} onClick={() => void run()} loading={running} disabled={blocked} data-testid="test-run">
              {running ? "Running…" : "Run"}
              <Kbd className="ml-1">Ctrl ⏎</Kbd>
            </Button>
            <Button variant="secondary" onClick={saveCurrent} disabled={!action}>
              Save as test case
            </Button>
            {running && (
              <span role="status" className="text-[12.5px] text-fg-muted">
                Running in the sandbox…
              </span>
            )}
          </div>
        </div>

        <div className="min-w-0 rounded-xl border border-border bg-surface p-4 shadow-card" aria-live="polite" aria-busy={running || undefined}>
          <h3 className="mb-3 text-[13px] font-semibold text-fg">Result</h3>
          {problem && (
            <Alert tone="danger" title={problem.message} className="mb-3" data-testid="test-problem">
              {problem.list.length > 0 && (
                <ul className="list-disc space-y-0.5 pl-4 font-mono text-[12px]">
                  {problem.list.slice(0, 20).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              )}
            </Alert>
          )}
          {result && resultKey !== manifestKey && (
            <p className="mb-3 text-[12.5px] text-warning" data-testid="test-result-outdated">
              The draft changed since this run. Run again to test the current version.
            </p>
          )}
          {result ? (
            <RunResult result={result} onShowStep={onFailedNode ? (id) => onFailedNode(id) : undefined} />
          ) : (
            !problem && (
              <div className="rounded-lg border border-dashed border-border p-8 text-center text-[13px] text-fg-muted">
                {running ? "Running…" : "Press Run to execute the action in the sandbox. Output, logs and resources appear here."}
              </div>
            )
          )}
        </div>
      </div>

      <TestCaseList
        testCases={testCases}
        runs={runs}
        currentManifestKey={manifestKey}
        canRun={!blocked}
        busy={runningAll}
        onRun={(t) => void runCase(t)}
        onRunAll={() => void runAll()}
        onEdit={(t) => setDialog({ mode: "edit", initial: t })}
        onDelete={(t) => {
          onTestCasesChange(testCases.filter((x) => x.id !== t.id));
          setRuns((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== t.id)));
        }}
        onLoad={loadCase}
      />

      <TestCaseDialog
        open={dialog !== null}
        mode={dialog?.mode ?? "create"}
        initial={dialog?.initial ?? { id: "none", name: "", action: "", input: {} }}
        actions={actions}
        onClose={() => setDialog(null)}
        onSave={(t) => {
          const exists = testCases.some((x) => x.id === t.id);
          onTestCasesChange(exists ? testCases.map((x) => (x.id === t.id ? t : x)) : [...testCases, t]);
          if (exists) setRuns((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== t.id)));
          setDialog(null);
        }}
      />
    </section>
  );
}

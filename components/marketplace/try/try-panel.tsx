"use client";
// "Try it": run one action of a capability once, in the sandbox, with throwaway
// configuration (POST /api/capabilities/:slug/try). A form generated from the action's
// inputs (or raw JSON), an example picker that fills it, Run (also Ctrl/Cmd+Enter), and
// the result: status, output, the example's expected output when one was used, the error
// with line:column, logs and resources. Nothing entered here is stored.
import { useEffect, useId, useRef, useState } from "react";
import { LockIcon, PlayIcon } from "@/components/icons";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { ActionInputField } from "@/components/executions/action-input-field";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input, controlClasses } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { formatBytes, inputFromValues, jsonEqual, readFormInput, valuesFromInput, type FormValues, type TryField } from "./try-form";

export interface TryAction {
  id: string;
  name: string;
  inputs: TryField[];
}

export interface TryExample {
  action: string | null;
  name: string | null;
  input: Record<string, unknown>;
  expectedOutput: unknown;
}

export interface TryConfigField {
  key: string;
  label: string;
  type: "string" | "number" | "boolean" | "secret";
  required: boolean;
  description: string | null;
}

export interface TryResult {
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string; line?: number; column?: number };
  logs: string[];
  resources: { wallMs: number; cpuMs?: number; heapBytes?: number; networkCalls: number };
  expected?: unknown;
  matchesExpected?: boolean;
}

export interface TryPanelProps {
  slug: string;
  name: string;
  version: string | null;
  /** Workflows and built-ins cannot be tried in the sandbox. */
  unsupported: boolean;
  actions: TryAction[];
  examples: TryExample[];
  configuration: TryConfigField[];
  /** The example to preselect (from an Overview "Try" button). */
  initialExample?: number | null;
}

const exampleAction = (ex: TryExample, actions: TryAction[]) => (ex.action && actions.some((a) => a.id === ex.action) ? ex.action : actions[0]?.id ?? "");

export function TryPanel({ slug, name, version, unsupported, actions, examples, configuration, initialExample = null }: TryPanelProps) {
  const uid = useId();
  const startExample = initialExample !== null && examples[initialExample] ? initialExample : null;
  const startAction = startExample !== null ? exampleAction(examples[startExample]!, actions) : actions[0]?.id ?? "";
  const fieldsOf = (id: string) => actions.find((a) => a.id === id)?.inputs ?? [];

  const [actionId, setActionId] = useState(startAction);
  const [exampleIndex, setExampleIndex] = useState<number | null>(startExample);
  const [values, setValues] = useState<FormValues>(() => valuesFromInput(fieldsOf(startAction), startExample !== null ? examples[startExample]!.input : {}));
  const [rawMode, setRawMode] = useState(false);
  const [rawText, setRawText] = useState("{}");
  const [rawError, setRawError] = useState<string | null>(null);
  const [config, setConfig] = useState<FormValues>(() => Object.fromEntries(configuration.map((c) => [c.key, c.type === "boolean" ? "false" : ""])));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ res: TryResult; example: number | null } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notSupported, setNotSupported] = useState<string | null>(unsupported ? "" : null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const fields = fieldsOf(actionId);
  const actionExamples = examples.map((ex, i) => ({ ex, i })).filter(({ ex }) => exampleAction(ex, actions) === actionId);

  function pickExample(i: number | null) {
    setFieldErrors({});
    setExampleIndex(i);
    if (i === null) return;
    const ex = examples[i];
    if (!ex) return;
    const a = exampleAction(ex, actions);
    setActionId(a);
    setValues(valuesFromInput(fieldsOf(a), ex.input));
    setRawText(JSON.stringify(ex.input, null, 2));
    setRawError(null);
  }

  function changeAction(id: string) {
    setActionId(id);
    setExampleIndex(null);
    setValues(valuesFromInput(fieldsOf(id), {}));
    setRawText("{}");
    setFieldErrors({});
    setResult(null);
  }

  function toggleRaw(on: boolean) {
    if (on) {
      const { input } = inputFromValues(fields, values);
      setRawText(JSON.stringify(input, null, 2));
      setRawError(null);
    } else {
      try {
        const parsed: unknown = JSON.parse(rawText);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        setValues(valuesFromInput(fields, parsed as Record<string, unknown>));
        setRawError(null);
      } catch {
        setRawError("Fix the JSON (an object) before switching back to the form.");
        return;
      }
    }
    setRawMode(on);
  }

  const currentInput = () => readFormInput({ raw: rawMode, rawText, fields, values });

  async function run() {
    if (running || notSupported !== null || !actionId) return;
    const { input, errors } = currentInput();
    setFailure(null);
    if (!input) {
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    const cfg: Record<string, string | number | boolean> = {};
    const secrets: Record<string, string> = {};
    for (const c of configuration) {
      const v = config[c.key] ?? "";
      if (c.type === "boolean") cfg[c.key] = v === "true";
      else if (v === "") continue;
      else if (c.type === "secret") secrets[c.key] = v;
      else if (c.type === "number") cfg[c.key] = Number(v);
      else cfg[c.key] = v;
    }
    // The example counts only while the input is still the example's.
    const ex = exampleIndex !== null ? examples[exampleIndex] : undefined;
    const usedExample = ex && exampleAction(ex, actions) === actionId && jsonEqual(input, ex.input) ? exampleIndex : null;

    abortRef.current?.abort();
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setRunning(true);
    try {
      const res = await apiFetch<TryResult>(`/api/capabilities/${encodeURIComponent(slug)}/try`, {
        method: "POST",
        signal: ctrl.signal,
        json: {
          ...(version ? { version } : {}),
          action: actionId,
          input,
          ...(usedExample !== null ? { example: usedExample } : {}),
          ...(Object.keys(cfg).length ? { config: cfg } : {}),
          ...(Object.keys(secrets).length ? { secrets } : {}),
        },
      });
      if (!res.ok && res.error?.code === "not_supported") {
        setNotSupported(res.error.message);
        setResult(null);
      } else setResult({ res, example: usedExample });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      setResult(null);
      if (err instanceof ApiError && err.status === 422 && err.errors.length) {
        const map: Record<string, string> = {};
        const rest: string[] = [];
        for (const e of err.errors) {
          const m = /^input\.([^.[]+)/.exec(e.path);
          if (m && !rawMode && fields.some((f) => f.name === m[1])) map[m[1]!] ??= e.message;
          else if (e.path === "action") map._action ??= e.message;
          else if (/^(config|secrets)\.([^.[]+)/.test(e.path)) map[`_config.${e.path.split(".")[1]}`] ??= e.message;
          else rest.push(`${e.path ? `${e.path}: ` : ""}${e.message}`);
        }
        if (rawMode && err.errors.some((e) => e.path.startsWith("input"))) map._raw = err.errors.filter((e) => e.path.startsWith("input")).map((e) => `${e.path}: ${e.message}`).join("\n");
        setFieldErrors(map);
        setFailure(rest.length ? rest.join("\n") : "Some values need fixing; see the highlighted fields.");
      } else if (err instanceof ApiError && err.status === 429) {
        setFailure(`You have run this a lot in a short time. Try again ${err.retryAfterSeconds ? `in ${err.retryAfterSeconds} second${err.retryAfterSeconds === 1 ? "" : "s"}` : "in a moment"}.`);
      } else if (err instanceof ApiError && err.status === 404) {
        setFailure(`Trying ${name} is not available right now (the capability, version or action was not found).`);
      } else setFailure(errorMessage(err));
    } finally {
      if (abortRef.current === ctrl) {
        abortRef.current = null;
        setRunning(false);
      }
    }
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run();
    }
  };

  if (notSupported !== null) {
    return (
      <div data-testid="try-panel" data-supported="false">
        <Alert tone="info" title={`${name} can't be tried here`} data-testid="try-not-supported">
          {notSupported || "Workflows and built-in capabilities run only inside an agent, with their dependencies and the host's services, so they can't be run on their own in the sandbox. Install it on an agent to use it."}
        </Alert>
      </div>
    );
  }

  if (actions.length === 0) {
    return (
      <div data-testid="try-panel">
        <Alert tone="info" title="Nothing to try">This capability declares no actions.</Alert>
      </div>
    );
  }

  const secretCount = configuration.filter((c) => c.type === "secret").length;

  return (
    <div data-testid="try-panel" className="space-y-5" onKeyDown={onKeyDown}>
      <Card className="overflow-hidden">
        <div className="grid gap-4 border-b border-border px-4 py-4 sm:grid-cols-2">
          <div>
            <Label htmlFor={`${uid}-action`} className="mb-1.5">
              Action
            </Label>
            <Select id={`${uid}-action`} data-testid="try-action" value={actionId} onChange={(e) => changeAction(e.target.value)} aria-invalid={fieldErrors._action ? true : undefined}>
              {actions.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.id})
                </option>
              ))}
            </Select>
            <FieldMessage id={`${uid}-action-message`} error={fieldErrors._action} />
          </div>
          <div>
            <Label htmlFor={`${uid}-example`} className="mb-1.5">
              Example
            </Label>
            <Select
              id={`${uid}-example`}
              data-testid="try-example"
              value={exampleIndex === null ? "" : String(exampleIndex)}
              onChange={(e) => pickExample(e.target.value === "" ? null : Number(e.target.value))}
              disabled={examples.length === 0}
            >
              <option value="">{examples.length === 0 ? "No examples" : "Pick an example to fill the form…"}</option>
              {(actionExamples.length ? actionExamples : examples.map((ex, i) => ({ ex, i }))).map(({ ex, i }) => (
                <option key={i} value={String(i)}>
                  {ex.name ?? `Example ${i + 1}`}
                </option>
              ))}
            </Select>
          </div>
        </div>

        <div className="px-4 py-4">
          <div className="mb-3 flex items-center justify-between gap-2">
            <p className="text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Input</p>
            <label className="flex items-center gap-2 text-[12.5px] text-fg-muted">
              Raw JSON
              <Switch checked={rawMode} onChange={toggleRaw} aria-label="Edit the input as raw JSON" />
            </label>
          </div>
          {rawError && <p className="mb-2 text-[12.5px] text-danger">{rawError}</p>}
          {rawMode ? (
            <div>
              <textarea
                data-testid="try-raw"
                aria-label="Input as JSON"
                value={rawText}
                onChange={(e) => setRawText(e.target.value)}
                spellCheck={false}
                rows={Math.min(16, Math.max(4, rawText.split("\n").length + 1))}
                aria-invalid={fieldErrors._raw ? true : undefined}
                className={cx(controlClasses, "py-2 font-mono text-[12.5px]")}
              />
              <FieldMessage id={`${uid}-raw-message`} error={fieldErrors._raw && <span className="whitespace-pre-line">{fieldErrors._raw}</span>} />
            </div>
          ) : fields.length === 0 ? (
            <p className="text-[13px] text-fg-subtle">This action takes no input.</p>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              {fields.map((f) => (
                <ActionInputField
                  testIdPrefix="try-input"
                  key={`${actionId}:${f.name}`}
                  id={`${uid}-in-${f.name}`}
                  field={f}
                  value={values[f.name] ?? ""}
                  error={fieldErrors[f.name]}
                  onChange={(v) => setValues((prev) => ({ ...prev, [f.name]: v }))}
                />
              ))}
            </div>
          )}
        </div>

        {configuration.length > 0 && (
          <div className="border-t border-border px-4 py-4">
            <p className="text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Configuration</p>
            <p className="mt-0.5 mb-3 text-[12.5px] text-fg-muted">
              {secretCount > 0 ? "Used for this run only, never stored." : "Used for this run only."} Leave a field empty to run without it.
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              {configuration.map((c) => (
                <ConfigControl key={c.key} id={`${uid}-cfg-${c.key}`} field={c} value={config[c.key] ?? ""} error={fieldErrors[`_config.${c.key}`]} onChange={(v) => setConfig((prev) => ({ ...prev, [c.key]: v }))} />
              ))}
            </div>
          </div>
        )}

        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border bg-surface-2/40 px-4 py-3">
          <p className="text-[12px] text-fg-subtle">
            Runs once in the sandbox. <Kbd>Ctrl</Kbd> / <Kbd>⌘</Kbd> + <Kbd>Enter</Kbd> to run.
          </p>
          <Button variant="primary" data-testid="try-run" loading={running} icon={<PlayIcon className="size-3.5" />} onClick={() => void run()}>
            {running ? "Running…" : "Run"}
          </Button>
        </div>
      </Card>

      {failure && (
        <Alert tone="danger" title="The run did not start" data-testid="try-failure">
          <span className="whitespace-pre-line">{failure}</span>
        </Alert>
      )}

      {result && <TryResultView stale={running} result={result.res} example={result.example !== null ? (examples[result.example] ?? null) : null} />}
    </div>
  );
}

function ConfigControl({ id, field: c, value, error, onChange }: { id: string; field: TryConfigField; value: string; error?: string; onChange: (v: string) => void }) {
  const messageId = `${id}-message`;
  const hint = c.type === "secret" ? "Used for this run only, never stored." : (c.description ?? undefined);
  return (
    <div>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <Label htmlFor={id} className="flex items-center gap-1.5">
          {c.type === "secret" && <LockIcon className="size-3.5 text-security" />}
          {c.label}
          {c.required && <span className="text-danger">*</span>}
        </Label>
        <code className="font-mono text-[11.5px] text-fg-subtle">{c.key}</code>
      </div>
      {c.type === "boolean" ? (
        <label className="flex h-9 items-center gap-2 text-[13px] text-fg-muted">
          <input id={id} type="checkbox" data-testid={`try-config-${c.key}`} checked={value === "true"} onChange={(e) => onChange(e.target.checked ? "true" : "false")} className="size-4" />
          {value === "true" ? "true" : "false"}
        </label>
      ) : (
        <Input
          id={id}
          data-testid={`try-config-${c.key}`}
          type={c.type === "secret" ? "password" : c.type === "number" ? "number" : "text"}
          autoComplete={c.type === "secret" ? "off" : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          invalid={Boolean(error)}
          aria-describedby={messageId}
        />
      )}
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}

function TryResultView({ result, example, stale }: { result: TryResult; example: TryExample | null; stale: boolean }) {
  const expected = result.expected !== undefined ? result.expected : example?.expectedOutput;
  const hasExpected = example !== null && expected !== undefined && expected !== null;
  const matches = hasExpected ? (result.matchesExpected ?? (result.ok && jsonEqual(result.output, expected))) : null;
  const r = result.resources;
  const err = result.error;
  return (
    <Card className={cx("overflow-hidden transition-opacity", stale && "opacity-60")} aria-busy={stale || undefined} data-testid="try-result" data-status={result.ok ? "succeeded" : "failed"}>
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-4 py-3" aria-live="polite">
        {result.ok ? (
          <Badge tone="success" dot>
            Succeeded
          </Badge>
        ) : (
          <Badge tone="danger" dot>
            Failed{err?.code ? ` · ${err.code}` : ""}
          </Badge>
        )}
        {matches !== null && (
          <span data-testid="try-match" data-matches={String(matches)} className={cx("text-[13px] font-medium", matches ? "text-success" : "text-danger")}>
            {matches ? "Matches the example's expected output ✓" : "Differs from the example's expected output ✗"}
          </span>
        )}
      </div>

      {err && (
        <div className="border-b border-border px-4 py-3">
          <p className="text-[13px] text-danger" data-testid="try-error">
            {err.message}
            {err.line !== undefined && (
              <span className="ml-1.5 font-mono text-[12px] text-fg-muted">
                (line {err.line}
                {err.column !== undefined ? `:${err.column}` : ""})
              </span>
            )}
          </p>
        </div>
      )}

      <div className={cx("grid divide-border", matches === false && "md:grid-cols-2 md:divide-x")}>
        {(result.ok || result.output !== undefined) && <JsonView label="Output" testId="try-output" value={result.output} />}
        {matches === false && <JsonView label="Expected" testId="try-expected" value={expected} />}
      </div>

      <div className="border-t border-border px-4 py-3">
        <p className="text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Logs</p>
        {result.logs.length === 0 ? (
          <p className="mt-1 text-[12.5px] text-fg-subtle">No logs.</p>
        ) : (
          <ol data-testid="try-logs" className="mt-1.5 max-h-60 overflow-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-[12px] leading-relaxed text-fg">
            {result.logs.map((l, i) => (
              <li key={i} className="whitespace-pre-wrap">
                {l}
              </li>
            ))}
          </ol>
        )}
      </div>

      <dl data-testid="try-resources" className="grid grid-cols-2 gap-x-4 gap-y-2 border-t border-border px-4 py-3 text-[12.5px] sm:grid-cols-4">
        <Stat label="Wall time" value={`${Math.round(r.wallMs)} ms`} />
        <Stat label="CPU time" value={r.cpuMs !== undefined ? `${Math.round(r.cpuMs)} ms` : "—"} />
        <Stat label="Heap" value={r.heapBytes !== undefined ? formatBytes(r.heapBytes) : "—"} />
        <Stat label="Network calls" value={String(r.networkCalls)} />
      </dl>
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-fg-subtle">{label}</dt>
      <dd className="font-medium text-fg tabular-nums">{value}</dd>
    </div>
  );
}

function JsonView({ label, value, testId }: { label: string; value: unknown; testId: string }) {
  return (
    <div className="min-w-0 border-border not-first:border-t md:not-first:border-t-0">
      <p className="px-4 pt-3 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">{label}</p>
      <pre data-testid={testId} className="max-h-96 overflow-auto px-4 pt-1.5 pb-3 font-mono text-[12px] leading-relaxed text-fg">
        {value === undefined ? "(nothing)" : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

"use client";
// "Run an action": invoke one installed action of this agent as yourself, through the same
// endpoint agents use (POST /api/agents/:id/invoke, with the session). An action picker
// over the installed capabilities, a form from the action's declared inputs (or raw JSON),
// examples from the manifest to fill it, Run (also Ctrl/Cmd+Enter), and the answer:
// status, duration, output, the error (422 paths land on their fields), and a link to the
// execution's page. Disabled installations and actions with a withheld permission are
// listed but cannot be picked, with the reason. When policy holds the run for a person
// (202 with an approvalId), it shows "Waiting for approval" and then, live, the real result
// once approved, the reason when denied, or that it expired.
import Link from "next/link";
import { useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { ApprovalWait } from "@/components/approvals/approval-wait";
import type { InvokeApprovalAnswer } from "@/components/approvals/approval-types";
import { ActionInputField } from "@/components/executions/action-input-field";
import { formatDuration } from "@/components/executions/execution-format";
import { ErrorSummary } from "@/components/executions/execution-parts";
import { JsonBlock } from "@/components/executions/json-block";
import { StatusBadge } from "@/components/executions/status-badge";
import { ArrowRightIcon, PlayIcon } from "@/components/icons";
import { inputFromValues, readFormInput, valuesFromInput, type FormValues, type TryField } from "@/components/marketplace/try/try-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { ExecutionError } from "@/lib/execution/types";
import type { ActionForm, ActionFormsByVersion } from "@/lib/execution/records/list-action-forms";

/** What POST /api/agents/:id/invoke answers: 200 finished (any status) or 202 still going. */
interface InvokeAnswer {
  executionId: string;
  status: string;
  output?: unknown;
  durationMs?: number | null;
  correlationId?: string;
  error?: ExecutionError;
  links?: { self?: string };
}

/** Milliseconds on a monotonic clock, for the round trip shown with a result. */
function clock(): number {
  return performance.now();
}

export interface RunPanelHandle {
  /** Picks an action (`slug.action`), scrolls the panel into view and focuses its form. */
  select(action: string): void;
}

interface Choice {
  ref: string;
  slug: string;
  capability: string;
  action: string;
  name: string;
  form: ActionForm | null;
  /** Why it cannot run, if it cannot. */
  blocked: string | null;
}

function choicesOf(installations: InstallationView[], forms: ActionFormsByVersion): Choice[] {
  return installations.flatMap((inst) =>
    inst.actions.map((a) => ({
      ref: `${inst.capability.slug}.${a.id}`,
      slug: inst.capability.slug,
      capability: inst.capability.name,
      action: a.id,
      name: a.name,
      form: forms[inst.version.id]?.find((f) => f.id === a.id) ?? null,
      blocked: !inst.enabled ? "the installation is disabled" : a.disabled ? `needs ${a.missingPermissions.join(", ")} (withheld)` : null,
    })),
  );
}

export function RunPanel({ agentId, installations, forms, ref }: { agentId: string; installations: InstallationView[]; forms: ActionFormsByVersion; ref?: Ref<RunPanelHandle> }) {
  const uid = useId();
  const choices = choicesOf(installations, forms);
  const firstRunnable = choices.find((c) => !c.blocked)?.ref ?? "";
  const [picked, setPicked] = useState(firstRunnable);
  const choice = choices.find((c) => c.ref === picked && !c.blocked) ?? choices.find((c) => c.ref === firstRunnable);
  const fields: TryField[] = choice?.form?.inputs ?? [];
  const examples = choice?.form?.examples ?? [];
  // Without a known form (an unknown version's manifest), raw JSON is the only way.
  const formKnown = !!choice?.form;

  const [values, setValues] = useState<FormValues>(() => valuesFromInput(fields, {}));
  const [rawMode, setRawMode] = useState(false);
  const [rawText, setRawText] = useState("{}");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [answer, setAnswer] = useState<{ ref: string; body: InvokeAnswer; ms: number } | null>(null);
  const [waiting, setWaiting] = useState<{ ref: string; answer: InvokeApprovalAnswer } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  function pick(ref: string) {
    const next = choices.find((c) => c.ref === ref);
    setPicked(ref);
    setValues(valuesFromInput(next?.form?.inputs ?? [], {}));
    setRawText("{}");
    setFieldErrors({});
    setFailure(null);
  }

  useImperativeHandle(ref, () => ({
    select(action: string) {
      if (choices.some((c) => c.ref === action && !c.blocked)) pick(action);
      panelRef.current?.scrollIntoView({ block: "start", behavior: "smooth" });
      requestAnimationFrame(() => panelRef.current?.querySelector<HTMLElement>("[data-first-input] input, [data-first-input] textarea, [data-first-input] select, [data-testid='run-action']")?.focus());
    },
  }));

  function fillExample(i: number) {
    const ex = examples[i];
    if (!ex) return;
    setValues(valuesFromInput(fields, ex.input));
    setRawText(JSON.stringify(ex.input, null, 2));
    setFieldErrors({});
  }

  function toggleRaw(on: boolean) {
    if (on) {
      setRawText(JSON.stringify(inputFromValues(fields, values).input, null, 2));
    } else {
      try {
        const parsed: unknown = JSON.parse(rawText);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        setValues(valuesFromInput(fields, parsed as Record<string, unknown>));
      } catch {
        setFieldErrors({ _raw: "Fix the JSON (an object) before switching back to the form." });
        return;
      }
    }
    setFieldErrors({});
    setRawMode(on);
  }

  const useRaw = rawMode || !formKnown;

  const currentInput = () => readFormInput({ raw: useRaw, rawText, fields, values });

  async function run() {
    if (running || !choice) return;
    const { input, errors } = currentInput();
    setFailure(null);
    if (!input) {
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    abortRef.current?.abort();
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setRunning(true);
    const started = clock();
    try {
      const body = await apiFetch<InvokeAnswer | InvokeApprovalAnswer>(`/api/agents/${encodeURIComponent(agentId)}/invoke`, { method: "POST", signal: ctrl.signal, json: { action: choice.ref, input } });
      if ("approvalId" in body && typeof body.approvalId === "string") {
        setAnswer(null);
        setWaiting({ ref: choice.ref, answer: body });
      } else {
        setWaiting(null);
        setAnswer({ ref: choice.ref, body: body as InvokeAnswer, ms: clock() - started });
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      setAnswer(null);
      setWaiting(null);
      if (err instanceof ApiError && err.status === 422 && err.errors.length) {
        const map: Record<string, string> = {};
        const rest: string[] = [];
        for (const e of err.errors) {
          const m = /^input\.([^.[]+)/.exec(e.path);
          if (m && !useRaw && fields.some((f) => f.name === m[1])) map[m[1]!] ??= e.message;
          else rest.push(`${e.path ? `${e.path}: ` : ""}${e.message}`);
        }
        if (useRaw && err.errors.some((e) => e.path.startsWith("input"))) map._raw = err.errors.filter((e) => e.path.startsWith("input")).map((e) => `${e.path}: ${e.message}`).join("\n");
        setFieldErrors(map);
        setFailure(rest.length ? rest.join("\n") : "Some values need fixing; see the highlighted fields.");
      } else if (err instanceof ApiError && err.status === 429) {
        setFailure(`Too many runs right now. Try again ${err.retryAfterSeconds ? `in ${err.retryAfterSeconds} second${err.retryAfterSeconds === 1 ? "" : "s"}` : "in a moment"}.`);
      } else if (err instanceof ApiError && err.status === 503) {
        setFailure(`${errorMessage(err)}. No executor process is running to take the work; it may be restarting${err.retryAfterSeconds ? ` (retry in ${err.retryAfterSeconds} s)` : ""}.`);
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

  const bySlug = new Map<string, Choice[]>();
  for (const c of choices) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);

  return (
    <Card ref={panelRef} aria-labelledby={`${uid}-title`} data-testid="run-panel" className="scroll-mt-6 overflow-hidden" onKeyDown={onKeyDown}>
      <CardHeader
        id={`${uid}-title`}
        title={
          <span className="inline-flex items-center gap-2">
            <PlayIcon className="size-4 text-accent" /> Run an action
          </span>
        }
        description="Invoke an installed action as yourself, the same way an agent does with a token. Every run is recorded under Executions."
      />
      {!firstRunnable ? (
        <p className="px-5 py-5 text-[13px] text-fg-muted" data-testid="run-nothing">
          {choices.length === 0 ? "None of the installed capabilities declares an action." : "Every action is blocked: enable an installation or grant the permissions its actions need."}
        </p>
      ) : (
        <>
          <div className="grid gap-4 border-b border-border px-5 py-4 sm:grid-cols-2">
            <div>
              <Label htmlFor={`${uid}-action`} className="mb-1.5">
                Action
              </Label>
              <Select id={`${uid}-action`} data-testid="run-action" value={choice?.ref ?? ""} onChange={(e) => pick(e.target.value)}>
                {[...bySlug.values()].map((group) => (
                  <optgroup key={group[0]!.slug} label={group[0]!.capability}>
                    {group.map((c) => (
                      <option key={c.ref} value={c.ref} disabled={!!c.blocked}>
                        {c.name} ({c.ref}){c.blocked ? ` — ${c.blocked}` : ""}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </Select>
              {choice?.form?.description && <p className="mt-1.5 text-[12.5px] text-fg-subtle">{choice.form.description}</p>}
            </div>
            <div>
              <Label htmlFor={`${uid}-example`} className="mb-1.5">
                Example
              </Label>
              <Select id={`${uid}-example`} data-testid="run-example" value="" onChange={(e) => e.target.value !== "" && fillExample(Number(e.target.value))} disabled={examples.length === 0}>
                <option value="">{examples.length === 0 ? "No examples" : "Fill the form with an example…"}</option>
                {examples.map((ex, i) => (
                  <option key={i} value={String(i)}>
                    {ex.name ?? `Example ${i + 1}`}
                  </option>
                ))}
              </Select>
            </div>
          </div>

          <div className="px-5 py-4">
            <div className="mb-3 flex items-center justify-between gap-2">
              <p className="text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">Input</p>
              {formKnown && (
                <label className="flex items-center gap-2 text-[12.5px] text-fg-muted">
                  Raw JSON
                  <Switch checked={rawMode} onChange={toggleRaw} aria-label="Edit the input as raw JSON" />
                </label>
              )}
            </div>
            {useRaw ? (
              <div data-first-input>
                <textarea
                  data-testid="run-raw"
                  aria-label="Input as JSON"
                  value={rawText}
                  onChange={(e) => setRawText(e.target.value)}
                  spellCheck={false}
                  rows={Math.min(16, Math.max(4, rawText.split("\n").length + 1))}
                  aria-invalid={fieldErrors._raw ? true : undefined}
                  className={cx(controlClasses, "py-2 font-mono text-[12.5px]")}
                />
                <FieldMessage id={`${uid}-raw-message`} error={fieldErrors._raw && <span className="whitespace-pre-line">{fieldErrors._raw}</span>} hint={formKnown ? undefined : "The form of this version is not loaded; enter the input as a JSON object."} />
              </div>
            ) : fields.length === 0 ? (
              <p className="text-[13px] text-fg-subtle">This action takes no input.</p>
            ) : (
              <div className="grid gap-4 sm:grid-cols-2">
                {fields.map((f, i) => (
                  <div key={`${choice?.ref}:${f.name}`} data-first-input={i === 0 || undefined} className={cx("contents")}>
                    <ActionInputField id={`${uid}-in-${f.name}`} field={f} value={values[f.name] ?? ""} error={fieldErrors[f.name]} onChange={(v) => setValues((prev) => ({ ...prev, [f.name]: v }))} />
                  </div>
                ))}
              </div>
            )}
          </div>

          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border bg-surface-2/40 px-5 py-3">
            <p className="text-[12px] text-fg-subtle">
              Runs on an executor with this installation&apos;s configuration and permissions. <Kbd>Ctrl</Kbd> / <Kbd>⌘</Kbd> + <Kbd>Enter</Kbd> to run.
            </p>
            <Button variant="primary" data-testid="run-submit" loading={running} icon={<PlayIcon className="size-3.5" />} onClick={() => void run()}>
              {running ? "Running…" : "Run"}
            </Button>
          </div>
        </>
      )}

      {failure && (
        <div className="border-t border-border px-5 py-4">
          <Alert tone="danger" title="The run was refused" data-testid="run-failure">
            <span className="whitespace-pre-line">{failure}</span>
          </Alert>
        </div>
      )}

      {answer && <RunResult answer={answer} stale={running} />}
      {waiting && (
        <ApprovalWait
          key={waiting.answer.approvalId}
          answer={waiting.answer}
          className={cx("transition-opacity", running && "opacity-60")}
          renderResult={(result) => <RunResult answer={{ ref: waiting.ref, body: { ...result, error: result.error ?? undefined }, ms: null }} stale={running} />}
        />
      )}
    </Card>
  );
}

/** `ms`: the round trip of the invoke; null for a run that waited for an approval first. */
function RunResult({ answer, stale }: { answer: { ref: string; body: InvokeAnswer; ms: number | null }; stale: boolean }) {
  const { body } = answer;
  const finished = body.status !== "queued" && body.status !== "running";
  const href = `/executions/${encodeURIComponent(body.executionId)}`;
  return (
    <div className={cx("border-t border-border transition-opacity", stale && "opacity-60")} aria-busy={stale || undefined} data-testid="run-result" data-status={body.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 px-5 py-3" aria-live="polite">
        <StatusBadge status={body.status} size="md" />
        <code className="font-mono text-[12.5px] text-fg-muted">{answer.ref}</code>
        {finished && (
          <span className="text-[12.5px] text-fg-muted" data-testid="run-duration">
            {formatDuration(body.durationMs ?? null)} running{answer.ms !== null ? ` · ${formatDuration(answer.ms)} round trip` : ""}
          </span>
        )}
        <Link href={href} className="ml-auto inline-flex items-center gap-1 text-[13px] font-medium text-accent hover:underline" data-testid="run-execution-link">
          {finished ? "Open the execution" : "Follow it on its page"} <ArrowRightIcon className="size-3.5" />
        </Link>
      </div>
      {!finished ? (
        <p className="px-5 pb-4 text-[13px] text-fg-muted">It is still {body.status === "queued" ? "waiting for an executor" : "running"}; its page updates live until it finishes.</p>
      ) : (
        <div className="space-y-3 px-5 pb-4">
          {body.error && <ErrorSummary error={body.error} />}
          {(body.status === "succeeded" || body.output !== undefined) && <JsonBlock value={body.output ?? null} testId="run-output" empty="(no output)" />}
        </div>
      )}
    </div>
  );
}

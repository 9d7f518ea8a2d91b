"use client";
// A configuration form generated from a manifest's `configuration`: text, number and
// boolean fields, and secrets (masked, with show/hide; write-only: a stored secret is only
// ever "set", and typing replaces it). Required fields are marked, help links open the
// publisher's instructions. Errors come from the client check or the API's 422 paths.
import { useState } from "react";
import { EyeIcon, LockIcon } from "@/components/icons";
import { EyeOffIcon, ExternalLinkIcon } from "@/components/marketplace/marketplace-icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export interface ConfigFieldSpec {
  key: string;
  label: string;
  type: "string" | "number" | "boolean" | "secret";
  required: boolean;
  description: string | null;
  helpUrl: string | null;
  default?: string | number | boolean | null;
}

/** Raw form values: text for string/number/secret fields, booleans for boolean fields. */
export type ConfigDraft = Record<string, string | boolean>;

export interface ConfigPayload {
  config: Record<string, string | number | boolean | null>;
  secrets: Record<string, string | null>;
}

/** Form values to start from: current values (editing) or the manifest's defaults (installing). */
export function initialDraft(fields: ConfigFieldSpec[], current: Record<string, unknown> = {}): ConfigDraft {
  const draft: ConfigDraft = {};
  for (const f of fields) {
    const v = f.type === "secret" ? undefined : (current[f.key] ?? f.default ?? undefined);
    if (f.type === "boolean") draft[f.key] = typeof v === "boolean" ? v : false;
    else draft[f.key] = v === undefined || v === null ? "" : String(v);
  }
  return draft;
}

const isNeeded = (f: ConfigFieldSpec) => f.required && (f.default === undefined || f.default === null);

/**
 * The API body for a draft, and the errors a person can fix before sending. `mode`
 * "install" omits empty values; "edit" sends null for a cleared plain value (secrets left
 * empty stay as they are; `clearSecrets` lists those to remove).
 */
export function draftToPayload(fields: ConfigFieldSpec[], draft: ConfigDraft, options: { mode: "install" | "edit"; current?: Record<string, unknown>; secretsSet?: Record<string, boolean>; clearSecrets?: Set<string> }): { payload: ConfigPayload; errors: Record<string, string> } {
  const payload: ConfigPayload = { config: {}, secrets: {} };
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = draft[f.key];
    if (f.type === "boolean") {
      const value = raw === true;
      if (options.mode === "install" || options.current?.[f.key] !== value) payload.config[f.key] = value;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (f.type === "secret") {
      if (text) payload.secrets[f.key] = text;
      else if (options.clearSecrets?.has(f.key)) payload.secrets[f.key] = null;
      const willBeSet = !!text || (!options.clearSecrets?.has(f.key) && !!options.secretsSet?.[f.key]);
      if (isNeeded(f) && !willBeSet) errors[f.key] = `${f.label} is required.`;
      continue;
    }
    if (!text) {
      if (options.mode === "edit" && options.current && f.key in options.current) payload.config[f.key] = null;
      if (isNeeded(f)) errors[f.key] = `${f.label} is required.`;
      continue;
    }
    if (f.type === "number") {
      const n = Number(text);
      if (!Number.isFinite(n)) errors[f.key] = "Enter a number.";
      else if (options.mode === "install" || options.current?.[f.key] !== n) payload.config[f.key] = n;
    } else if (options.mode === "install" || options.current?.[f.key] !== text) payload.config[f.key] = text;
  }
  return { payload, errors };
}

/** Field errors of a 422, by key, for paths `${prefix}config.KEY` and `${prefix}secrets.KEY`. */
export function configErrorsFromApi(errors: { path: string; message: string }[], prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const m = e.path.startsWith(prefix) ? /^(?:config|secrets)\.(.+)$/.exec(e.path.slice(prefix.length)) : null;
    if (m?.[1] && !out[m[1]]) out[m[1]] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }
  return out;
}

export function ConfigFields({ fields, draft, onChange, errors, idPrefix, secretsSet, clearSecrets, onToggleClear, disabled }: { fields: ConfigFieldSpec[]; draft: ConfigDraft; onChange: (key: string, value: string | boolean) => void; errors: Record<string, string>; idPrefix: string; secretsSet?: Record<string, boolean>; clearSecrets?: Set<string>; onToggleClear?: (key: string) => void; disabled?: boolean }) {
  return (
    <div className="space-y-4">
      {fields.map((f) => (
        <ConfigField key={f.key} field={f} value={draft[f.key]} onChange={(v) => onChange(f.key, v)} error={errors[f.key]} id={`${idPrefix}-${f.key}`} isSet={secretsSet?.[f.key]} clearing={clearSecrets?.has(f.key)} onToggleClear={onToggleClear ? () => onToggleClear(f.key) : undefined} disabled={disabled} />
      ))}
    </div>
  );
}

function ConfigField({ field: f, value, onChange, error, id, isSet, clearing, onToggleClear, disabled }: { field: ConfigFieldSpec; value: string | boolean | undefined; onChange: (v: string | boolean) => void; error?: string; id: string; isSet?: boolean; clearing?: boolean; onToggleClear?: () => void; disabled?: boolean }) {
  const [shown, setShown] = useState(false);
  const messageId = `${id}-message`;
  const describedBy = [error || f.description ? messageId : null, f.type === "secret" ? `${id}-secret-note` : null].filter(Boolean).join(" ") || undefined;
  const label = (
    <span className="inline-flex items-center gap-1.5">
      {f.type === "secret" && <LockIcon className="size-3.5 text-security" />}
      {f.label}
      {f.required ? (
        <span className="text-danger" aria-hidden>
          *
        </span>
      ) : (
        <span className="font-normal text-fg-subtle">(optional)</span>
      )}
    </span>
  );
  const help = f.helpUrl && (
    <a href={f.helpUrl} target="_blank" rel="noreferrer noopener" className="inline-flex shrink-0 items-center gap-1 text-[12px] font-medium text-accent hover:underline">
      Where do I find this?
      <ExternalLinkIcon className="size-3" />
    </a>
  );

  if (f.type === "boolean") {
    return (
      <div data-field={f.key}>
        <label htmlFor={id} className="flex cursor-pointer items-start gap-2.5">
          <Checkbox id={id} className="mt-0.5" checked={value === true} onChange={(e) => onChange(e.target.checked)} disabled={disabled} aria-describedby={describedBy} aria-invalid={!!error || undefined} data-testid={`config-field-${f.key}`} />
          <span className="text-[13px] font-medium text-fg">{label}</span>
        </label>
        <div className="mt-0.5 flex items-start justify-between gap-2 pl-6.5">
          <FieldMessage id={messageId} error={error} hint={f.description} />
          {help}
        </div>
      </div>
    );
  }

  const isSecret = f.type === "secret";
  return (
    <div data-field={f.key}>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>
          {label} <code className="ml-1 font-mono text-[11px] font-normal text-fg-subtle">{f.key}</code>
        </Label>
        {help}
      </div>
      <div className="relative">
        <Input
          id={id}
          type={isSecret && !shown ? "password" : f.type === "number" ? "text" : "text"}
          inputMode={f.type === "number" ? "decimal" : undefined}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value)}
          invalid={!!error}
          disabled={disabled || clearing}
          autoComplete="off"
          spellCheck={false}
          placeholder={isSecret ? (isSet && !clearing ? "•••••••• saved · type to replace" : clearing ? "Will be removed" : "Paste the secret") : f.type === "number" ? "0" : undefined}
          aria-describedby={describedBy}
          aria-required={f.required || undefined}
          className={cx(isSecret && "pr-10 font-mono")}
          data-testid={`config-field-${f.key}`}
        />
        {isSecret && (
          <button type="button" onClick={() => setShown((s) => !s)} aria-label={shown ? `Hide ${f.label}` : `Show ${f.label}`} aria-pressed={shown} className="absolute top-1/2 right-1.5 grid size-7 -translate-y-1/2 place-items-center rounded-md text-fg-subtle hover:bg-surface-2 hover:text-fg" data-testid={`config-reveal-${f.key}`}>
            {shown ? <EyeOffIcon className="size-4" /> : <EyeIcon className="size-4" />}
          </button>
        )}
      </div>
      <FieldMessage id={messageId} error={error} hint={f.description} />
      {isSecret && (
        <p id={`${id}-secret-note`} className="mt-1 flex flex-wrap items-center gap-2 text-[11.5px] text-fg-subtle">
          <Badge tone="security" className="h-[18px]">
            Secret
          </Badge>
          {isSet === undefined ? "Encrypted at rest; never shown again after saving." : isSet ? (clearing ? "The saved value will be removed." : "A value is saved. Leave empty to keep it.") : "Not set yet."}
          {isSet && !f.required && onToggleClear && (
            <Button size="xs" variant="ghost" className="h-5 px-1.5" onClick={onToggleClear}>
              {clearing ? "Keep it" : "Remove it"}
            </Button>
          )}
        </p>
      )}
    </div>
  );
}

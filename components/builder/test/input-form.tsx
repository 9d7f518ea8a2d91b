"use client";
// The action's input for a test run: a form generated from its declared inputs (text,
// number, checkbox, select for enums, JSON for objects and arrays) or the raw JSON object
// (a switch). Switching carries the current values across; problems show at each field.
import { useId } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { cx } from "@/components/ui/cx";
import type { FormValues, TestField } from "@/lib/builder/test/draft-actions";

export const textareaClasses =
  "block w-full rounded-lg border border-border-strong/80 bg-surface px-3 py-2 font-mono text-[12.5px] leading-relaxed text-fg shadow-card placeholder:text-fg-subtle focus:border-accent focus:outline-none focus:ring-3 focus:ring-ring/25 aria-invalid:border-danger";

export interface InputFormProps {
  fields: TestField[];
  values: FormValues;
  onValuesChange: (v: FormValues) => void;
  rawMode: boolean;
  onRawModeChange: (raw: boolean) => void;
  rawText: string;
  onRawTextChange: (t: string) => void;
  /** Problems by field name (client parsing or the server's `input.<name>` paths). */
  errors: Record<string, string>;
  rawError?: string | null;
  /** No action to test yet (the draft declares none). */
  noAction?: boolean;
}

const TYPE_HINT: Record<string, string> = { string: "text", number: "number", integer: "integer", boolean: "yes/no", object: "JSON object", array: "JSON array", file: "text", any: "JSON or text" };

export function InputForm(p: InputFormProps) {
  const base = useId();
  const set = (name: string, v: string | boolean) => p.onValuesChange({ ...p.values, [name]: v });
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-[13px] font-semibold text-fg">Input</h3>
        <label className="flex items-center gap-2 text-[12.5px] text-fg-muted">
          <Switch checked={p.rawMode} onChange={p.onRawModeChange} aria-label="Raw JSON input" />
          Raw JSON
        </label>
      </div>
      {p.rawMode ? (
        <div>
          <Label htmlFor={`${base}-raw`} className="sr-only">
            Input JSON
          </Label>
          <textarea
            id={`${base}-raw`}
            aria-label="Input JSON"
            spellCheck={false}
            rows={Math.min(16, Math.max(5, p.rawText.split("\n").length + 1))}
            value={p.rawText}
            onChange={(e) => p.onRawTextChange(e.target.value)}
            aria-invalid={p.rawError ? true : undefined}
            aria-describedby={p.rawError ? `${base}-raw-message` : undefined}
            className={textareaClasses}
          />
          <FieldMessage id={`${base}-raw-message`} error={p.rawError ?? undefined} hint="A JSON object: the action's input as sent." />
        </div>
      ) : p.fields.length === 0 ? (
        <p className="rounded-lg border border-dashed border-border px-3 py-4 text-center text-[13px] text-fg-muted">{p.noAction ? "Choose an action to fill in its input." : "This action declares no inputs."}</p>
      ) : (
        <div className="grid gap-3 @md:grid-cols-2">
          {p.fields.map((f) => {
            const id = `${base}-f-${f.name}`;
            const msg = `${id}-message`;
            const error = p.errors[f.name];
            const value = p.values[f.name];
            const label = (
              <span className="flex items-baseline gap-1.5">
                <span className="font-mono">{f.name}</span>
                {f.required && <span className="text-danger" aria-hidden>*</span>}
                <span className="text-[11.5px] font-normal text-fg-subtle">{TYPE_HINT[f.type] ?? f.type}</span>
              </span>
            );
            const wide = f.type === "object" || f.type === "array" || f.type === "any";
            if (f.type === "boolean") {
              return (
                <div key={f.name} className="flex items-start gap-2 pt-6">
                  <Checkbox id={id} checked={value === true} onChange={(e) => set(f.name, e.target.checked)} aria-describedby={f.description ? msg : undefined} />
                  <div>
                    <Label htmlFor={id}>{label}</Label>
                    <FieldMessage id={msg} error={error} hint={f.description} />
                  </div>
                </div>
              );
            }
            return (
              <div key={f.name} className={cx(wide && "@md:col-span-2")}>
                <Label htmlFor={id} className="mb-1.5">
                  {label}
                </Label>
                {f.enum && f.enum.length ? (
                  <Select id={id} value={typeof value === "string" ? value : ""} onChange={(e) => set(f.name, e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error || f.description ? msg : undefined}>
                    <option value="">{f.required ? "Choose…" : "(none)"}</option>
                    {f.enum.map((o) => (
                      <option key={String(o)} value={String(o)}>
                        {String(o)}
                      </option>
                    ))}
                  </Select>
                ) : wide ? (
                  <textarea
                    id={id}
                    spellCheck={false}
                    rows={4}
                    value={typeof value === "string" ? value : ""}
                    placeholder={f.type === "array" ? "[ ]" : "{ }"}
                    onChange={(e) => set(f.name, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error || f.description ? msg : undefined}
                    className={textareaClasses}
                  />
                ) : (
                  <Input
                    id={id}
                    inputSize="sm"
                    inputMode={f.type === "number" ? "decimal" : f.type === "integer" ? "numeric" : undefined}
                    value={typeof value === "string" ? value : ""}
                    onChange={(e) => set(f.name, e.target.value)}
                    invalid={Boolean(error)}
                    aria-describedby={error || f.description ? msg : undefined}
                    required={f.required}
                  />
                )}
                <FieldMessage id={msg} error={error} hint={f.description} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

"use client";
// One declared input of an action as a form control: a checkbox for booleans, a select for
// enums, a JSON textarea for objects, arrays and files, a number or text box otherwise;
// with its type, whether it is required, its description and its error.
import { isJsonType, type TryField } from "@/components/marketplace/try/try-form";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input, controlClasses } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export function ActionInputField({ id, field: f, value, error, onChange, testIdPrefix = "run-input" }: { id: string; field: TryField; value: string; error?: string; onChange: (v: string) => void; testIdPrefix?: string }) {
  const messageId = `${id}-message`;
  const testId = `${testIdPrefix}-${f.name}`;
  const describedBy = error || f.description ? messageId : undefined;
  let control: React.ReactNode;
  if (f.type === "boolean") {
    control = (
      <label className="flex h-9 items-center gap-2 text-[13px] text-fg-muted">
        <input id={id} type="checkbox" data-testid={testId} checked={value === "true"} onChange={(e) => onChange(e.target.checked ? "true" : "false")} aria-describedby={describedBy} className="size-4 accent-(--color-accent)" />
        {value === "true" ? "true" : "false"}
      </label>
    );
  } else if (f.enum && f.enum.length > 0) {
    control = (
      <Select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        <option value="">{f.required ? "Choose…" : "(none)"}</option>
        {f.enum.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </Select>
    );
  } else if (isJsonType(f.type)) {
    control = (
      <textarea
        id={id}
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        rows={Math.min(10, Math.max(3, value.split("\n").length))}
        placeholder={f.type === "array" ? "[]" : f.type === "object" ? "{}" : "JSON"}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(controlClasses, "py-2 font-mono text-[12.5px]")}
      />
    );
  } else if (f.type === "string" && /text|markdown|body|content|csv|html/i.test(f.name)) {
    // Long-form strings get room to breathe (and keep their line breaks).
    control = (
      <textarea
        id={id}
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={Math.min(10, Math.max(3, value.split("\n").length))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(controlClasses, "py-2 text-[13px]")}
      />
    );
  } else {
    const numeric = f.type === "number" || f.type === "integer";
    control = (
      <Input
        id={id}
        data-testid={testId}
        type={numeric ? "number" : "text"}
        step={f.type === "integer" ? 1 : numeric ? "any" : undefined}
        inputMode={f.type === "integer" ? "numeric" : numeric ? "decimal" : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        invalid={Boolean(error)}
        aria-describedby={describedBy}
      />
    );
  }
  const wide = isJsonType(f.type) || (f.type === "string" && /text|markdown|body|content|csv|html/i.test(f.name));
  return (
    <div className={cx(wide && "sm:col-span-2")}>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>
          <code className="font-mono text-[12.5px]">{f.name}</code>
          {f.required && (
            <span className="ml-1 text-danger" title="Required">
              *
            </span>
          )}
        </Label>
        <Badge mono>{f.type}</Badge>
      </div>
      {control}
      <FieldMessage id={messageId} error={error} hint={f.description} />
    </div>
  );
}

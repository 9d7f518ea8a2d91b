import { useId, type ReactNode } from "react";
import { cx } from "./cx";
import { Input, type InputProps } from "./input";

export function Label({ htmlFor, children, className, id }: { htmlFor?: string; children: ReactNode; className?: string; id?: string }) {
  return (
    <label id={id} htmlFor={htmlFor} className={cx("block text-[13px] font-medium text-fg", className)}>
      {children}
    </label>
  );
}

export function FieldMessage({ id, error, hint }: { id: string; error?: ReactNode; hint?: ReactNode }) {
  if (error) {
    return (
      <p id={id} className="mt-1.5 text-[12.5px] text-danger">
        {error}
      </p>
    );
  }
  if (hint) {
    return (
      <p id={id} className="mt-1.5 text-[12.5px] text-fg-subtle">
        {hint}
      </p>
    );
  }
  return null;
}

export interface TextFieldProps extends InputProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  labelAside?: ReactNode;
}

/** Label, input, and a hint or error wired together with ids for assistive technology. */
export function TextField({ label, hint, error, labelAside, id, className, ...props }: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const messageId = `${inputId}-message`;
  return (
    <div className={className}>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <Label htmlFor={inputId}>{label}</Label>
        {labelAside}
      </div>
      <Input id={inputId} invalid={Boolean(error)} aria-describedby={error || hint ? messageId : undefined} {...props} />
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}

"use client";
import { useId, useState, type FormEvent } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { TokenRecord } from "@/lib/auth/api-tokens";

export interface ScopeOption {
  name: string;
  description: string;
}

const EXPIRY_OPTIONS = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

export function CreateTokenDialog({ open, onClose, scopeOptions, onCreated }: { open: boolean; onClose: () => void; scopeOptions: ScopeOption[]; onCreated: (record: TokenRecord, token: string) => void }) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!pending}
      size="lg"
      title="Create an API token"
      description="Give it a name you will recognise later and only the scopes it needs."
    >
      <CreateTokenForm scopeOptions={scopeOptions} onCancel={onClose} onCreated={onCreated} pending={pending} setPending={setPending} />
    </Dialog>
  );
}

function CreateTokenForm({ scopeOptions, onCancel, onCreated, pending, setPending }: { scopeOptions: ScopeOption[]; onCancel: () => void; onCreated: (record: TokenRecord, token: string) => void; pending: boolean; setPending: (p: boolean) => void }) {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("30");
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<{ name?: string; scopes?: string; form?: string }>({});
  const expiryId = useId();
  const scopesMessageId = useId();

  const toggle = (scope: string, on: boolean) =>
    setScopes((s) => {
      const next = new Set(s);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });
  const preset = (names: string[]) => {
    setScopes(new Set(names));
    setErrors((e) => ({ ...e, scopes: undefined }));
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const nextErrors: typeof errors = {};
    if (!name.trim()) nextErrors.name = "Give the token a name.";
    if (scopes.size === 0) nextErrors.scopes = "Choose at least one scope.";
    setErrors(nextErrors);
    if (nextErrors.name || nextErrors.scopes) return;
    setPending(true);
    try {
      const body = {
        name: name.trim(),
        // Keep the catalogue's order so the stored list reads predictably.
        scopes: scopeOptions.map((s) => s.name).filter((s) => scopes.has(s)),
        expiresInDays: expiry === "never" ? null : Number(expiry),
      };
      const { token, ...record } = await apiFetch<TokenRecord & { token: string }>("/api/tokens", { method: "POST", json: body });
      onCreated(record, token);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        setErrors({ name: err.fieldError("name"), scopes: err.fieldError("scopes"), form: err.fieldError("name") || err.fieldError("scopes") ? undefined : errorMessage(err) });
      } else setErrors({ form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  const readOnly = scopeOptions.filter((s) => s.name.endsWith(":read")).map((s) => s.name);
  return (
    <form onSubmit={onSubmit} noValidate>
      {errors.form && <Alert tone="danger" className="mb-4">{errors.form}</Alert>}
      <div className="grid gap-4 sm:grid-cols-[1fr_160px]">
        <TextField
          label="Name"
          autoFocus
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setErrors((er) => ({ ...er, name: undefined }));
          }}
          error={errors.name}
          placeholder="e.g. CI deploy notes"
          maxLength={100}
          data-testid="token-name-input"
        />
        <div>
          <Label htmlFor={expiryId} className="mb-1.5">Expires</Label>
          <Select id={expiryId} value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="token-expiry-select">
            {EXPIRY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </div>
      </div>

      <fieldset className="mt-5" aria-describedby={errors.scopes ? scopesMessageId : undefined}>
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <legend className="text-[13px] font-medium text-fg">
            Scopes <span className="font-normal text-fg-subtle">· {scopes.size} of {scopeOptions.length} selected</span>
          </legend>
          <div className="flex gap-1">
            <Button size="xs" variant="ghost" onClick={() => preset(readOnly)}>Read-only</Button>
            <Button size="xs" variant="ghost" onClick={() => preset(scopeOptions.map((s) => s.name))}>All</Button>
            <Button size="xs" variant="ghost" onClick={() => preset([])}>None</Button>
          </div>
        </div>
        <div className={cx("grid gap-1.5 sm:grid-cols-2", errors.scopes && "rounded-lg ring-1 ring-danger/40")}>
          {scopeOptions.map((s) => {
            const checked = scopes.has(s.name);
            return (
              <label
                key={s.name}
                className={cx(
                  "flex cursor-pointer items-start gap-2.5 rounded-lg border px-3 py-2.5 transition-colors",
                  checked ? "border-accent/50 bg-accent-soft/60" : "border-border hover:border-border-strong hover:bg-surface-2/60",
                )}
              >
                <Checkbox
                  className="mt-0.5"
                  checked={checked}
                  onChange={(e) => {
                    toggle(s.name, e.target.checked);
                    setErrors((er) => ({ ...er, scopes: undefined }));
                  }}
                  name="scopes"
                  value={s.name}
                  aria-label={s.name}
                  aria-describedby={`${scopesMessageId}-${s.name}`}
                />
                <span className="min-w-0">
                  <span className={cx("block font-mono text-[12px] font-medium", s.name === "admin" ? "text-security" : "text-fg")}>{s.name}</span>
                  <span id={`${scopesMessageId}-${s.name}`} className="mt-0.5 block text-[12px] leading-snug text-fg-muted">
                    {s.description}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
        <FieldMessage id={scopesMessageId} error={errors.scopes} />
      </fieldset>

      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>Cancel</Button>
        <Button type="submit" variant="primary" loading={pending} data-testid="token-create-submit">
          Create token
        </Button>
      </DialogFooter>
    </form>
  );
}

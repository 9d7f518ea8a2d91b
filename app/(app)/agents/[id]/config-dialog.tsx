"use client";
// Changing an installation's configuration. Plain values are shown and edited; secrets are
// write-only: a stored one shows as set, typing a value replaces it, and an optional one
// can be removed. Only what changed is sent.
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { ConfigFields, configErrorsFromApi, draftToPayload, initialDraft, type ConfigFieldSpec } from "@/components/agents/config-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { UpdateInstallationResult } from "@/lib/agents/update-installation";

export function ConfigDialog({ open, onClose, url, inst, onSaved }: { open: boolean; onClose: () => void; url: string; inst: InstallationView; onSaved: (inst: InstallationView) => void }) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} title={`Configure ${inst.capability.name}`} description="Saved secrets are never shown again; enter a new value only to replace one." size="md" data-testid="config-dialog">
      {open && <ConfigForm url={url} inst={inst} onCancel={onClose} onSaved={onSaved} pending={pending} setPending={setPending} />}
    </Dialog>
  );
}

function ConfigForm({ url, inst, onCancel, onSaved, pending, setPending }: { url: string; inst: InstallationView; onCancel: () => void; onSaved: (inst: InstallationView) => void; pending: boolean; setPending: (p: boolean) => void }) {
  const toast = useToast();
  const fields = inst.configuration as ConfigFieldSpec[];
  const [draft, setDraft] = useState(() => initialDraft(fields, inst.config));
  const [clear, setClear] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const secretsSet = Object.fromEntries(inst.secrets.map((s) => [s.key, s.set]));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const { payload, errors: found } = draftToPayload(fields, draft, { mode: "edit", current: inst.config, secretsSet, clearSecrets: clear });
    if (Object.keys(found).length) {
      setErrors(found);
      return;
    }
    if (!Object.keys(payload.config).length && !Object.keys(payload.secrets).length) {
      onCancel();
      return;
    }
    setPending(true);
    try {
      const r = await apiFetch<UpdateInstallationResult>(url, { method: "PATCH", json: { config: payload.config, secrets: payload.secrets } });
      toast.success(`${inst.capability.name} configured`, r.status === "unchanged" ? "Nothing changed." : "The new settings apply to its next run.");
      onSaved(r.installation);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const byKey = configErrorsFromApi(err.errors);
        setErrors(byKey);
        if (!Object.keys(byKey).length) setFormError(errorMessage(err));
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      {formError && <Alert tone="danger" className="mb-4">{formError}</Alert>}
      <ConfigFields
        fields={fields}
        draft={draft}
        onChange={(key, value) => {
          setDraft((d) => ({ ...d, [key]: value }));
          setErrors((x) => ({ ...x, [key]: "" }));
        }}
        errors={errors}
        idPrefix={`cfg-${inst.id}`}
        secretsSet={secretsSet}
        clearSecrets={clear}
        onToggleClear={(key) =>
          setClear((c) => {
            const next = new Set(c);
            if (next.has(key)) next.delete(key);
            else next.add(key);
            return next;
          })
        }
        disabled={pending}
      />
      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending} data-testid="config-save">
          Save configuration
        </Button>
      </DialogFooter>
    </form>
  );
}

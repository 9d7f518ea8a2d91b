"use client";
// Creating an agent, or renaming and re-describing one: a name (required) and what it is
// for. Field errors of the API's 422 are shown at their fields.
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import type { AgentRecord } from "@/lib/agents/agent-record";

export function AgentFormDialog({ open, onClose, agent, onSaved }: { open: boolean; onClose: () => void; agent?: Pick<AgentRecord, "id" | "name" | "description">; onSaved: (agent: AgentRecord) => void }) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!pending}
      title={agent ? "Edit agent" : "New agent"}
      description={agent ? undefined : "An agent is an AI assistant or automation you give capabilities to. You decide, per capability, what it may do."}
      data-testid="agent-form-dialog"
    >
      {open && <AgentForm agent={agent} onCancel={onClose} onSaved={onSaved} pending={pending} setPending={setPending} />}
    </Dialog>
  );
}

function AgentForm({ agent, onCancel, onSaved, pending, setPending }: { agent?: Pick<AgentRecord, "id" | "name" | "description">; onCancel: () => void; onSaved: (agent: AgentRecord) => void; pending: boolean; setPending: (p: boolean) => void }) {
  const [name, setName] = useState(agent?.name ?? "");
  const [description, setDescription] = useState(agent?.description ?? "");
  const [errors, setErrors] = useState<{ name?: string; description?: string; form?: string }>({});

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setErrors({ name: "Give the agent a name." });
      return;
    }
    setPending(true);
    try {
      const saved = agent
        ? await apiFetch<AgentRecord>(`/api/agents/${encodeURIComponent(agent.id)}`, { method: "PATCH", json: { name: name.trim(), description: description.trim() } })
        : await apiFetch<AgentRecord>("/api/agents", { method: "POST", json: { name: name.trim(), description: description.trim() } });
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && (err.fieldError("name") || err.fieldError("description"))) setErrors({ name: err.fieldError("name"), description: err.fieldError("description") });
      else setErrors({ form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      {errors.form && <Alert tone="danger" className="mb-4">{errors.form}</Alert>}
      <TextField
        label="Name"
        autoFocus
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setErrors((x) => ({ ...x, name: undefined }));
        }}
        error={errors.name}
        placeholder="e.g. Support assistant"
        maxLength={100}
        data-testid="agent-name-input"
      />
      <div className="mt-4">
        <Label htmlFor="agent-description" className="mb-1.5">
          Description <span className="font-normal text-fg-subtle">(optional)</span>
        </Label>
        <textarea id="agent-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} placeholder="What it does and for whom" aria-invalid={!!errors.description || undefined} className={`${controlClasses} py-2`} data-testid="agent-description-input" />
        <FieldMessage id="agent-description-message" error={errors.description} />
      </div>
      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending} data-testid="agent-form-submit">
          {agent ? "Save" : "Create agent"}
        </Button>
      </DialogFooter>
    </form>
  );
}

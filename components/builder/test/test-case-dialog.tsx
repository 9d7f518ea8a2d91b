"use client";
// Save the current run as a test case, or edit a saved one: name, action, input JSON and
// the expected output JSON (prefilled with the current output; empty = only expect success).
// Secrets are never part of a test case; the non-secret config it was run with is kept.
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { parseInputJson } from "@/lib/builder/test/draft-actions";
import type { TestCase } from "@/lib/builder/test/test-cases";
import { textareaClasses } from "./input-form";
import { prettyJson } from "./run-result";

export interface TestCaseDialogProps {
  open: boolean;
  mode: "create" | "edit";
  initial: TestCase;
  actions: { id: string; name: string }[];
  onClose: () => void;
  onSave: (t: TestCase) => void;
}

export function TestCaseDialog(p: TestCaseDialogProps) {
  return (
    <Dialog open={p.open} onClose={p.onClose} title={p.mode === "create" ? "Save as test case" : "Edit test case"} description="Saved test cases become the manifest's examples and re-run with one click." data-testid="test-case-dialog">
      {p.open && <TestCaseForm key={p.initial.id} {...p} />}
    </Dialog>
  );
}

function TestCaseForm({ initial, actions, onClose, onSave, mode }: TestCaseDialogProps) {
  const base = useId();
  const [name, setName] = useState(initial.name);
  const [action, setAction] = useState(initial.action);
  const [inputText, setInputText] = useState(prettyJson(initial.input));
  const [expectedText, setExpectedText] = useState(initial.expected === undefined ? "" : prettyJson(initial.expected));
  const [errors, setErrors] = useState<{ name?: string; input?: string; expected?: string }>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!name.trim()) next.name = "Give the test case a name";
    else if (name.trim().length > 100) next.name = "At most 100 characters";
    const parsed = parseInputJson(inputText);
    if (parsed.error) next.input = parsed.error;
    let expected: unknown = undefined;
    if (expectedText.trim()) {
      try {
        expected = JSON.parse(expectedText);
      } catch (err) {
        next.expected = `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    const saved: TestCase = { id: initial.id, name: name.trim(), action, input: parsed.input ?? {} };
    if (expected !== undefined) saved.expected = expected;
    if (initial.config && Object.keys(initial.config).length) saved.config = initial.config;
    onSave(saved);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} autoFocus maxLength={100} placeholder="e.g. 10 km is 6.21 miles" />
      <div>
        <Label htmlFor={`${base}-action`} className="mb-1.5">
          Action
        </Label>
        <Select id={`${base}-action`} value={action} onChange={(e) => setAction(e.target.value)}>
          {!actions.some((a) => a.id === action) && <option value={action}>{action || "(none)"}</option>}
          {actions.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name === a.id ? a.id : `${a.name} (${a.id})`}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <Label htmlFor={`${base}-input`} className="mb-1.5">
          Input (JSON)
        </Label>
        <textarea id={`${base}-input`} rows={5} spellCheck={false} value={inputText} onChange={(e) => setInputText(e.target.value)} aria-invalid={errors.input ? true : undefined} aria-describedby={`${base}-input-msg`} className={textareaClasses} />
        <FieldMessage id={`${base}-input-msg`} error={errors.input} />
      </div>
      <div>
        <Label htmlFor={`${base}-expected`} className="mb-1.5">
          Expected output (JSON)
        </Label>
        <textarea id={`${base}-expected`} rows={6} spellCheck={false} value={expectedText} onChange={(e) => setExpectedText(e.target.value)} aria-invalid={errors.expected ? true : undefined} aria-describedby={`${base}-expected-msg`} className={textareaClasses} />
        <FieldMessage id={`${base}-expected-msg`} error={errors.expected} hint="Compared exactly with the output. Leave empty to only expect the run to succeed." />
      </div>
      <p className="text-[12px] text-fg-subtle">Secrets are never saved with a test case: runs use the secrets entered in the Test step.</p>
      <DialogFooter>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="primary">
          {mode === "create" ? "Save test case" : "Save changes"}
        </Button>
      </DialogFooter>
    </form>
  );
}

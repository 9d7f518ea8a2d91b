"use client";
// "Add rule": a form for one organisation rule (id, description, what it matches, effect,
// approver) that builds the rule, checks the whole new rule set with the same validation
// the server runs (lib/policy/rules.ts) and hands it to the page to save. Errors, the
// client's or the server's 422, appear at their fields; anything without a field is listed.
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { POLICY_ACTION_KINDS, validateRules, type OrgRule } from "@/lib/policy/rules";
import { EFFECT_META } from "./rule-format";

export interface CatalogPermission {
  name: string;
  label: string;
  group: string;
  risk: string;
}

export interface FieldErrorLike {
  path: string;
  message: string;
}

export type SaveRulesResult = { ok: true } | { ok: false; errors?: FieldErrorLike[]; message?: string };

const RISKS = ["low", "medium", "high", "critical"] as const;
const WHAT_LABELS: Record<(typeof POLICY_ACTION_KINDS)[number], string> = {
  invoke: "invoke: an agent runs an action",
  install: "install: a capability is installed",
  upgrade: "upgrade: an installation moves to a new version",
  publish: "publish: a version is published",
  materialize_task: "materialize_task: a plan becomes a task",
  revoke: "revoke: access is taken away",
};

const FIELD_NAMES = ["id", "description", "what", "capability", "action", "permission", "agent", "risk", "domain", "effect", "approver"] as const;
type FieldName = (typeof FIELD_NAMES)[number];

interface FormState {
  id: string;
  description: string;
  what: string;
  capability: string;
  action: string;
  permission: string;
  agent: string;
  risk: string[];
  domain: string;
  effect: OrgRule["effect"];
  approver: "" | "admin" | "any";
  position: "end" | "top";
  comment: string;
}

const EMPTY: FormState = { id: "", description: "", what: "", capability: "", action: "", permission: "", agent: "", risk: [], domain: "", effect: "require_approval", approver: "", position: "end", comment: "" };

/** "a, b" → ["a", "b"]; one value stays a string (as someone would write it in YAML). */
function listOrOne(text: string): string | string[] | undefined {
  const values = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

export function buildRule(f: FormState): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (f.what) match.what = f.what;
  const capability = listOrOne(f.capability);
  if (capability) match.capability = capability;
  const action = listOrOne(f.action);
  if (action) match.action = action;
  const agent = listOrOne(f.agent);
  if (agent) match.agent = agent;
  if (f.risk.length) match.risk = RISKS.filter((r) => f.risk.includes(r));
  if (f.permission) match.permission = f.permission;
  const domain = listOrOne(f.domain);
  if (domain) match.domain = domain;
  return {
    id: f.id.trim(),
    ...(f.description.trim() ? { description: f.description.trim() } : {}),
    match,
    effect: f.effect,
    ...(f.effect === "require_approval" && f.approver ? { approver: f.approver } : {}),
  };
}

/** Splits errors of the whole set into those of the new rule's fields and the rest. */
function errorsByField(errors: readonly FieldErrorLike[], index: number): { fields: Partial<Record<FieldName, string>>; rest: FieldErrorLike[] } {
  const fields: Partial<Record<FieldName, string>> = {};
  const rest: FieldErrorLike[] = [];
  const prefix = `rules[${index}].`;
  for (const e of errors) {
    const m = e.path.startsWith(prefix) ? /^(?:match\.)?([A-Za-z]+)/.exec(e.path.slice(prefix.length)) : null;
    const name = m?.[1] as FieldName | undefined;
    if (name && FIELD_NAMES.includes(name)) fields[name] ??= e.message;
    else rest.push(e);
  }
  return { fields, rest };
}

export function AddRuleDialog({
  open,
  onClose,
  rules,
  permissions,
  onSave,
}: {
  open: boolean;
  onClose: () => void;
  rules: readonly OrgRule[];
  permissions: readonly CatalogPermission[];
  onSave: (next: unknown[], comment: string) => Promise<SaveRulesResult>;
}) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!pending}
      size="lg"
      title="Add a rule"
      description="Rules are checked in order and the first that matches decides. Leave a field empty to match anything."
      data-testid="add-rule-dialog"
    >
      {open && <AddRuleForm rules={rules} permissions={permissions} onSave={onSave} onCancel={onClose} pending={pending} setPending={setPending} />}
    </Dialog>
  );
}

function AddRuleForm({
  rules,
  permissions,
  onSave,
  onCancel,
  pending,
  setPending,
}: {
  rules: readonly OrgRule[];
  permissions: readonly CatalogPermission[];
  onSave: (next: unknown[], comment: string) => Promise<SaveRulesResult>;
  onCancel: () => void;
  pending: boolean;
  setPending: (p: boolean) => void;
}) {
  const [form, setForm] = useState<FormState>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [otherErrors, setOtherErrors] = useState<FieldErrorLike[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const uid = useId();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (key in fieldErrors) setFieldErrors((e) => ({ ...e, [key]: undefined }));
  };
  const groups = [...new Set(permissions.map((p) => p.group))];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setOtherErrors([]);
    const rule = buildRule(form);
    const index = form.position === "top" ? 0 : rules.length;
    const next: unknown[] = form.position === "top" ? [rule, ...rules] : [...rules, rule];
    const errs: FieldErrorLike[] = [];
    if (!form.id.trim()) errs.push({ path: `rules[${index}].id`, message: "Give the rule an id, e.g. crm-needs-admin." });
    else if (rules.some((r) => r.id === form.id.trim())) errs.push({ path: `rules[${index}].id`, message: "A rule with this id exists already." });
    const check = validateRules(next);
    for (const c of check.errors) if (!errs.some((x) => x.path === c.path)) errs.push(c);
    if (errs.length) {
      const split = errorsByField(errs, index);
      setFieldErrors(split.fields);
      setOtherErrors(split.rest);
      return;
    }
    setPending(true);
    try {
      const result = await onSave(next, form.comment.trim() || `Added rule ${form.id.trim()}`);
      if (!result.ok) {
        const split = errorsByField(result.errors ?? [], index);
        setFieldErrors(split.fields);
        setOtherErrors(split.rest);
        if (result.message) setFormError(result.message);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="add-rule-form">
      {formError && (
        <Alert tone="danger" className="mb-4">
          {formError}
        </Alert>
      )}
      {otherErrors.length > 0 && (
        <Alert tone="danger" className="mb-4" title="The rules are not valid">
          <ul className="space-y-0.5">
            {otherErrors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code className="font-mono text-[12px]">{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Rule id" autoFocus value={form.id} onChange={(e) => set("id", e.target.value)} error={fieldErrors.id} hint="Letters, digits, _ . : and -" placeholder="crm-needs-admin" maxLength={128} />
        <TextField label="Description" labelAside={<span className="text-[12px] text-fg-subtle">optional</span>} value={form.description} onChange={(e) => set("description", e.target.value)} error={fieldErrors.description} placeholder="Why this rule exists" maxLength={500} />
      </div>

      <fieldset className="mt-5 rounded-lg border border-border px-4 pt-2 pb-4">
        <legend className="px-1 text-[13px] font-medium text-fg">Matches</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <Label htmlFor={`${uid}-what`} className="mb-1.5">
              What
            </Label>
            <Select id={`${uid}-what`} value={form.what} onChange={(e) => set("what", e.target.value)} aria-invalid={!!fieldErrors.what || undefined} aria-describedby={`${uid}-what-message`}>
              <option value="">Any kind of request</option>
              {POLICY_ACTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {WHAT_LABELS[k]}
                </option>
              ))}
            </Select>
            <FieldMessage id={`${uid}-what-message`} error={fieldErrors.what} />
          </div>
          <TextField label="Capability" value={form.capability} onChange={(e) => set("capability", e.target.value)} error={fieldErrors.capability} hint="A slug; * matches anything (slack-*). Separate several with commas." placeholder="slack-*" />
          <TextField label="Action" value={form.action} onChange={(e) => set("action", e.target.value)} error={fieldErrors.action} hint="An action name, * allowed (post_*)." placeholder="post_message" />
          <div>
            <Label htmlFor={`${uid}-permission`} className="mb-1.5">
              Permission
            </Label>
            <Select id={`${uid}-permission`} value={form.permission} onChange={(e) => set("permission", e.target.value)} aria-invalid={!!fieldErrors.permission || undefined} aria-describedby={`${uid}-permission-message`}>
              <option value="">Any permissions</option>
              {groups.map((g) => (
                <optgroup key={g} label={g}>
                  <option value={`${g}.*`}>{`${g}.* (every ${g} permission)`}</option>
                  {permissions
                    .filter((p) => p.group === g)
                    .map((p) => (
                      <option key={p.name} value={p.name}>
                        {`${p.name}: ${p.label} (${p.risk})`}
                      </option>
                    ))}
                </optgroup>
              ))}
            </Select>
            <FieldMessage
              id={`${uid}-permission-message`}
              error={fieldErrors.permission}
              hint={form.effect === "allow" && form.permission ? "Matches when the request asks this permission among any others. To allow only requests within a set, use permissionsWithin in the YAML." : "Matches when the request asks this permission."}
            />
          </div>
          <TextField label="Agent" value={form.agent} onChange={(e) => set("agent", e.target.value)} error={fieldErrors.agent} hint="An agent id (agt_…), * allowed." placeholder="agt_…" />
          <TextField label="Domain" value={form.domain} onChange={(e) => set("domain", e.target.value)} error={fieldErrors.domain} hint="A domain the request reaches, * allowed (*.example.com)." placeholder="api.example.com" />
          <fieldset className="sm:col-span-2" aria-describedby={`${uid}-risk-message`}>
            <legend className="mb-1.5 text-[13px] font-medium text-fg">Risk</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {RISKS.map((r) => (
                <label key={r} className="inline-flex items-center gap-2 text-[13px] text-fg">
                  <Checkbox checked={form.risk.includes(r)} onChange={(e) => set("risk", e.target.checked ? [...form.risk, r] : form.risk.filter((x) => x !== r))} />
                  {r}
                </label>
              ))}
            </div>
            <FieldMessage id={`${uid}-risk-message`} error={fieldErrors.risk} hint="None ticked: any risk." />
          </fieldset>
        </div>
      </fieldset>

      <div className="mt-5 grid gap-4 sm:grid-cols-2">
        <fieldset aria-describedby={`${uid}-effect-message`}>
          <legend className="mb-1.5 text-[13px] font-medium text-fg">Effect</legend>
          <div className="space-y-1.5">
            {(Object.keys(EFFECT_META) as OrgRule["effect"][]).map((effect) => (
              <label key={effect} className="flex items-start gap-2 text-[13px]">
                <input type="radio" name={`${uid}-effect`} value={effect} checked={form.effect === effect} onChange={() => set("effect", effect)} className="mt-0.5 accent-accent" />
                <span>
                  <span className="font-medium text-fg">{EFFECT_META[effect].label}</span>
                  <span className="block text-[12.5px] text-fg-muted">{EFFECT_META[effect].summary}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldMessage id={`${uid}-effect-message`} error={fieldErrors.effect} />
        </fieldset>
        <div className="space-y-4">
          <div>
            <Label htmlFor={`${uid}-approver`} className="mb-1.5">
              Approver
            </Label>
            <Select id={`${uid}-approver`} value={form.approver} onChange={(e) => set("approver", e.target.value as FormState["approver"])} disabled={form.effect !== "require_approval"} aria-describedby={`${uid}-approver-message`}>
              <option value="">As the organisation setting says</option>
              <option value="admin">An admin</option>
              <option value="any">Anyone allowed to approve</option>
            </Select>
            <FieldMessage id={`${uid}-approver-message`} error={fieldErrors.approver} hint={form.effect === "require_approval" ? "DANGEROUS requests always need an admin." : "Only for rules that need approval."} />
          </div>
          <div>
            <Label htmlFor={`${uid}-position`} className="mb-1.5">
              Position
            </Label>
            <Select id={`${uid}-position`} value={form.position} onChange={(e) => set("position", e.target.value as FormState["position"])}>
              <option value="end">Last (checked after the others)</option>
              <option value="top">First (checked before the others)</option>
            </Select>
          </div>
        </div>
      </div>

      <TextField className="mt-5" label="Comment for the history" labelAside={<span className="text-[12px] text-fg-subtle">optional</span>} value={form.comment} onChange={(e) => set("comment", e.target.value)} placeholder={form.id.trim() ? `Added rule ${form.id.trim()}` : "Why you add it"} maxLength={500} />

      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending} data-testid="add-rule-submit">
          Add rule and save
        </Button>
      </DialogFooter>
    </form>
  );
}

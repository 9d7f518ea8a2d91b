"use client";
// Organisation-wide settings (PATCH /api/settings, admins; each change is evented):
// self-service sign-up, and whether members may approve RESTRICTED requests of others in
// the Approval Inbox (admins always may; nobody approves their own DANGEROUS request).
import { useId, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";

interface OrganisationSettings {
  signupEnabled: boolean;
  membersMayApproveRestricted: boolean;
}

type Key = keyof OrganisationSettings;

const MESSAGES: Record<Key, { on: [string, string]; off: [string, string]; failed: string }> = {
  signupEnabled: {
    on: ["Sign-up turned on", "Anyone who can reach this site can create a member account."],
    off: ["Sign-up turned off", "New accounts can no longer be created from the sign-in page."],
    failed: "Could not change sign-up",
  },
  membersMayApproveRestricted: {
    on: ["Members may approve RESTRICTED requests", "Members can decide other people's RESTRICTED requests made from now on."],
    off: ["Only administrators approve", "RESTRICTED requests now wait for an administrator."],
    failed: "Could not change who may approve",
  },
};

export function OrganisationCard({ initial, canEdit }: { initial: OrganisationSettings; canEdit: boolean }) {
  const [values, setValues] = useState(initial);
  const [pending, setPending] = useState<Key | null>(null);
  const toast = useToast();

  async function toggle(key: Key, next: boolean) {
    setPending(key);
    setValues((v) => ({ ...v, [key]: next }));
    try {
      const saved = await apiFetch<Partial<OrganisationSettings>>("/api/settings", { method: "PATCH", json: { [key]: next } });
      const value = typeof saved[key] === "boolean" ? saved[key] : next;
      setValues((v) => ({ ...v, [key]: value }));
      const [title, description] = value ? MESSAGES[key].on : MESSAGES[key].off;
      toast.success(title, description);
    } catch (err) {
      setValues((v) => ({ ...v, [key]: !next }));
      toast.error(MESSAGES[key].failed, errorMessage(err));
    } finally {
      setPending(null);
    }
  }

  return (
    <Card aria-labelledby="org-title">
      <CardHeader id="org-title" title="Organisation" description={canEdit ? "Settings that apply to everyone. Each change is recorded in the audit log." : "Only administrators can change organisation settings."} />
      <CardBody className="divide-y divide-border py-0">
        <SettingRow
          title="Allow self-service sign-up"
          description="When on, people can create a member account from the sign-in page. When off, only existing accounts can sign in."
          checked={values.signupEnabled}
          disabled={!canEdit || pending !== null}
          onChange={(next) => void toggle("signupEnabled", next)}
          testId="setting-signup"
        />
        <SettingRow
          title="Members may approve RESTRICTED requests of others"
          description="When on, members can approve or deny other people's RESTRICTED (high-risk) requests in the Approval Inbox: those made while it is on (turning it off stops members at once). Administrators always can; DANGEROUS requests always need an administrator, and nobody approves their own."
          checked={values.membersMayApproveRestricted}
          disabled={!canEdit || pending !== null}
          onChange={(next) => void toggle("membersMayApproveRestricted", next)}
          testId="setting-members-approve"
        />
      </CardBody>
    </Card>
  );
}

function SettingRow({ title, description, checked, disabled, onChange, testId }: { title: string; description: string; checked: boolean; disabled: boolean; onChange: (next: boolean) => void; testId: string }) {
  const labelId = useId();
  const descriptionId = useId();
  return (
    <div className="flex items-start justify-between gap-6 py-4" data-testid={testId}>
      <div>
        <p id={labelId} className="text-[13.5px] font-medium text-fg">
          {title}
        </p>
        <p id={descriptionId} className="mt-0.5 max-w-xl text-[13px] text-fg-muted">
          {description}
        </p>
      </div>
      <Switch checked={checked} onChange={onChange} disabled={disabled} aria-labelledby={labelId} aria-describedby={descriptionId} />
    </div>
  );
}

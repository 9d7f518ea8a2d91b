"use client";
import { useId, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";

export function OrganisationCard({ initialSignupEnabled, canEdit }: { initialSignupEnabled: boolean; canEdit: boolean }) {
  const [signupEnabled, setSignupEnabled] = useState(initialSignupEnabled);
  const [pending, setPending] = useState(false);
  const toast = useToast();
  const labelId = useId();
  const descriptionId = useId();

  async function toggle(next: boolean) {
    setPending(true);
    setSignupEnabled(next);
    try {
      const saved = await apiFetch<{ signupEnabled: boolean }>("/api/settings", { method: "PATCH", json: { signupEnabled: next } });
      setSignupEnabled(saved.signupEnabled);
      toast.success(saved.signupEnabled ? "Sign-up turned on" : "Sign-up turned off", saved.signupEnabled ? "Anyone who can reach this site can create a member account." : "New accounts can no longer be created from the sign-in page.");
    } catch (err) {
      setSignupEnabled(!next);
      toast.error("Could not change sign-up", errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <Card aria-labelledby="org-title">
      <CardHeader id="org-title" title="Organisation" description={canEdit ? "Settings that apply to everyone. Each change is recorded in the audit log." : "Only administrators can change organisation settings."} />
      <CardBody>
        <div className="flex items-start justify-between gap-6">
          <div>
            <p id={labelId} className="text-[13.5px] font-medium text-fg">
              Allow self-service sign-up
            </p>
            <p id={descriptionId} className="mt-0.5 max-w-xl text-[13px] text-fg-muted">
              When on, people can create a member account from the sign-in page. When off, only existing accounts can sign in.
            </p>
          </div>
          <Switch
            checked={signupEnabled}
            onChange={toggle}
            disabled={!canEdit || pending}
            aria-labelledby={labelId}
            aria-describedby={descriptionId}
          />
        </div>
      </CardBody>
    </Card>
  );
}

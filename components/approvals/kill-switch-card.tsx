"use client";
// The kill switch for external writes, on the Approvals page: whether it is on, whether the
// stored setting or the environment (POLICY_KILL_SWITCH_EXTERNAL_WRITE=1) holds it, and
// when it last changed. Admins flip the stored setting (PUT /api/policy/kill-switch) after
// confirming with a reason, which goes into the audit log; members see it read-only. It
// follows policy.kill_switch_changed live, so another admin's change shows at once.
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import type { PeopleDirectory } from "@/components/events/event-format";
import { ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { useApprovalSignals } from "@/components/shell/approval-live";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog } from "@/components/ui/dialog";
import { FieldMessage, Label } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";

export interface KillSwitchView {
  on: boolean;
  stored: boolean;
  forcedByEnv: boolean;
  changedAt: string | null;
  changedBy: string | null;
}

const KILL_SWITCH_URL = "/api/policy/kill-switch";

export function KillSwitchCard({ initial, isAdmin, people }: { initial: KillSwitchView | null; isAdmin: boolean; people: PeopleDirectory }) {
  const [state, setState] = useState<KillSwitchView | null>(initial);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();

  useApprovalSignals((s) => {
    if (s.kind === "open" || s.event.type === "policy.kill_switch_changed") {
      apiFetch<KillSwitchView>(KILL_SWITCH_URL)
        .then(setState)
        .catch(() => {
          // keep what is shown; the next change tries again
        });
    }
  });

  if (!state) {
    return (
      <Alert tone="warning" className="mt-6" data-testid="kill-switch-card">
        The state of the kill switch could not be read.
      </Alert>
    );
  }

  const next = !state.stored;
  const changedBy = state.changedBy ? (people[state.changedBy]?.name ?? people[state.changedBy]?.email ?? state.changedBy) : null;

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const saved = await apiFetch<KillSwitchView>(KILL_SWITCH_URL, { method: "PUT", json: { on: next, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      setState(saved);
      setConfirming(false);
      setReason("");
      toast.success(saved.stored ? "Kill switch turned on" : "Kill switch turned off", saved.stored ? "Every action that writes outside is denied until it is turned off." : saved.forcedByEnv ? "The stored switch is off, but the environment still forces it on." : "External writes follow the rules again.");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section
      aria-labelledby="kill-switch-title"
      data-testid="kill-switch-card"
      data-on={state.on}
      className={cx("mt-6 flex flex-wrap items-center gap-x-4 gap-y-3 rounded-xl border px-4 py-3 shadow-card", state.on ? "border-danger/30 bg-danger-soft" : "border-border bg-surface")}
    >
      <span aria-hidden className={cx("grid size-9 shrink-0 place-items-center rounded-lg", state.on ? "bg-danger text-white" : "bg-surface-2 text-fg-muted")}>
        {state.on ? <ShieldAlertIcon className="size-[18px]" /> : <ShieldCheckIcon className="size-[18px]" />}
      </span>
      <div className="min-w-0 flex-1">
        <h2 id="kill-switch-title" className="flex flex-wrap items-center gap-2 text-[14px] font-semibold text-fg">
          Kill switch for external writes
          <span data-testid="kill-switch-state">
            <Badge tone={state.on ? "danger" : "neutral"} dot>
              {state.on ? "On" : "Off"}
            </Badge>
          </span>
          {state.forcedByEnv && (
            <Badge tone="warning" title="POLICY_KILL_SWITCH_EXTERNAL_WRITE=1 is set on the server">
              Forced by the environment
            </Badge>
          )}
        </h2>
        <p className="mt-0.5 text-[12.5px] text-fg-muted">
          {state.on
            ? "Every action that sends data out or changes records (HTTP POST, integrations, data writes and deletes, file writes) is denied, whatever the rules or approvals say."
            : "While on, every action that sends data out or changes records is denied, whatever the rules or approvals say."}
          {state.changedAt && (
            <>
              {" "}
              Last changed <RelativeTime iso={state.changedAt} />
              {changedBy ? ` by ${changedBy}` : ""}.
            </>
          )}
        </p>
      </div>
      {isAdmin ? (
        <Button
          size="sm"
          variant={state.stored ? "secondary" : "danger"}
          onClick={() => {
            setError(null);
            setConfirming(true);
          }}
          data-testid="kill-switch-toggle"
        >
          {state.stored ? "Turn off" : "Turn on"}
        </Button>
      ) : (
        <span className="text-[12px] text-fg-subtle">Only administrators can change it.</span>
      )}

      <Dialog
        open={confirming}
        onClose={() => !saving && setConfirming(false)}
        dismissible={!saving}
        title={next ? "Turn the kill switch on?" : "Turn the kill switch off?"}
        description={
          next
            ? "Every action with an external-write permission is denied at once, for every agent, until someone turns it off."
            : state.forcedByEnv
              ? "This clears the stored switch; the environment keeps forcing it on until POLICY_KILL_SWITCH_EXTERNAL_WRITE is unset."
              : "Actions that write outside follow the organisation's rules and approvals again."
        }
        data-testid="kill-switch-dialog"
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirming(false)} disabled={saving}>
              Cancel
            </Button>
            <Button variant={next ? "danger" : "primary"} loading={saving} onClick={() => void save()} data-testid="kill-switch-confirm">
              {next ? "Turn on" : "Turn off"}
            </Button>
          </>
        }
      >
        <Label htmlFor="kill-switch-reason" className="mb-1.5">
          Reason <span className="font-normal text-fg-subtle">(recorded in the audit log)</span>
        </Label>
        <textarea
          id="kill-switch-reason"
          data-testid="kill-switch-reason"
          value={reason}
          maxLength={500}
          rows={3}
          onChange={(e) => setReason(e.target.value)}
          placeholder={next ? "e.g. Suspicious outbound traffic from the CRM agent" : "e.g. Incident closed"}
          className={cx(controlClasses, "py-2 text-[13px]")}
        />
        <FieldMessage id="kill-switch-reason-message" error={error ?? undefined} />
      </Dialog>
    </section>
  );
}

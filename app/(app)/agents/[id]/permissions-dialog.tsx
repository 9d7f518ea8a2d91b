"use client";
// Changing what an installation may do: grant or withhold each permission its version
// requests, seeing which actions a withheld one disables before saving.
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { ApprovalWait, isApprovalPending, type ApprovalPending } from "@/components/marketplace/install/approval-wait";
import { PermissionChecklist } from "@/components/agents/permission-checklist";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { UpdateInstallationResult } from "@/lib/agents/update-installation";

export function PermissionsDialog({ open, onClose, url, inst, onSaved }: { open: boolean; onClose: () => void; url: string; inst: InstallationView; onSaved: (inst: InstallationView) => void }) {
  const [pending, setPending] = useState(false);
  const [waiting, setWaiting] = useState<ApprovalPending | null>(null);
  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} title={`What ${inst.capability.name} may do`} description={`Version ${inst.version.version} requests these permissions. Changes take effect on its next run and are recorded in the audit log.`} size="lg" data-testid="permissions-dialog">
      {open && !waiting && <PermissionsForm url={url} inst={inst} onCancel={onClose} onSaved={onSaved} onApprovalPending={setWaiting} pending={pending} setPending={setPending} />}
      {open && waiting && <ApprovalWait pending={waiting} what={`granting the permissions to ${inst.capability.name}`} />}
    </Dialog>
  );
}

function PermissionsForm({
  url,
  inst,
  onCancel,
  onSaved,
  onApprovalPending,
  pending,
  setPending,
}: {
  url: string;
  inst: InstallationView;
  onCancel: () => void;
  onSaved: (inst: InstallationView) => void;
  onApprovalPending: (p: ApprovalPending) => void;
  pending: boolean;
  setPending: (p: boolean) => void;
}) {
  const toast = useToast();
  const [granted, setGranted] = useState<Set<string>>(() => new Set(inst.grantedPermissions));
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const r = await apiFetch<UpdateInstallationResult | (ApprovalPending & { installation: InstallationView })>(url, { method: "PATCH", json: { grantedPermissions: inst.requestedPermissions.filter((p) => granted.has(p)) } });
      // Granting more may need a person's approval first (202): nothing was granted yet.
      if (isApprovalPending(r)) {
        onApprovalPending(r);
        return;
      }
      toast.success(r.status === "unchanged" ? "Nothing changed" : `Permissions of ${inst.capability.name} saved`);
      onSaved(r.installation);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      {error && <Alert tone="danger" className="mb-4">{error}</Alert>}
      <PermissionChecklist permissions={inst.permissions} granted={granted} onChange={setGranted} actions={inst.actions} idPrefix={`perm-${inst.id}`} testIdPrefix="edit-permission-checkbox-" disabled={pending} />
      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending} data-testid="permissions-save">
          Save permissions
        </Button>
      </DialogFooter>
    </form>
  );
}

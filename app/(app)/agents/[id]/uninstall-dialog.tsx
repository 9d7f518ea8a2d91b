"use client";
// Uninstalling, after confirmation. While another installation requires it, the button is
// off and the dialog says which one (the API answers 409 for the same reason).
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import type { InstallationView } from "@/lib/agents/installation-views";

export function UninstallDialog({ open, onClose, url, inst, requiredBy, onUninstalled }: { open: boolean; onClose: () => void; url: string; inst: InstallationView; requiredBy: InstallationView["dependents"]; onUninstalled: () => void }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ title: string; body: string } | null>(null);
  const blocked = requiredBy.length > 0;

  async function uninstall() {
    setPending(true);
    setError(null);
    try {
      await apiFetch(url, { method: "DELETE" });
      toast.success(`${inst.capability.name} uninstalled`, "Its settings and secrets were deleted.");
      onUninstalled();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? { title: "Another capability still needs it", body: errorMessage(err) } : { title: "It could not be uninstalled", body: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        setError(null);
        onClose();
      }}
      dismissible={!pending}
      size="sm"
      title={`Uninstall ${inst.capability.name}?`}
      description="The agent loses its actions at once. Its configuration and encrypted secrets are deleted; the audit log keeps the record."
      data-testid="uninstall-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button variant="danger" loading={pending} disabled={blocked} onClick={uninstall} data-testid="uninstall-confirm">
            Uninstall
          </Button>
        </>
      }
    >
      {blocked && (
        <Alert tone="warning" title="Another capability on this agent needs it">
          {requiredBy.map((d) => `${d.name} requires it (${d.range})`).join("; ")}. Uninstall {requiredBy.length > 1 ? "those" : "that one"} first.
        </Alert>
      )}
      {error && (
        <Alert tone="danger" title={error.title} data-testid="uninstall-error">
          {error.body}
        </Alert>
      )}
      {!blocked && !error && inst.dependents.length > 0 && <p className="text-[13px] text-fg-muted">{inst.dependents.map((d) => d.name).join(", ")} can use it optionally and will keep working without it.</p>}
    </Dialog>
  );
}

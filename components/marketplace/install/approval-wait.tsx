"use client";
// What an install or upgrade shows when the policy asks a person first (202 with an
// approval): who must decide and why, a link to the approval in the inbox, and the
// outcome as soon as it is decided — it long-polls GET /api/approvals/:id?wait=25 until
// the approval leaves `pending` (or the dialog closes).
import { useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export interface ApprovalPending {
  approvalId: string;
  status: "pending";
  securityLevel?: string;
  reasons?: string[];
  expiresAt?: string;
}

interface ApprovalState {
  status: "pending" | "approved" | "denied" | "expired";
  reason: string | null;
  outcome: { ok: boolean; message: string } | null;
  viewer?: { canDecide: boolean };
}

export function isApprovalPending(value: unknown): value is ApprovalPending {
  return typeof value === "object" && value !== null && typeof (value as { approvalId?: unknown }).approvalId === "string" && (value as { status?: unknown }).status === "pending";
}

export function ApprovalWait({ pending, what, onSettled }: { pending: ApprovalPending; what: string; onSettled?: (approved: boolean) => void }) {
  const [state, setState] = useState<ApprovalState | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let stop = false;
    (async () => {
      while (!stop) {
        try {
          const a = await apiFetch<ApprovalState>(`/api/approvals/${encodeURIComponent(pending.approvalId)}?wait=25`, { signal: controller.signal });
          setState(a);
          setError(null);
          if (a.status !== "pending") {
            onSettled?.(a.status === "approved" && (a.outcome?.ok ?? true));
            return;
          }
        } catch (err) {
          if (controller.signal.aborted) return;
          setError(errorMessage(err));
          await new Promise((r) => setTimeout(r, 3000));
        }
      }
    })();
    return () => {
      stop = true;
      controller.abort();
    };
    // The approval id identifies the wait; onSettled is a callback of the same dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending.approvalId]);

  const href = `/approvals?id=${encodeURIComponent(pending.approvalId)}`;
  if (state?.status === "approved") {
    const ok = state.outcome?.ok ?? true;
    return (
      <Alert tone={ok ? "success" : "warning"} title={ok ? `Approved: ${what} done` : `Approved, but it could not be done`} data-testid="approval-outcome">
        {state.outcome?.message ?? "The approval was given and the action ran."}
      </Alert>
    );
  }
  if (state?.status === "denied") {
    return (
      <Alert tone="danger" title={`Denied: ${what} was not done`} data-testid="approval-outcome">
        {state.reason}
      </Alert>
    );
  }
  if (state?.status === "expired") {
    return (
      <Alert tone="warning" title="The approval expired" data-testid="approval-outcome">
        Nobody decided in time; ask again.
      </Alert>
    );
  }
  return (
    <div className="space-y-3" data-testid="approval-pending">
      <Alert
        tone="info"
        title={`Waiting for approval${pending.securityLevel ? ` (${pending.securityLevel})` : ""}`}
        action={
          <LinkButton size="sm" href={href}>
            {state?.viewer?.canDecide ? "Review it" : "Open the approval"}
          </LinkButton>
        }
      >
        <p>The organisation&apos;s policy asks a person to approve this first; nothing was changed yet. This updates when it is decided.</p>
        {pending.reasons?.length ? (
          <ul className="mt-1 list-disc pl-5">
            {pending.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : null}
      </Alert>
      <p className="flex items-center gap-2 text-[12.5px] text-fg-muted">
        <Spinner className="size-3.5" /> Waiting for a decision{pending.expiresAt ? ` (expires ${new Date(pending.expiresAt).toLocaleString()})` : ""}…
      </p>
      {error && <Alert tone="warning">{error}</Alert>}
    </div>
  );
}

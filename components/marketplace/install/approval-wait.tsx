"use client";
// What an install or upgrade shows when the policy asks a person first (202 with an
// approval): who must decide and why, a link to the approval in the inbox, and the
// outcome as soon as it is decided (followed live with useApprovalOutcome, as the run
// panel does).
import { useEffect } from "react";
import { useApprovalOutcome } from "@/components/approvals/use-approval-outcome";
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
  // The same live follow as the run panel's (long-poll + this approval's events).
  const { approval, error } = useApprovalOutcome(pending.approvalId);
  const state = approval as ApprovalState | null;
  const settledStatus = state && state.status !== "pending" ? state.status : null;
  const approvedOk = settledStatus === "approved" && (state?.outcome?.ok ?? true);
  useEffect(() => {
    if (settledStatus) onSettled?.(approvedOk);
    // Once per settlement; onSettled is a callback of the same dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledStatus, approvedOk]);

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

"use client";
// What a requester sees after an invoke that policy stopped (202 with an approvalId):
// "Waiting for approval", who must approve, the policy's reasons, a link to the request in
// the inbox, a hold note if someone paused it; then, live, the outcome: approved with the
// real result of the run (rendered by the caller, the same way as a direct run), denied
// with the reason, or expired.
import Link from "next/link";
import type { ReactNode } from "react";
import { ArrowRightIcon, ClockIcon, InboxCheckIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { cx } from "@/components/ui/cx";
import { useNow } from "@/components/ui/relative-time";
import { Spinner } from "@/components/ui/spinner";
import { HeldBadge, SecurityLevelBadge } from "./approval-badges";
import { approverLabel, timeLeft } from "./approval-format";
import { isFinalResult, type ApprovalResult, type InvokeApprovalAnswer } from "./approval-types";
import { useApprovalOutcome } from "./use-approval-outcome";

export function ApprovalWait({ answer, renderResult, className }: { answer: InvokeApprovalAnswer; renderResult: (result: ApprovalResult) => ReactNode; className?: string }) {
  const { approval: a, error } = useApprovalOutcome(answer.approvalId);
  const status = a?.status ?? "pending";
  const href = `/approvals?id=${encodeURIComponent(answer.approvalId)}`;
  const reasons = a?.policy.reasons ?? answer.reasons ?? [];
  const level = a?.securityLevel ?? answer.securityLevel;
  const by = a?.decision?.by ? a.decision.by.name || a.decision.by.email || a.decision.by.id : null;

  return (
    <div className={cx("border-t border-border", className)} data-testid="run-approval" data-approval-id={answer.approvalId} data-status={status}>
      {status === "pending" && (
        <div className="px-5 py-4" aria-live="polite">
          <div className="flex flex-wrap items-center gap-2">
            <span className="inline-flex items-center gap-2 text-[14px] font-semibold text-fg">
              <Spinner className="size-4 text-info" /> Waiting for approval
            </span>
            {level && <SecurityLevelBadge level={level} />}
            {a?.held && <HeldBadge note={a.note} />}
            <Link href={href} className="ml-auto inline-flex items-center gap-1 text-[13px] font-medium text-accent hover:underline" data-testid="run-approval-link">
              Open the request <ArrowRightIcon className="size-3.5" />
            </Link>
          </div>
          <p className="mt-1.5 text-[13px] text-fg-muted" data-testid="run-approval-approver">
            Policy stopped this run before anything executed. It needs approval from {approverLabel(a?.approver ?? answer.approver ?? "admin")}; it runs as soon as it is approved, and the result appears here.
          </p>
          {reasons.length > 0 && (
            <ul className="mt-2 space-y-1 text-[13px] text-fg" data-testid="run-approval-reasons">
              {reasons.map((r, i) => (
                <li key={i} className="flex gap-2">
                  <span aria-hidden className="mt-2 size-1 shrink-0 rounded-full bg-fg-subtle" />
                  {r}
                </li>
              ))}
            </ul>
          )}
          {a?.held && a.note && (
            <Alert tone="warning" title="On hold" className="mt-3">
              <span className="whitespace-pre-wrap">{a.note}</span>
            </Alert>
          )}
          <ExpiresIn expiresAt={a?.expiresAt ?? answer.expiresAt} />
          {error && <p className="mt-2 text-[12.5px] text-warning">Lost touch with the request ({error}); still trying.</p>}
        </div>
      )}

      {status === "approved" && (
        <>
          <p className="flex flex-wrap items-center gap-2 px-5 pt-4 text-[13px] text-fg-muted" data-testid="run-approval-approved">
            <InboxCheckIcon className="size-4 text-success" />
            Approved{by ? ` by ${by}` : ""}
            {a?.decision?.comment ? `: “${a.decision.comment}”` : ""}.
            <Link href={href} className="ml-auto text-[12.5px] font-medium text-accent hover:underline">
              The request
            </Link>
          </p>
          {a?.outcome && !a.outcome.ok && (
            <div className="px-5 pt-3">
              <Alert tone="danger" title="Approved, but it did not run" data-testid="run-approval-outcome">
                {a.outcome.message}
              </Alert>
            </div>
          )}
          {a?.result && isFinalResult(a.result) ? (
            <div className="-mt-px [&>div:first-child]:border-t-0">{renderResult(a.result)}</div>
          ) : a && !a.links.execution ? (
            <div className="pb-4" />
          ) : (
            <p className="flex items-center gap-2 px-5 py-4 text-[13px] text-fg-muted" data-testid="run-approval-running">
              <Spinner className="size-3.5" />
              {a?.result?.status === "queued" ? "Waiting for an executor…" : "Running…"}
            </p>
          )}
        </>
      )}

      {status === "denied" && (
        <div className="px-5 py-4">
          <Alert tone="danger" title={`Denied${by ? ` by ${by}` : ""}`} data-testid="run-approval-denied">
            {a?.reason ?? a?.decision?.comment ?? "No reason was given."}
          </Alert>
        </div>
      )}

      {status === "expired" && (
        <div className="px-5 py-4">
          <Alert tone="warning" title="The request expired" data-testid="run-approval-expired">
            {a?.reason ?? "Nobody decided in time, so it did not run. Run it again to ask anew."}
          </Alert>
        </div>
      )}
    </div>
  );
}

function ExpiresIn({ expiresAt }: { expiresAt?: string }) {
  const now = useNow();
  if (!expiresAt || now === null) return null;
  const left = timeLeft(expiresAt, now);
  return (
    <p className="mt-2 flex items-center gap-1.5 text-[12px] text-fg-subtle">
      <ClockIcon className="size-3.5" />
      {left ? `Expires unless decided: ${left}` : "Expiring now"}
    </p>
  );
}

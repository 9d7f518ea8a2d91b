"use client";
// Follows one approval from the requester's side until it is settled: approved and (for a
// run) finished with its real result, denied with the reason, or expired. It long-polls
// GET /api/approvals/:id?wait= (the server answers as soon as something decisive happens),
// and also re-reads at once on this approval's events on the shared live stream, so a hold
// and its note show up too. Stops on unmount or when the id changes.
import { useEffect, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { useApprovalSignals } from "@/components/shell/approval-live";
import { isSettled, type ApprovalView } from "./approval-types";

/** Seconds the server may hold one long-poll (the API caps it at 60). */
const WAIT_SECONDS = 50;

export interface ApprovalOutcomeState {
  approval: ApprovalView | null;
  /** A problem reading it (the last read failed; it keeps trying unless it is gone). */
  error: string | null;
  settled: boolean;
}

export function useApprovalOutcome(approvalId: string): ApprovalOutcomeState {
  const [state, setState] = useState<{ id: string; approval: ApprovalView | null; error: string | null }>({ id: approvalId, approval: null, error: null });
  const [nudge, setNudge] = useState(0);
  const current = state.id === approvalId ? state : { id: approvalId, approval: null, error: null };
  const settled = !!current.approval && isSettled(current.approval);

  // The long-poll loop.
  useEffect(() => {
    const ctrl = new AbortController();
    let stopped = false;
    const url = `/api/approvals/${encodeURIComponent(approvalId)}`;
    (async () => {
      let failures = 0;
      let first = true;
      while (!stopped) {
        try {
          const next = await apiFetch<ApprovalView>(first ? url : `${url}?wait=${WAIT_SECONDS}`, { signal: ctrl.signal });
          if (stopped) return;
          first = false;
          failures = 0;
          setState({ id: approvalId, approval: next, error: null });
          if (isSettled(next)) return;
        } catch (err) {
          if (stopped) return;
          failures++;
          setState((s) => ({ id: approvalId, approval: s.id === approvalId ? s.approval : null, error: errorMessage(err) }));
          if (err instanceof ApiError && (err.status === 404 || err.status === 403 || err.status === 401)) return;
          await new Promise((r) => setTimeout(r, Math.min(15_000, 1000 * 2 ** Math.min(failures, 4))));
        }
      }
    })();
    return () => {
      stopped = true;
      ctrl.abort();
    };
  }, [approvalId]);

  // An event of this approval (e.g. a hold, which the long-poll does not answer for): read now.
  useApprovalSignals((s) => {
    if (s.kind !== "event") return;
    const id = (s.event.data as { approvalId?: unknown } | null)?.approvalId;
    if (id === approvalId) setNudge((n) => n + 1);
  }, !settled);
  useEffect(() => {
    if (nudge === 0) return;
    const ctrl = new AbortController();
    apiFetch<ApprovalView>(`/api/approvals/${encodeURIComponent(approvalId)}`, { signal: ctrl.signal })
      .then((next) =>
        setState((s) => {
          // Never step back from a settled view to an older one.
          if (s.id === approvalId && s.approval && isSettled(s.approval)) return s;
          return { id: approvalId, approval: next, error: null };
        }),
      )
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [nudge, approvalId]);

  return { approval: current.approval, error: current.error, settled };
}

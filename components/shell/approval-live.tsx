"use client";
// One live subscription per tab to approval events (approval.requested / decided / expired)
// and kill-switch changes, shared by the navigation badge, the Approval Inbox and the run
// panel, so a page does not open a second event stream for the same thing (browsers allow
// only six connections per host). It keeps the badge's count: GET /api/approvals/count (the
// pending requests this viewer may decide), re-read on every approval event and on every
// (re)connect, at most twice a second. Without the provider the hooks do nothing.
import { createContext, useCallback, useContext, useEffect, useEffectEvent, useMemo, useRef, useState, type ReactNode } from "react";
import { apiFetch } from "@/components/api/api-client";
import type { EventRecord } from "@/components/events/event-format";
import { useLiveEvents, type LiveState } from "@/components/executions/use-live-events";

export type ApprovalLiveSignal = { kind: "event"; event: EventRecord } | { kind: "open" };
type Listener = (signal: ApprovalLiveSignal) => void;

interface ApprovalLiveApi {
  /** Pending requests this viewer may decide; null until known (or when the API refused). */
  pending: number | null;
  live: LiveState;
  subscribe: (listener: Listener) => () => void;
  refreshCount: () => void;
}

const ApprovalLiveContext = createContext<ApprovalLiveApi | null>(null);

const FILTER = `type=${["approval.requested", "approval.decided", "approval.expired", "policy.kill_switch_changed"].join(",")}`;

export function ApprovalLiveProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const listeners = useRef(new Set<Listener>());
  const lastFetch = useRef(0);
  const issued = useRef(0);

  const notify = (signal: ApprovalLiveSignal) => {
    for (const l of [...listeners.current]) {
      try {
        l(signal);
      } catch {
        // one broken listener must not stop the others
      }
    }
  };

  const live = useLiveEvents({
    filter: FILTER,
    onEvent: (event) => {
      notify({ kind: "event", event });
      if (event.type.startsWith("approval.")) setTick((n) => n + 1);
    },
    onOpen: () => {
      notify({ kind: "open" });
      setTick((n) => n + 1);
    },
  });

  useEffect(() => {
    if (tick === 0) return;
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      const n = ++issued.current;
      apiFetch<{ pending: number }>("/api/approvals/count")
        .then((r) => {
          if (n === issued.current && typeof r.pending === "number") setPending(r.pending);
        })
        .catch(() => {
          // The badge keeps its last count; the next event tries again.
        });
    }, Math.max(0, lastFetch.current + 500 - Date.now()));
    return () => clearTimeout(timer);
  }, [tick]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const refreshCount = useCallback(() => setTick((n) => n + 1), []);

  const api = useMemo<ApprovalLiveApi>(() => ({ pending, live, subscribe, refreshCount }), [pending, live, subscribe, refreshCount]);
  return <ApprovalLiveContext.Provider value={api}>{children}</ApprovalLiveContext.Provider>;
}

/** The badge's count and the stream's state (null / "off" outside the provider). */
export function useApprovalCount(): { pending: number | null; live: LiveState; refresh: () => void } {
  const ctx = useContext(ApprovalLiveContext);
  return { pending: ctx?.pending ?? null, live: ctx?.live ?? "off", refresh: ctx?.refreshCount ?? noop };
}

/** Calls `onSignal` for every approval / kill-switch event and every (re)connect of the shared stream. */
export function useApprovalSignals(onSignal: Listener, enabled = true): LiveState {
  const ctx = useContext(ApprovalLiveContext);
  const handle = useEffectEvent(onSignal);
  const subscribe = ctx?.subscribe;
  useEffect(() => {
    if (!subscribe || !enabled) return;
    return subscribe((s) => handle(s));
  }, [subscribe, enabled]);
  return ctx?.live ?? "off";
}

function noop() {}

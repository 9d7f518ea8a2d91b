"use client";
import { cx } from "@/components/ui/cx";
import type { ConnectionState } from "./use-event-feed";

const META: Record<ConnectionState, { label: string; dot: string; text: string; hint: string }> = {
  live: { label: "Live", dot: "bg-success animate-pulse-dot text-success", text: "text-success", hint: "New events appear as they are recorded." },
  connecting: { label: "Connecting…", dot: "bg-warning", text: "text-fg-muted", hint: "Opening the live stream." },
  reconnecting: { label: "Reconnecting…", dot: "bg-warning animate-pulse", text: "text-warning", hint: "The live stream dropped; resuming from the last event received, so nothing is missed." },
  offline: { label: "Offline", dot: "bg-fg-subtle", text: "text-fg-muted", hint: "Not receiving live events." },
};

export function ConnectionStatus({ state, onReconnect }: { state: ConnectionState; onReconnect: () => void }) {
  const meta = META[state];
  return (
    <div className="flex items-center gap-2">
      <span
        data-testid="connection-status"
        data-state={state}
        role="status"
        title={meta.hint}
        className={cx("inline-flex h-7 items-center gap-2 rounded-full border border-border bg-surface px-3 text-xs font-medium shadow-card", meta.text)}
      >
        <span aria-hidden className={cx("size-2 rounded-full", meta.dot)} />
        {meta.label}
      </span>
      {state === "offline" && (
        <button type="button" onClick={onReconnect} className="text-xs font-medium text-accent hover:underline">
          Reconnect
        </button>
      )}
    </div>
  );
}

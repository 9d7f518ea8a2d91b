"use client";
// Relative times ("3m ago") that stay current. One shared timer drives every instance; on
// the server (and during hydration) the clock is unknown, so nothing time-dependent renders.
import { useSyncExternalStore } from "react";
import { cx } from "./cx";

let now = 0;
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 10_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time in ms, refreshed every 10 s; null while rendering on the server. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now || (now = Date.now()),
    () => null,
  );
}

export function formatRelative(iso: string, nowMs: number): string {
  const diff = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (diff < 10) return "just now";
  if (diff < 60) return `${diff}s ago`;
  if (diff < 3600) return `${Math.floor(diff / 60)}m ago`;
  if (diff < 86_400) return `${Math.floor(diff / 3600)}h ago`;
  if (diff < 7 * 86_400) return `${Math.floor(diff / 86_400)}d ago`;
  return new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
}

export function formatAbsolute(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const nowMs = useNow();
  return (
    <time dateTime={iso} title={nowMs === null ? undefined : formatAbsolute(iso)} className={cx("tabular-nums", className)}>
      {nowMs === null ? "\u00a0" : formatRelative(iso, nowMs)}
    </time>
  );
}

/** "in 29 days", "in 5h", or a past time via formatRelative, for expiry dates. */
export function formatUntil(iso: string, nowMs: number): string {
  const diff = Math.round((Date.parse(iso) - nowMs) / 1000);
  if (diff <= 0) return formatRelative(iso, nowMs);
  if (diff < 3600) return `in ${Math.max(1, Math.floor(diff / 60))}m`;
  if (diff < 86_400) return `in ${Math.floor(diff / 3600)}h`;
  const days = Math.floor(diff / 86_400);
  return `in ${days} day${days === 1 ? "" : "s"}`;
}

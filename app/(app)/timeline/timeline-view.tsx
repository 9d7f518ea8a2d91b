"use client";
// The timeline page: filters and the selected event live in the URL (history.replaceState,
// which Next's router observes), the feed is remounted per filter set, and the inspector
// opens beside the list (over it on small screens).
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import type { EventRecord, PeopleDirectory } from "@/components/events/event-format";
import { ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { ConnectionStatus } from "./connection-status";
import { EventInspector } from "./event-inspector";
import { TimelineFeed } from "./timeline-feed";
import { TimelineFilterBar } from "./timeline-filter-bar";
import { countActiveFilters, EMPTY_FILTERS, FILTER_PARAM_NAMES, filtersKey, filtersToParams, parseFilters, type TimelineFilters } from "./timeline-filters";
import { useChainVerification, type ChainVerification } from "./use-chain-verification";
import type { ConnectionState, EventPage } from "./use-event-feed";

function writeUrl(mutate: (p: URLSearchParams) => void) {
  const p = new URLSearchParams(window.location.search);
  mutate(p);
  const qs = p.toString();
  window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
}

function parseSeq(value: string | null): number | null {
  return value && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

export function TimelineView({ eventTypes, initial, people }: { eventTypes: string[]; initial: (EventPage & { key: string }) | null; people: PeopleDirectory }) {
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseFilters(searchParams), [searchParams]);
  const key = filtersKey(filters);
  const selectedSeq = parseSeq(searchParams.get("event"));
  const [serverPage, setServerPage] = useState(initial);
  const [opened, setOpened] = useState<EventRecord | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const reconnectRef = useRef<(() => void) | null>(null);
  const verification = useChainVerification();

  const setFilters = useCallback((next: TimelineFilters) => {
    // The server-rendered page belongs to the first filter set only.
    setServerPage(null);
    writeUrl((p) => {
      for (const name of FILTER_PARAM_NAMES) p.delete(name);
      for (const [k, v] of filtersToParams(next)) p.set(k, v);
    });
  }, []);
  const updateFilters = useCallback((patch: Partial<TimelineFilters>) => setFilters({ ...filters, ...patch }), [filters, setFilters]);

  const open = useCallback((event: EventRecord) => {
    setOpened(event);
    writeUrl((p) => p.set("event", String(event.seq)));
  }, []);
  const close = useCallback(() => {
    const seq = selectedSeq;
    setOpened(null);
    writeUrl((p) => p.delete("event"));
    // Give keyboard users their place in the list back.
    if (seq !== null) document.querySelector<HTMLElement>(`[data-testid="timeline-event"][data-seq="${seq}"]`)?.focus();
  }, [selectedSeq]);

  const onEscape = useEffectEvent((e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented || selectedSeq === null) return;
    if ((e.target as HTMLElement | null)?.closest("dialog[open]")) return;
    close();
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onEscape(e);
    document.addEventListener("keydown", handler);
    return () => document.removeEventListener("keydown", handler);
  }, []);

  const hasFilters = countActiveFilters(filters) > 0;
  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col lg:h-dvh">
      <div className="border-b border-border bg-surface px-4 pt-5 pb-3.5 sm:px-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-xl font-semibold tracking-tight">Timeline</h1>
            <p className="mt-0.5 hidden text-[13px] text-fg-muted sm:block">Everything that happens in the registry, as it happens. Append-only and hash-chained.</p>
          </div>
          <div className="flex items-center gap-2">
            <ChainBadge verification={verification} />
            <ConnectionStatus state={connection} onReconnect={() => reconnectRef.current?.()} />
          </div>
        </div>
        <div className="mt-4">
          <TimelineFilterBar filters={filters} eventTypes={eventTypes} onChange={updateFilters} onClear={() => setFilters(EMPTY_FILTERS)} />
        </div>
      </div>
      <div className="flex min-h-0 flex-1">
        <div className="min-w-0 flex-1 bg-surface">
          <TimelineFeed
            key={key}
            filters={filters}
            initial={serverPage?.key === key ? serverPage : null}
            people={people}
            selectedSeq={selectedSeq}
            hasFilters={hasFilters}
            onOpen={open}
            onConnection={setConnection}
            onClearFilters={() => setFilters(EMPTY_FILTERS)}
            reconnectRef={reconnectRef}
          />
        </div>
        {selectedSeq !== null && (
          <div
            className={cx(
              "fixed inset-y-0 right-0 z-40 w-full max-w-md animate-slide-in border-l border-border shadow-pop",
              "xl:static xl:z-auto xl:w-[460px] xl:max-w-none xl:animate-none xl:shadow-none",
            )}
          >
            <EventInspector
              seq={selectedSeq}
              known={opened}
              people={people}
              verification={verification}
              onClose={close}
              onOpen={open}
              onFilter={updateFilters}
            />
          </div>
        )}
      </div>
    </div>
  );
}

function ChainBadge({ verification }: { verification: ChainVerification }) {
  const { status, result, run } = verification;
  if (!result) {
    return (
      <Button size="sm" variant="ghost" onClick={run} loading={status === "running"} icon={<ShieldCheckIcon className="size-4" />}>
        Verify chain
      </Button>
    );
  }
  return (
    <button
      type="button"
      onClick={run}
      title="Verify again"
      className={cx(
        "inline-flex h-7 items-center gap-1.5 rounded-full border px-3 text-xs font-medium",
        result.ok ? "border-success/25 bg-success-soft text-success" : "border-danger/30 bg-danger-soft text-danger",
      )}
      data-testid="chain-badge"
    >
      {result.ok ? <ShieldCheckIcon className="size-3.5" /> : <ShieldAlertIcon className="size-3.5" />}
      {status === "running" ? "Verifying…" : result.ok ? `Verified to #${result.headSeq}` : `Broken at #${result.firstBrokenSeq}`}
    </button>
  );
}

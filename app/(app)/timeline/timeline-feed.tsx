"use client";
// The event list: first page, live arrivals at the top (highlighted), older pages by
// infinite scroll with a "Load older" fallback, and j/k keyboard movement between rows.
// Mounted once per filter set (keyed by the filters), so a filter change starts afresh.
import { useCallback, useEffect, useEffectEvent, useRef, useState, type RefObject } from "react";
import type { EventRecord, PeopleDirectory } from "@/components/events/event-format";
import { ActivityIcon, ArrowUpIcon, FilterIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Kbd } from "@/components/ui/kbd";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { ActivityStrip } from "./activity-strip";
import type { TimelineFilters } from "./timeline-filters";
import { TimelineRow } from "./timeline-row";
import { useEventFeed, type ConnectionState, type EventPage } from "./use-event-feed";

export interface TimelineFeedProps {
  filters: TimelineFilters;
  initial: EventPage | null;
  people: PeopleDirectory;
  selectedSeq: number | null;
  hasFilters: boolean;
  onOpen: (event: EventRecord) => void;
  onConnection: (state: ConnectionState) => void;
  onClearFilters: () => void;
  reconnectRef: RefObject<(() => void) | null>;
}

export function TimelineFeed({ filters, initial, people, selectedSeq, hasFilters, onOpen, onConnection, onClearFilters, reconnectRef }: TimelineFeedProps) {
  const feed = useEventFeed({ filters, initial, onConnection });
  const { events, fresh, status, nextCursor, older, loadOlder, reconnect } = feed;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const [focusedSeq, setFocusedSeq] = useState<number | null>(null);
  // When the reader has scrolled down, count what arrived above instead of yanking them up.
  const [anchorSeq, setAnchorSeq] = useState<number | null>(null);

  useEffect(() => {
    reconnectRef.current = reconnect;
  }, [reconnect, reconnectRef]);

  const onSentinel = useEffectEvent(() => {
    if (older === "idle") void loadOlder();
  });
  useEffect(() => {
    const el = sentinelRef.current;
    if (!el || !nextCursor) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onSentinel(), {
      root: scrollerRef.current,
      rootMargin: "0px 0px 480px 0px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, [nextCursor, status]);

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest("input, textarea, select, [contenteditable='true'], dialog[open], [role='radiogroup']")) return;
    const inList = !!target && !!listRef.current?.contains(target);
    let delta = 0;
    if (e.key === "j" || (inList && e.key === "ArrowDown")) delta = 1;
    else if (e.key === "k" || (inList && e.key === "ArrowUp")) delta = -1;
    else return;
    if (events.length === 0) return;
    e.preventDefault();
    const from = focusedSeq ?? selectedSeq;
    const i = events.findIndex((ev) => ev.seq === from);
    const next = i < 0 ? events[0] : events[Math.max(0, Math.min(events.length - 1, i + delta))];
    if (!next) return;
    setFocusedSeq(next.seq);
    listRef.current?.querySelector<HTMLElement>(`[data-seq="${next.seq}"]`)?.focus();
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    document.addEventListener("keydown", handler);
    return () => document.removeEventListener("keydown", handler);
  }, []);

  const onScroll = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const away = el.scrollTop > 160;
    setAnchorSeq((current) => (away ? (current ?? events[0]?.seq ?? null) : null));
  }, [events]);

  const newAbove = anchorSeq === null ? 0 : events.filter((e) => e.seq > anchorSeq).length;
  const tabbableSeq = focusedSeq ?? selectedSeq ?? events[0]?.seq ?? null;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex items-center gap-4 border-b border-border bg-surface/60 px-5 py-2.5">
        <div className="shrink-0 text-xs text-fg-muted">
          <p className="font-medium text-fg tabular-nums" aria-live="polite" data-testid="timeline-count">
            {status === "ready" ? `${events.length}${nextCursor ? "+" : ""} event${events.length === 1 ? "" : "s"}` : "\u00a0"}
          </p>
          <p className="text-fg-subtle">{events[0] ? `head #${events[0].seq}` : hasFilters ? "filtered" : "all events"}</p>
        </div>
        <div className="min-w-0 flex-1">
          <ActivityStrip events={events} />
        </div>
      </div>

      <div ref={scrollerRef} onScroll={onScroll} className="relative min-h-0 flex-1 overflow-y-auto" data-testid="timeline-scroller">
        {newAbove > 0 && (
          <div className="pointer-events-none sticky top-3 z-20 flex justify-center">
            <button
              type="button"
              onClick={() => scrollerRef.current?.scrollTo({ top: 0, behavior: "smooth" })}
              className="pointer-events-auto inline-flex h-7 animate-fade-in items-center gap-1.5 rounded-full bg-accent px-3 text-xs font-medium text-accent-fg shadow-pop"
            >
              <ArrowUpIcon className="size-3.5" />
              {newAbove} new event{newAbove === 1 ? "" : "s"}
            </button>
          </div>
        )}

        {status === "loading" && <FeedSkeleton />}
        {status === "error" && (
          <div className="p-5">
            <Alert tone="danger" title="Could not load the timeline" action={<Button size="sm" onClick={feed.retry}>Try again</Button>}>
              {feed.error}
            </Alert>
          </div>
        )}
        {status === "ready" && events.length === 0 && (
          <EmptyState
            className="py-20"
            icon={hasFilters ? <FilterIcon /> : <ActivityIcon />}
            title={hasFilters ? "No events match these filters" : "No events yet"}
            description={hasFilters ? "Matching events will appear here live as they are recorded. Or widen the filters to see more." : "Everything that changes in the registry is recorded here, live."}
            actions={hasFilters ? <Button onClick={onClearFilters}>Clear filters</Button> : undefined}
          />
        )}
        {status === "ready" && events.length > 0 && (
          <>
            <p id="timeline-keys" className="sr-only">
              Use j and k or the arrow keys to move between events, Enter to open one.
            </p>
            <ol ref={listRef} aria-label="Events, newest first" aria-describedby="timeline-keys" data-testid="timeline-list">
              {events.map((e) => (
                <TimelineRow
                  key={e.seq}
                  event={e}
                  people={people}
                  selected={e.seq === selectedSeq}
                  tabbable={e.seq === tabbableSeq}
                  fresh={fresh.has(e.seq)}
                  onOpen={onOpen}
                  onFocusRow={setFocusedSeq}
                />
              ))}
            </ol>
            <div ref={sentinelRef} className="flex min-h-16 flex-col items-center justify-center gap-2 px-5 py-5 text-xs text-fg-subtle">
              {older === "loading" ? (
                <span className="inline-flex items-center gap-2" role="status">
                  <Spinner className="size-3.5" /> Loading older events…
                </span>
              ) : older === "error" ? (
                <span className="inline-flex items-center gap-2 text-danger" role="alert">
                  {feed.olderError}
                  <Button size="xs" onClick={() => void loadOlder()}>
                    Retry
                  </Button>
                </span>
              ) : nextCursor ? (
                <Button size="sm" onClick={() => void loadOlder()} data-testid="timeline-load-older">
                  Load older
                </Button>
              ) : (
                <span>The beginning of the log{hasFilters ? " for these filters" : ""}.</span>
              )}
              <span className="hidden items-center gap-1.5 sm:inline-flex">
                <Kbd>j</Kbd>
                <Kbd>k</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>Esc</Kbd> close
              </span>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function FeedSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading events">
      {Array.from({ length: 9 }, (_, i) => (
        <div key={i} className="flex items-start gap-3 border-b border-border py-3 pr-4 pl-5">
          <Skeleton className="size-7" />
          <div className="flex-1 space-y-2">
            <Skeleton className="h-3.5 w-48" />
            <Skeleton className="h-3.5 w-2/3" />
          </div>
        </div>
      ))}
    </div>
  );
}

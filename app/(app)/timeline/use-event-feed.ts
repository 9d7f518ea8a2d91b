"use client";
// The data behind the timeline: the newest page of events, older pages on demand, and a
// live Server-Sent Events stream that starts right after the newest loaded event. Events
// are kept in a Map by seq, so a seq is never shown twice however it arrives (page, live
// or replay). When the stream drops, the browser reconnects with Last-Event-ID; when the
// server refuses it outright, we reconnect ourselves from lastSeenSeq + 1: no gaps.
import { useCallback, useEffect, useEffectEvent, useMemo, useReducer, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import type { EventRecord } from "@/components/events/event-format";
import { filtersToParams, PAGE_SIZE, type TimelineFilters } from "./timeline-filters";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

export interface EventPage {
  items: EventRecord[];
  nextCursor: string | null;
}

interface FeedState {
  events: ReadonlyMap<number, EventRecord>;
  /** Seqs that arrived live, for a brief highlight. */
  fresh: ReadonlySet<number>;
  nextCursor: string | null;
  status: "loading" | "ready" | "error";
  error: string | null;
  older: "idle" | "loading" | "error";
  olderError: string | null;
}

type FeedAction =
  | { type: "loading" }
  | { type: "loaded"; page: EventPage }
  | { type: "failed"; error: string }
  | { type: "live"; event: EventRecord }
  | { type: "older-loading" }
  | { type: "older-loaded"; page: EventPage }
  | { type: "older-failed"; error: string };

function withEvents(map: ReadonlyMap<number, EventRecord>, items: EventRecord[]): ReadonlyMap<number, EventRecord> {
  const next = new Map(map);
  for (const e of items) if (!next.has(e.seq)) next.set(e.seq, e);
  return next;
}

function reducer(state: FeedState, action: FeedAction): FeedState {
  switch (action.type) {
    case "loading":
      return { ...state, status: "loading", error: null };
    case "loaded":
      return { ...state, status: "ready", error: null, events: withEvents(state.events, action.page.items), nextCursor: action.page.nextCursor };
    case "failed":
      return { ...state, status: "error", error: action.error };
    case "live":
      if (state.events.has(action.event.seq)) return state;
      return { ...state, events: withEvents(state.events, [action.event]), fresh: new Set(state.fresh).add(action.event.seq) };
    case "older-loading":
      return { ...state, older: "loading", olderError: null };
    case "older-loaded":
      return { ...state, older: "idle", events: withEvents(state.events, action.page.items), nextCursor: action.page.nextCursor };
    case "older-failed":
      return { ...state, older: "error", olderError: action.error };
  }
}

function initState(initial: EventPage | null): FeedState {
  return {
    events: withEvents(new Map(), initial?.items ?? []),
    fresh: new Set(),
    nextCursor: initial?.nextCursor ?? null,
    status: initial ? "ready" : "loading",
    error: null,
    older: "idle",
    olderError: null,
  };
}

export function useEventFeed({ filters, initial, onConnection }: { filters: TimelineFilters; initial: EventPage | null; onConnection: (state: ConnectionState) => void }) {
  // Only the page given at mount counts; later prop changes must not restart the stream.
  const [firstPage] = useState(initial);
  const [state, dispatch] = useReducer(reducer, firstPage, initState);
  const [loadAttempt, setLoadAttempt] = useState(0);
  const query = filtersToParams(filters).toString();
  const reconnectRef = useRef<(() => void) | null>(null);
  const olderInFlight = useRef(false);
  const reportConnection = useEffectEvent((s: ConnectionState) => onConnection(s));

  useEffect(() => {
    let cancelled = false;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let lastSeenSeq = 0;

    const connect = () => {
      if (cancelled) return;
      const params = new URLSearchParams(query);
      params.set("fromSeq", String(lastSeenSeq + 1));
      const es = new EventSource(`/api/events/stream?${params}`);
      source = es;
      es.onopen = () => {
        failures = 0;
        reportConnection("live");
      };
      es.addEventListener("event", (message) => {
        let event: EventRecord;
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as EventRecord;
        } catch {
          return;
        }
        if (event.seq > lastSeenSeq) lastSeenSeq = event.seq;
        dispatch({ type: "live", event });
        // Events flowing means live, whatever the browser's online flag said.
        reportConnection("live");
      });
      es.onerror = () => {
        if (cancelled) return;
        if (es.readyState === EventSource.CLOSED) {
          // Refused with an HTTP error: the browser gives up, so we retry with backoff.
          es.close();
          failures++;
          reportConnection(navigator.onLine && failures < 6 ? "reconnecting" : "offline");
          clearTimeout(retryTimer);
          retryTimer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)));
        } else {
          // The browser is already reconnecting (it will send Last-Event-ID).
          reportConnection(navigator.onLine ? "reconnecting" : "offline");
        }
      };
    };

    const reconnectNow = () => {
      if (cancelled) return;
      clearTimeout(retryTimer);
      source?.close();
      failures = 0;
      reportConnection("connecting");
      connect();
    };
    const onOnline = () => {
      if (source?.readyState === EventSource.OPEN) reportConnection("live");
      else reconnectNow();
    };
    const onOffline = () => reportConnection("offline");

    const start = async () => {
      let page = loadAttempt === 0 ? firstPage : null;
      if (!page) {
        const params = new URLSearchParams(query);
        params.set("limit", String(PAGE_SIZE));
        try {
          page = await apiFetch<EventPage>(`/api/events?${params}`);
        } catch (err) {
          if (cancelled) return;
          dispatch({ type: "failed", error: errorMessage(err) });
          reportConnection("offline");
          return;
        }
        if (cancelled) return;
        dispatch({ type: "loaded", page });
      }
      // Items are newest first; the stream takes over right after the newest one.
      lastSeenSeq = page.items[0]?.seq ?? 0;
      reconnectRef.current = reconnectNow;
      window.addEventListener("online", onOnline);
      window.addEventListener("offline", onOffline);
      connect();
    };
    reportConnection("connecting");
    void start();

    return () => {
      cancelled = true;
      clearTimeout(retryTimer);
      source?.close();
      reconnectRef.current = null;
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
    };
  }, [query, firstPage, loadAttempt]);

  const retry = useCallback(() => {
    dispatch({ type: "loading" });
    setLoadAttempt((n) => n + 1);
  }, []);

  const reconnect = useCallback(() => reconnectRef.current?.(), []);

  const loadOlder = useCallback(async () => {
    if (!state.nextCursor || olderInFlight.current) return;
    olderInFlight.current = true;
    dispatch({ type: "older-loading" });
    const params = new URLSearchParams(query);
    params.set("limit", String(PAGE_SIZE));
    params.set("cursor", state.nextCursor);
    try {
      dispatch({ type: "older-loaded", page: await apiFetch<EventPage>(`/api/events?${params}`) });
    } catch (err) {
      dispatch({ type: "older-failed", error: errorMessage(err) });
    } finally {
      olderInFlight.current = false;
    }
  }, [state.nextCursor, query]);

  const events = useMemo(() => [...state.events.values()].sort((a, b) => b.seq - a.seq), [state.events]);

  return {
    events,
    fresh: state.fresh,
    status: state.status,
    error: state.error,
    nextCursor: state.nextCursor,
    older: state.older,
    olderError: state.olderError,
    retry,
    reconnect,
    loadOlder,
  };
}

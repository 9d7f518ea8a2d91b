"use client";
// Follows the audit log's live stream (GET /api/events/stream, Server-Sent Events) with a
// filter, for pages that refresh themselves when something happens (the executions list,
// a running execution). The browser reconnects by itself with Last-Event-ID; when the
// server refuses the stream we retry with backoff. `onOpen` fires on every (re)connect, so
// a page can re-read what it shows and miss nothing that happened while disconnected.
import { useEffect, useEffectEvent, useState } from "react";
import type { EventRecord } from "@/components/events/event-format";

export type LiveState = "connecting" | "live" | "reconnecting" | "off";

export interface UseLiveEventsOptions {
  /** Query string of the stream's filters (streamType, streamId, type, correlationId…). */
  filter: string;
  /** Replay from this sequence number (inclusive); unset: from now on. */
  fromSeq?: number;
  enabled?: boolean;
  onEvent: (event: EventRecord) => void;
  onOpen?: () => void;
}

export function useLiveEvents({ filter, fromSeq, enabled = true, onEvent, onOpen }: UseLiveEventsOptions): LiveState {
  // The state of the current connection only: a new filter starts out "connecting".
  const connection = `${filter}|${enabled}`;
  const [reported, setReported] = useState<{ connection: string; state: LiveState } | null>(null);
  const handleEvent = useEffectEvent(onEvent);
  const handleOpen = useEffectEvent(() => onOpen?.());
  // Only the first resume point counts: later changes must not restart the stream.
  const [startSeq] = useState(fromSeq);

  useEffect(() => {
    if (!enabled) return;
    const setState = (state: LiveState) => setReported({ connection, state });
    let cancelled = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let lastSeq = startSeq !== undefined ? startSeq - 1 : 0;

    const connect = () => {
      if (cancelled) return;
      const params = new URLSearchParams(filter);
      if (lastSeq > 0) params.set("fromSeq", String(lastSeq + 1));
      const es = new EventSource(`/api/events/stream?${params}`);
      source = es;
      es.onopen = () => {
        failures = 0;
        setState("live");
        handleOpen();
      };
      es.addEventListener("event", (message) => {
        let event: EventRecord;
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as EventRecord;
        } catch {
          return;
        }
        if (event.seq > lastSeq) lastSeq = event.seq;
        handleEvent(event);
      });
      es.onerror = () => {
        if (cancelled) return;
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          failures++;
          setState("reconnecting");
          clearTimeout(timer);
          timer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)));
        } else setState("reconnecting");
      };
    };
    connect();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [filter, enabled, startSeq, connection]);

  if (!enabled) return "off";
  return reported?.connection === connection ? reported.state : "connecting";
}

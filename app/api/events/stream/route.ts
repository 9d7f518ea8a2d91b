// GET /api/events/stream – the audit log live, as Server-Sent Events (id: = global seq;
// resume with Last-Event-ID or ?fromSeq=; same filters as GET /api/events)
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { EventFilterSchema } from "@/lib/events/event-filters";
import { openEventStream } from "@/lib/events/event-stream";
import { getLiveEvents } from "@/lib/events/live-events";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

const Query = EventFilterSchema.extend({ fromSeq: z.coerce.number().int().min(1).optional() });

export const GET = apiRoute({ route: "/api/events/stream", scopes: ["events:read"], query: Query }, async ({ req, db, query }) => {
  const lastEventId = req.headers.get("last-event-id");
  let afterSeq: number | undefined;
  if (lastEventId !== null && lastEventId !== "") {
    if (!/^\d{1,18}$/.test(lastEventId)) throw new AppError("bad_request", "Last-Event-ID must be a sequence number", { errors: [{ path: "Last-Event-ID", message: "not a sequence number" }] });
    afterSeq = Number(lastEventId);
  } else if (query.fromSeq !== undefined) {
    afterSeq = query.fromSeq - 1;
  }
  const { fromSeq: _ignored, ...filter } = query;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let close: (() => void) | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    close?.();
    metrics.sseClients.dec();
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: end,
  });
  metrics.sseClients.inc();
  req.signal.addEventListener("abort", end);
  // Subscribe before answering, so "from now on" means from the moment the client connected.
  try {
    close = await openEventStream({
      db,
      live: getLiveEvents(),
      filter,
      afterSeq,
      heartbeatMs: getEnv().SSE_HEARTBEAT_MS,
      send: (frame) => {
        if (ended) return false;
        controller.enqueue(encoder.encode(frame));
        // A client that stops reading must not make the server buffer forever.
        return (controller.desiredSize ?? 0) > -8 * 1024 * 1024;
      },
      onOverflow: end,
    });
  } catch (err) {
    end();
    throw err;
  }
  if (ended) close();
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});

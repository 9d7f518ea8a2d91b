// GET /api/events – the audit log, filtered and cursor-paginated · POST /api/events – record a note
import { z } from "zod";
import { appendEvent } from "@/lib/events/append-event";
import { EVENT_TYPES } from "@/lib/events/event-types";
import { getEvent, ListEventsQuerySchema, listEvents } from "@/lib/events/list-events";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ route: "/api/events", scopes: ["events:read"], query: ListEventsQuerySchema }, async ({ db, query }) =>
  json(await listEvents(db, query)),
);

const NoteSchema = z.object({
  type: z.literal("note.recorded").default("note.recorded"),
  data: EVENT_TYPES["note.recorded"].schema,
  subject: z.object({ type: z.string().min(1).max(50), id: z.string().min(1).max(200) }).optional(),
  correlationId: z.string().min(1).max(200).optional(),
});

export const POST = apiRoute({ route: "/api/events", scopes: ["events:write"], body: NoteSchema }, async ({ db, identity, body, requestId }) => {
  const appended = await appendEvent(db, {
    type: body.type,
    data: body.data,
    stream: body.subject ?? { type: "user", id: identity.userId },
    subject: body.subject ?? null,
    actor: identity.actor,
    correlationId: body.correlationId ?? requestId,
  });
  return json(await getEvent(db, appended.id), { status: 201 });
});

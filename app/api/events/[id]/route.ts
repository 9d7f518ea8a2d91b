// GET /api/events/:id – one event, by id (evt_…) or sequence number
import { z } from "zod";
import { getEvent } from "@/lib/events/list-events";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute(
  { route: "/api/events/:id", scopes: ["events:read"], params: z.object({ id: z.string().regex(/^(evt_[0-9a-z]{26}|\d{1,18})$/, "an event id (evt_…) or a sequence number") }) },
  async ({ db, params }) => json(await getEvent(db, params.id)),
);

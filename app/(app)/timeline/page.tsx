import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/prisma";
import { EVENT_TYPE_NAMES } from "@/lib/events/event-types";
import { ListEventsQuerySchema, listEvents } from "@/lib/events/list-events";
import { requireUser } from "../get-current-user";
import { loadPeople } from "../load-people";
import { filtersKey, filtersToParams, PAGE_SIZE, paramsFromRecord, parseFilters } from "./timeline-filters";
import { TimelineView } from "./timeline-view";

export const metadata: Metadata = { title: "Timeline" };

export default async function TimelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const filters = parseFilters(paramsFromRecord(await searchParams));
  const db = getPrisma();
  const query = ListEventsQuerySchema.safeParse({ ...Object.fromEntries(filtersToParams(filters)), limit: PAGE_SIZE });
  // The first page is rendered with the HTML; if it fails here the client shows the error and a retry.
  const [page, people] = await Promise.all([query.success ? listEvents(db, query.data).catch(() => null) : Promise.resolve(null), loadPeople(db)]);
  return <TimelineView eventTypes={[...EVENT_TYPE_NAMES]} initial={page ? { key: filtersKey(filters), ...page } : null} people={people} />;
}

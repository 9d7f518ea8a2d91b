import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/prisma";
import { listExecutionFacets } from "@/lib/execution/records/list-execution-facets";
import { listExecutions } from "@/lib/execution/records/list-executions";
import type { ExecutionStatus } from "@/lib/execution/types";
import { log } from "@/lib/log";
import { requireUser } from "../get-current-user";
import { paramsFromRecord } from "../timeline/timeline-filters";
import { EXECUTIONS_PAGE_SIZE, executionFiltersKey, parseExecutionFilters } from "./execution-filters";
import { ExecutionsView } from "./executions-view";

export const metadata: Metadata = { title: "Executions" };

export default async function ExecutionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filters = parseExecutionFilters(paramsFromRecord(await searchParams));
  const db = getPrisma();
  const viewer = { userId: user.id, role: user.role };
  const [page, facets] = await Promise.all([
    listExecutions(db, {
      viewer,
      query: {
        limit: EXECUTIONS_PAGE_SIZE,
        status: filters.status ? (filters.status.split(",") as ExecutionStatus[]) : undefined,
        agentId: filters.agentId || undefined,
        capability: filters.capability || undefined,
        correlationId: filters.correlationId || undefined,
      },
    }).catch((err: unknown) => {
      // The view shows an error with a retry, which goes through the API.
      log.error("executions page: first page not loaded", { error: err instanceof Error ? err.message : String(err) });
      return null;
    }),
    listExecutionFacets(db, { viewer }).catch(() => ({ agents: [], capabilities: [] })),
  ]);
  return <ExecutionsView initial={page ? { ...page, key: executionFiltersKey(filters) } : null} facets={facets} isAdmin={user.role === "admin"} />;
}

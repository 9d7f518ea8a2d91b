"use client";
// The executions page: every invocation of the viewer's agents (admins: everyone's), newest
// first, filtered by status, agent and capability (in the URL), with "Load more". It follows
// the audit log live: any execution event re-reads the first page, so a new run appears and
// a running one turns green or red without a reload.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { useLiveEvents, type LiveState } from "@/components/executions/use-live-events";
import { BotIcon, FilterIcon, PlayIcon, RefreshIcon, XIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import type { ExecutionFacets } from "@/lib/execution/records/list-execution-facets";
import type { ExecutionSummary } from "@/lib/execution/records/execution-record";
import {
  countExecutionFilters,
  EMPTY_EXECUTION_FILTERS,
  EXECUTIONS_PAGE_SIZE,
  executionFiltersKey,
  executionFiltersToParams,
  matchesExecutionFilters,
  parseExecutionFilters,
  STATUS_CHOICES,
  type ExecutionFilters,
} from "./execution-filters";
import { ExecutionsTable, ExecutionsTableSkeleton } from "./executions-table";

interface Page {
  items: ExecutionSummary[];
  nextCursor: string | null;
}

function writeUrl(filters: ExecutionFilters) {
  const qs = executionFiltersToParams(filters).toString();
  window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
}

const byNewest = (a: ExecutionSummary, b: ExecutionSummary) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1);

export function ExecutionsView({ initial, facets, isAdmin }: { initial: (Page & { key: string }) | null; facets: ExecutionFacets; isAdmin: boolean }) {
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseExecutionFilters(searchParams), [searchParams]);
  const key = executionFiltersKey(filters);

  const [items, setItems] = useState<ExecutionSummary[]>(initial?.items ?? []);
  const [cursor, setCursor] = useState<string | null>(initial?.nextCursor ?? null);
  const [status, setStatus] = useState<"loading" | "ready" | "error">(initial ? "ready" : "error");
  const [error, setError] = useState<string | null>(initial ? null : "The server could not read the executions.");
  const [loadingMore, setLoadingMore] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [tick, setTick] = useState(0);
  // Responses are applied only if nothing newer was asked for since (filters change fast).
  const issued = useRef(0);
  const applied = useRef(0);
  const keyRef = useRef(key);
  const lastRefresh = useRef(0);
  const handledTick = useRef(0);
  useEffect(() => {
    keyRef.current = key;
  }, [key]);

  const fetchPage = useCallback(async (f: ExecutionFilters, after?: string | null): Promise<Page> => {
    const p = executionFiltersToParams(f);
    p.set("limit", String(EXECUTIONS_PAGE_SIZE));
    if (after) p.set("cursor", after);
    return apiFetch<Page>(`/api/executions?${p}`);
  }, []);

  /** Loads the first page of a filter set, replacing the list. */
  const load = useCallback(
    (f: ExecutionFilters) => {
      const n = ++issued.current;
      setStatus("loading");
      setError(null);
      fetchPage(f)
        .then((page) => {
          if (n < applied.current) return;
          applied.current = n;
          setItems(page.items);
          setCursor(page.nextCursor);
          setFresh(new Set());
          setStatus("ready");
        })
        .catch((err: unknown) => {
          if (n < applied.current) return;
          applied.current = n;
          setError(errorMessage(err));
          setStatus("error");
        });
    },
    [fetchPage],
  );

  // Live: each execution event asks for a refresh; at most two a second re-read the first
  // page and merge it over what is shown (new rows flash; changed rows update in place).
  useEffect(() => {
    if (tick === 0 || tick === handledTick.current) return;
    const wait = Math.max(150, lastRefresh.current + 500 - Date.now());
    const timer = setTimeout(() => {
      handledTick.current = tick;
      lastRefresh.current = Date.now();
      const n = ++issued.current;
      const k = keyRef.current;
      fetchPage(filters)
        .then((page) => {
          if (n < applied.current || k !== keyRef.current) return;
          applied.current = n;
          setItems((current) => {
            const known = new Set(current.map((e) => e.id));
            const oldest = page.items[page.items.length - 1];
            // Rows older than the fresh page stay (they are beyond it); newer ones are replaced by it.
            const older = page.nextCursor && oldest ? current.filter((e) => byNewest(e, oldest) > 0 && matchesExecutionFilters(filters, e) && !page.items.some((p) => p.id === e.id)) : [];
            const added = page.items.filter((e) => !known.has(e.id)).map((e) => e.id);
            if (added.length) setFresh((s) => new Set([...s, ...added]));
            return [...page.items, ...older].sort(byNewest);
          });
          setCursor((c) => (page.nextCursor ? (c ?? page.nextCursor) : null));
          setStatus("ready");
          setError(null);
        })
        .catch(() => {
          // A failed background refresh keeps what is shown; the next event tries again.
        });
    }, wait);
    return () => clearTimeout(timer);
  }, [tick, filters, fetchPage]);

  const live = useLiveEvents({
    filter: "streamType=execution",
    enabled: status !== "error",
    onEvent: (e) => {
      // Step events change nothing in the list; the execution's own ones do.
      if (!e.type.startsWith("execution.step.")) setTick((n) => n + 1);
    },
    onOpen: () => setTick((n) => n + 1),
  });

  function setFilters(next: ExecutionFilters) {
    writeUrl(next);
    if (executionFiltersKey(next) !== key) load(next);
  }
  const update = (patch: Partial<ExecutionFilters>) => setFilters({ ...filters, ...patch });

  async function loadMore() {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const k = key;
    try {
      const page = await fetchPage(filters, cursor);
      if (k !== keyRef.current) return;
      setItems((current) => [...current, ...page.items.filter((e) => !current.some((c) => c.id === e.id))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  const active = countExecutionFilters(filters);
  const agentName = (id: string) => facets.agents.find((a) => a.id === id)?.name;

  return (
    <PageContainer wide>
      <PageHeader
        title="Executions"
        description={`Every run of an installed action${isAdmin ? " on any agent" : " on your agents"}: its status, how long it took, and everything it did. Workflows show each step.`}
        actions={<LiveIndicator state={live} />}
      />

      <div role="search" aria-label="Filter executions" className="mt-6 flex flex-wrap items-end gap-3 rounded-xl border border-border bg-surface px-4 py-3 shadow-card" data-testid="execution-filters">
        <FilterIcon className="mb-2 size-4 text-fg-subtle" />
        <FilterSelect label="Status" testId="filter-status" value={filters.status} onChange={(v) => update({ status: v })}>
          {STATUS_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Agent" testId="filter-agent" value={filters.agentId} onChange={(v) => update({ agentId: v })}>
          <option value="">All agents</option>
          {filters.agentId && !agentName(filters.agentId) && <option value={filters.agentId}>{filters.agentId}</option>}
          {facets.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Capability" testId="filter-capability" value={filters.capability} onChange={(v) => update({ capability: v })}>
          <option value="">All capabilities</option>
          {filters.capability && !facets.capabilities.some((c) => c.slug === filters.capability) && <option value={filters.capability}>{filters.capability}</option>}
          {facets.capabilities.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.icon} {c.name} ({c.slug})
            </option>
          ))}
        </FilterSelect>
        {filters.correlationId && (
          <Badge tone="accent" mono className="mb-2 h-6">
            {filters.correlationId}
            <button type="button" aria-label="Remove the correlation filter" className="ml-0.5 rounded hover:text-fg" onClick={() => update({ correlationId: "" })}>
              <XIcon className="size-3" />
            </button>
          </Badge>
        )}
        {active > 0 && (
          <Button size="sm" variant="ghost" className="mb-1" onClick={() => setFilters(EMPTY_EXECUTION_FILTERS)} data-testid="clear-filters">
            Clear filters
          </Button>
        )}
      </div>

      <div className="mt-4 overflow-hidden rounded-xl border border-border bg-surface shadow-card" aria-busy={status === "loading" || undefined}>
        {status === "loading" ? (
          <ExecutionsTableSkeleton />
        ) : status === "error" ? (
          <div className="p-5">
            <Alert
              tone="danger"
              title="The executions could not be loaded"
              data-testid="executions-error"
              action={
                <Button size="sm" icon={<RefreshIcon className="size-3.5" />} onClick={() => load(filters)}>
                  Retry
                </Button>
              }
            >
              {error}
            </Alert>
          </div>
        ) : items.length === 0 ? (
          active > 0 ? (
            <EmptyState
              icon={<FilterIcon />}
              title="No executions match these filters"
              description="Nothing that ran fits every filter you picked. Widen them, or clear them to see everything."
              actions={<Button onClick={() => setFilters(EMPTY_EXECUTION_FILTERS)}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              icon={<PlayIcon />}
              title="Nothing has run yet"
              description="Run an installed action from an agent's page, or let an agent invoke one with an API token (POST /api/agents/:id/invoke). Each run shows up here, live."
              actions={
                <LinkButton href="/agents" variant="primary" icon={<BotIcon className="size-4" />}>
                  Go to agents
                </LinkButton>
              }
            />
          )
        ) : (
          <ExecutionsTable items={items} fresh={fresh} />
        )}
      </div>

      {status === "ready" && error && items.length > 0 && (
        <Alert tone="danger" className="mt-4">
          {error}
        </Alert>
      )}
      {status === "ready" && cursor && (
        <div className="mt-6 flex justify-center">
          <Button onClick={loadMore} loading={loadingMore} data-testid="load-more">
            Load more
          </Button>
        </div>
      )}
      <p className="mt-6 text-center text-[12.5px] text-fg-subtle">
        Every run is also in the <Link href="/timeline?streamType=execution" className="font-medium text-accent hover:underline">audit timeline</Link>.
      </p>
    </PageContainer>
  );
}

function FilterSelect({ label, value, onChange, testId, children }: { label: string; value: string; onChange: (v: string) => void; testId: string; children: React.ReactNode }) {
  return (
    <label className="min-w-[11rem] flex-1 sm:flex-none">
      <span className="mb-1 block text-[11.5px] font-medium text-fg-subtle">{label}</span>
      <Select selectSize="sm" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {children}
      </Select>
    </label>
  );
}

const LIVE_LABELS: Record<LiveState, { label: string; tone: "success" | "warning" | "neutral" }> = {
  live: { label: "Live", tone: "success" },
  connecting: { label: "Connecting…", tone: "neutral" },
  reconnecting: { label: "Reconnecting…", tone: "warning" },
  off: { label: "Not live", tone: "neutral" },
};

export function LiveIndicator({ state }: { state: LiveState }) {
  const meta = LIVE_LABELS[state];
  return (
    <span role="status" data-testid="live-indicator" data-state={state} title={state === "live" ? "Updates as executions start and finish" : undefined}>
      <Badge tone={meta.tone} dot className={cx("h-6 px-2 text-[12px]", state === "live" && "[&>span:first-child]:animate-pulse-dot")}>
        {meta.label}
      </Badge>
    </span>
  );
}

"use client";
// The Approval Inbox: requests that policy stopped for a person, pending first (then
// newest), filtered by status, agent, capability and risk (in the URL, with the selected
// request as ?id=apr_…), a detail pane to decide in, and the kill switch. Live: every
// approval event on the shared stream re-reads the first page (at most twice a second), so
// new requests appear and decided ones change without a reload. Keyboard: j / k move,
// a approves, d and h open the comment box to deny or hold (Enter confirms); keys are
// ignored while typing.
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { ApprovalDetail, ShortcutHint, type ApprovalDetailHandle } from "@/components/approvals/approval-detail";
import type { ApprovalPage, ApprovalView } from "@/components/approvals/approval-types";
import { KillSwitchCard, type KillSwitchView } from "@/components/approvals/kill-switch-card";
import { apiFetch, ApiError, errorMessage } from "@/components/api/api-client";
import type { PeopleDirectory } from "@/components/events/event-format";
import type { LiveState } from "@/components/executions/use-live-events";
import { FilterIcon, InboxCheckIcon, RefreshIcon, ShieldIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { useApprovalCount, useApprovalSignals } from "@/components/shell/approval-live";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import type { ExecutionFacets } from "@/lib/execution/records/list-execution-facets";
import {
  APPROVALS_PAGE_SIZE,
  approvalFiltersKey,
  approvalFiltersToParams,
  approvalsUrl,
  countApprovalFilters,
  EMPTY_APPROVAL_FILTERS,
  parseApprovalFilters,
  parseSelectedId,
  RISK_CHOICES,
  STATUS_CHOICES,
  type ApprovalFilters,
} from "./approval-filters";
import { ApprovalsList, ApprovalsListSkeleton } from "./approvals-list";

interface Loaded {
  key: string;
  items: ApprovalView[];
  nextCursor: string | null;
  pendingCount: number;
  /** More than the first page is shown (Load more was used). */
  extended: boolean;
}

/** The server's order: pending first, then newest. */
function inboxOrder(a: ApprovalView, b: ApprovalView): number {
  const p = (a.status === "pending" ? 0 : 1) - (b.status === "pending" ? 0 : 1);
  if (p) return p;
  return a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;
}

function fetchPage(f: ApprovalFilters, cursor?: string | null): Promise<ApprovalPage> {
  const p = approvalFiltersToParams(f);
  p.set("limit", String(APPROVALS_PAGE_SIZE));
  if (cursor) p.set("cursor", cursor);
  return apiFetch<ApprovalPage>(`/api/approvals?${p}`);
}

export function ApprovalsView({ isAdmin, killSwitch, facets, people }: { isAdmin: boolean; killSwitch: KillSwitchView | null; facets: ExecutionFacets; people: PeopleDirectory }) {
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseApprovalFilters(searchParams), [searchParams]);
  const key = approvalFiltersKey(filters);

  const [data, setData] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<{ key: string; attempt: number; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(() => parseSelectedId(searchParams));
  const [extra, setExtra] = useState<{ id: string; approval: ApprovalView | null; error: string | null } | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [liveTick, setLiveTick] = useState(0);
  const [extraTick, setExtraTick] = useState(0);
  const detailRef = useRef<ApprovalDetailHandle>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const keyRef = useRef(key);
  const lastRefresh = useRef(0);
  const { refresh: refreshCount } = useApprovalCount();
  useEffect(() => {
    keyRef.current = key;
  }, [key]);

  const status: "loading" | "ready" | "error" = data?.key === key ? "ready" : failure?.key === key && failure.attempt === attempt ? "error" : "loading";
  const items = useMemo(() => (data?.key === key ? data.items : []), [data, key]);

  // First page of each filter set (and Retry).
  useEffect(() => {
    let cancelled = false;
    fetchPage(filters)
      .then((page) => {
        if (cancelled) return;
        setData({ key, items: page.items, nextCursor: page.nextCursor, pendingCount: page.pendingCount, extended: false });
        setFresh(new Set());
      })
      .catch((err: unknown) => {
        if (!cancelled) setFailure({ key, attempt, message: errorMessage(err) });
      });
    return () => {
      cancelled = true;
    };
    // `filters` is derived from `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);

  // Live: re-read the first page and merge it over what is shown.
  useEffect(() => {
    if (liveTick === 0) return;
    const k = key;
    const f = filters;
    const timer = setTimeout(
      () => {
        lastRefresh.current = Date.now();
        fetchPage(f)
          .then((page) => {
            if (k !== keyRef.current) return;
            setData((d) => {
              if (!d || d.key !== k) return { key: k, items: page.items, nextCursor: page.nextCursor, pendingCount: page.pendingCount, extended: false };
              const inPage = new Set(page.items.map((a) => a.id));
              const known = new Set(d.items.map((a) => a.id));
              const added = page.items.filter((a) => !known.has(a.id)).map((a) => a.id);
              if (added.length) setFresh((s) => new Set([...s, ...added]));
              const rest = d.extended ? d.items.filter((a) => !inPage.has(a.id) && (!f.status || a.status === f.status)) : [];
              return { ...d, items: [...page.items, ...rest].sort(inboxOrder), pendingCount: page.pendingCount, nextCursor: d.extended ? d.nextCursor : page.nextCursor };
            });
          })
          .catch(() => {
            // A failed background refresh keeps what is shown; the next event tries again.
          });
      },
      Math.max(100, lastRefresh.current + 500 - Date.now()),
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [liveTick]);

  const live = useApprovalSignals((s) => {
    if (s.kind === "open" || s.event.type.startsWith("approval.")) setLiveTick((n) => n + 1);
    const id = s.kind === "event" ? (s.event.data as { approvalId?: unknown } | null)?.approvalId : undefined;
    if (s.kind === "open" || (typeof id === "string" && extra?.id === id)) setExtraTick((n) => n + 1);
  });

  // The selected request: from the list, or read on its own (a deep link to one not listed).
  const selected: ApprovalView | null = (selectedId && items.find((a) => a.id === selectedId)) || (selectedId && extra?.id === selectedId ? extra.approval : null) || (selectedId ? null : (items[0] ?? null));
  const effectiveId = selected?.id ?? selectedId;
  const needsOwnRead = status === "ready" && !!selectedId && !items.some((a) => a.id === selectedId);
  useEffect(() => {
    if (!needsOwnRead || !selectedId) return;
    let cancelled = false;
    apiFetch<ApprovalView>(`/api/approvals/${encodeURIComponent(selectedId)}`)
      .then((a) => !cancelled && setExtra({ id: selectedId, approval: a, error: null }))
      .catch((err: unknown) => {
        if (cancelled) return;
        setExtra({ id: selectedId, approval: null, error: err instanceof ApiError && err.status === 404 ? "This request does not exist, or you may not see it." : errorMessage(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [needsOwnRead, selectedId, extraTick]);

  const select = useCallback(
    (id: string, focus = false) => {
      setSelectedId(id);
      window.history.replaceState(null, "", approvalsUrl(filters, id));
      const row = listRef.current?.querySelector<HTMLElement>(`[data-approval-id="${CSS.escape(id)}"]`);
      row?.scrollIntoView({ block: "nearest" });
      if (focus) row?.focus();
    },
    [filters],
  );

  function setFilters(next: ApprovalFilters) {
    window.history.replaceState(null, "", approvalsUrl(next, null));
    setSelectedId(null);
  }
  const update = (patch: Partial<ApprovalFilters>) => setFilters({ ...filters, ...patch });

  const onChange = useCallback(
    (next: ApprovalView) => {
      setData((d) => (d ? { ...d, items: d.items.map((a) => (a.id === next.id ? next : a)) } : d));
      setExtra((x) => (x && x.id === next.id ? { ...x, approval: next } : x));
      refreshCount();
    },
    [refreshCount],
  );

  async function loadMore() {
    if (!data?.nextCursor || loadingMore) return;
    const k = key;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(filters, data.nextCursor);
      if (k !== keyRef.current) return;
      setData((d) => (d && d.key === k ? { ...d, items: [...d.items, ...page.items.filter((a) => !d.items.some((b) => b.id === a.id))], nextCursor: page.nextCursor, extended: true } : d));
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  // Keyboard shortcuts, anywhere on the page except while typing or in a dialog.
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest("input, textarea, select, [contenteditable='true'], dialog[open], [role='radiogroup']")) return;
    const inList = !!target && !!listRef.current?.contains(target);
    if (e.key === "j" || e.key === "k" || (inList && (e.key === "ArrowDown" || e.key === "ArrowUp"))) {
      if (items.length === 0) return;
      e.preventDefault();
      const delta = e.key === "j" || e.key === "ArrowDown" ? 1 : -1;
      const i = items.findIndex((a) => a.id === effectiveId);
      const next = i < 0 ? items[0] : items[Math.max(0, Math.min(items.length - 1, i + delta))];
      if (next) select(next.id, true);
      return;
    }
    const decision = e.key === "a" ? "approve" : e.key === "d" ? "deny" : e.key === "h" ? "hold" : null;
    if (decision && selected) {
      e.preventDefault();
      detailRef.current?.command(decision);
    }
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    document.addEventListener("keydown", handler);
    return () => document.removeEventListener("keydown", handler);
  }, []);

  const active = countApprovalFilters(filters);
  const agentOptions = mergeOptions(
    facets.agents.map((a) => ({ value: a.id, label: a.name })),
    items.flatMap((a) => (a.agent ? [{ value: a.agent.id, label: a.agent.name ?? a.agent.id }] : [])),
    filters.agentId,
  );
  const capabilityOptions = mergeOptions(
    facets.capabilities.map((c) => ({ value: c.slug, label: `${c.name} (${c.slug})` })),
    items.flatMap((a) => (a.capability ? [{ value: a.capability.slug, label: `${a.capability.name ?? a.capability.slug} (${a.capability.slug})` }] : [])),
    filters.capability,
  );
  const pendingCount = data?.key === key ? data.pendingCount : null;

  return (
    <PageContainer wide>
      <PageHeader
        title="Approvals"
        description="Requests that policy stopped for a person: an agent's risky action, an install or upgrade asking for sensitive permissions, a public publish. Decide with the full request in front of you; the requester gets the outcome at once."
        actions={
          <>
            <LiveBadge state={live} />
            <LinkButton href="/approvals/rules" icon={<ShieldIcon className="size-4" />} data-testid="rules-link">
              Rules
            </LinkButton>
          </>
        }
      />

      <KillSwitchCard initial={killSwitch} isAdmin={isAdmin} people={people} />

      <div role="search" aria-label="Filter approval requests" className="mt-4 flex flex-wrap items-end gap-3 rounded-xl border border-border bg-surface px-4 py-3 shadow-card" data-testid="approval-filters">
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
          {agentOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Capability" testId="filter-capability" value={filters.capability} onChange={(v) => update({ capability: v })}>
          <option value="">All capabilities</option>
          {capabilityOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Risk" testId="filter-risk" value={filters.risk} onChange={(v) => update({ risk: v })}>
          {RISK_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </FilterSelect>
        {active > 0 && (
          <Button size="sm" variant="ghost" className="mb-1" onClick={() => setFilters(EMPTY_APPROVAL_FILTERS)} data-testid="clear-filters">
            Clear filters
          </Button>
        )}
      </div>

      <div className="mt-4 grid items-start gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <section aria-label="Requests" className="overflow-hidden rounded-xl border border-border bg-surface shadow-card" aria-busy={status === "loading" || undefined}>
          <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-2.5 text-[12.5px]">
            <span className="text-fg-muted" data-testid="approval-counts" aria-live="polite">
              {status === "ready" ? (
                <>
                  <span className="font-semibold text-fg" data-testid="approval-pending-count">
                    {pendingCount ?? 0}
                  </span>{" "}
                  pending · {items.length}
                  {data?.nextCursor ? "+" : ""} shown
                </>
              ) : (
                "\u00a0"
              )}
            </span>
            <ShortcutHintCompact />
          </header>
          <div ref={listRef} className="max-h-[calc(100dvh-12rem)] overflow-y-auto">
            {status === "loading" ? (
              <ApprovalsListSkeleton />
            ) : status === "error" ? (
              <div className="p-4">
                <Alert
                  tone="danger"
                  title="The requests could not be loaded"
                  data-testid="approvals-error"
                  action={
                    <Button size="sm" icon={<RefreshIcon className="size-3.5" />} onClick={() => setAttempt((n) => n + 1)}>
                      Retry
                    </Button>
                  }
                >
                  {failure?.message}
                </Alert>
              </div>
            ) : items.length === 0 ? (
              active > 0 ? (
                <EmptyState
                  icon={<FilterIcon />}
                  title="No requests match these filters"
                  description="Nothing waiting or decided fits every filter you picked."
                  actions={<Button onClick={() => setFilters(EMPTY_APPROVAL_FILTERS)}>Clear filters</Button>}
                />
              ) : (
                <EmptyState
                  icon={<InboxCheckIcon />}
                  title="Your inbox is clear"
                  description="Nothing is waiting for a decision. When policy stops a risky action, it appears here at once with who asked, what they want to run, and why."
                />
              )
            ) : (
              <>
                {pendingCount === 0 && active === 0 && (
                  <div className="flex items-center gap-3 border-b border-border bg-success-soft/40 px-4 py-3" data-testid="inbox-clear">
                    <InboxCheckIcon className="size-5 shrink-0 text-success" />
                    <div>
                      <h3 className="text-[13.5px] font-semibold text-fg">Your inbox is clear</h3>
                      <p className="text-[12.5px] text-fg-muted">Nothing waits for a decision. Decided and expired requests stay below for the record.</p>
                    </div>
                  </div>
                )}
                <ApprovalsList items={items} selectedId={effectiveId} fresh={fresh} onSelect={(id) => select(id)} />
                {data?.nextCursor && (
                  <div className="border-t border-border p-3 text-center">
                    <Button size="sm" onClick={() => void loadMore()} loading={loadingMore} data-testid="load-more">
                      Load more
                    </Button>
                    {moreError && <p className="mt-2 text-[12.5px] text-danger">{moreError}</p>}
                  </div>
                )}
              </>
            )}
          </div>
        </section>

        <section aria-label="Selected request" className="min-w-0 overflow-hidden rounded-xl border border-border bg-surface shadow-card lg:sticky lg:top-4 lg:max-h-[calc(100dvh-2rem)] lg:overflow-y-auto">
          {selected ? (
            <ApprovalDetail key={selected.id} ref={detailRef} approval={selected} people={people} onChange={onChange} />
          ) : selectedId && extra?.id === selectedId && extra.error ? (
            <div className="p-5">
              <Alert tone="warning" title="Request not shown" data-testid="approval-missing">
                {extra.error}
              </Alert>
            </div>
          ) : status === "loading" || (selectedId && needsOwnRead) ? (
            <div className="space-y-3 p-5" aria-hidden>
              <Skeleton className="h-5 w-1/3" />
              <Skeleton className="h-6 w-2/3" />
              <Skeleton className="h-24 w-full" />
            </div>
          ) : (
            <EmptyState icon={<InboxCheckIcon />} title="Nothing selected" description="Pick a request on the left (or press j) to see who asks what and why." />
          )}
        </section>
      </div>

      <ShortcutHint className="mt-4 justify-center" />
    </PageContainer>
  );
}

function mergeOptions(base: { value: string; label: string }[], more: { value: string; label: string }[], current: string): { value: string; label: string }[] {
  const map = new Map<string, string>();
  for (const o of [...base, ...more]) if (!map.has(o.value)) map.set(o.value, o.label);
  if (current && !map.has(current)) map.set(current, current);
  return [...map.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
}

function FilterSelect({ label, value, onChange, testId, children }: { label: string; value: string; onChange: (v: string) => void; testId: string; children: React.ReactNode }) {
  return (
    <label className="min-w-[10rem] flex-1 sm:flex-none">
      <span className="mb-1 block text-[11.5px] font-medium text-fg-subtle">{label}</span>
      <Select selectSize="sm" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {children}
      </Select>
    </label>
  );
}

function ShortcutHintCompact() {
  return <span className="hidden text-[11.5px] text-fg-subtle sm:inline">j/k to move · a/d/h to decide</span>;
}

const LIVE: Record<LiveState, { label: string; tone: "success" | "warning" | "neutral" }> = {
  live: { label: "Live", tone: "success" },
  connecting: { label: "Connecting…", tone: "neutral" },
  reconnecting: { label: "Reconnecting…", tone: "warning" },
  off: { label: "Not live", tone: "neutral" },
};

function LiveBadge({ state }: { state: LiveState }) {
  const meta = LIVE[state];
  return (
    <span role="status" data-testid="live-indicator" data-state={state} title={state === "live" ? "New requests and decisions appear without a reload" : undefined}>
      <Badge tone={meta.tone} dot className={cx("h-6 px-2 text-[12px]", state === "live" && "[&>span:first-child]:animate-pulse-dot")}>
        {meta.label}
      </Badge>
    </span>
  );
}

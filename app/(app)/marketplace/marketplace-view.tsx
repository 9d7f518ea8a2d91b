"use client";
// The marketplace: a search box (debounced, "/" focuses it), category chips, filters and a
// sort, all kept in the URL with history.replaceState (which Next's router observes), and
// a grid of cards paged with "Load more". The first page arrives with the HTML.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { SearchIcon, StoreIcon, XIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { categoryLabel } from "@/components/marketplace/format";
import { UploadIcon } from "@/components/marketplace/marketplace-icons";
import { Alert } from "@/components/ui/alert";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { Kbd } from "@/components/ui/kbd";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import type { CapabilityCard as CardData } from "@/lib/marketplace/search-capabilities";
import { CapabilityCard, CapabilityCardSkeleton } from "./capability-card";
import { countActiveFilters, EMPTY_QUERY, parseMarketQuery, queryKey, toApiParams, toUrlParams, type MarketQuery } from "./marketplace-query";

interface Page {
  items: CardData[];
  nextCursor: string | null;
}

type Results = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; items: CardData[]; nextCursor: string | null };

const SEARCH_DEBOUNCE_MS = 250;

export function MarketplaceView({ initial, categories, isAdmin, forAgent }: { initial: ({ key: string } & Page) | null; categories: { category: string; count: number }[]; isAdmin: boolean; forAgent: string }) {
  const searchParams = useSearchParams();
  const [query, setQuery] = useState<MarketQuery>(() => parseMarketQuery(searchParams));
  const [text, setText] = useState(query.q);
  const key = queryKey(query);
  const [results, setResults] = useState<Results>(() => (initial && initial.key === key ? { status: "ready", items: initial.items, nextCursor: initial.nextCursor } : { status: "loading" }));
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const skipFirstFetch = useRef(initial !== null && initial.key === key);

  // Query → URL.
  useEffect(() => {
    const qs = toUrlParams(query, { agent: forAgent }).toString();
    if ((qs ? `?${qs}` : "") !== window.location.search) window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, [query, forAgent]);

  // The search box's text → query, debounced.
  useEffect(() => {
    if (text === query.q) return;
    const t = setTimeout(() => setQuery((q) => ({ ...q, q: text })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, query.q]);

  // Query → results.
  useEffect(() => {
    if (skipFirstFetch.current) {
      skipFirstFetch.current = false;
      return;
    }
    const controller = new AbortController();
    setResults({ status: "loading" });
    setMoreError(null);
    apiFetch<Page>(`/api/capabilities?${toApiParams(query)}`, { signal: controller.signal })
      .then((page) => setResults({ status: "ready", items: page.items, nextCursor: page.nextCursor }))
      .catch((err) => {
        if (!controller.signal.aborted) setResults({ status: "error", message: errorMessage(err) });
      });
    return () => controller.abort();
    // `key` stands for the query's content; reloadToken retries.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloadToken]);

  // "/" focuses the search box (unless typing somewhere already).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const update = useCallback((patch: Partial<MarketQuery>) => setQuery((q) => ({ ...q, ...patch })), []);
  const reset = () => {
    setText("");
    setQuery(EMPTY_QUERY);
  };

  async function loadMore() {
    if (results.status !== "ready" || !results.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await apiFetch<Page>(`/api/capabilities?${toApiParams(query, results.nextCursor)}`);
      setResults((r) => (r.status === "ready" ? { status: "ready", items: [...r.items, ...page.items.filter((i) => !r.items.some((x) => x.id === i.id))], nextCursor: page.nextCursor } : r));
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  const total = useMemo(() => categories.reduce((n, c) => n + c.count, 0), [categories]);
  const visibleCategories = categories.filter((c) => c.count > 0 || c.category === query.category);
  const activeFilters = countActiveFilters(query);
  const hrefFor = (slug: string) => `/marketplace/${slug}${forAgent ? `?agent=${encodeURIComponent(forAgent)}` : ""}`;

  return (
    <PageContainer wide className="max-w-7xl">
      <PageHeader
        title="Marketplace"
        description="Capabilities you can give your agents: connectors, actions and workflows, each with the permissions it asks for, its security report and its reviews."
        actions={
          <LinkButton href="/marketplace/upload" icon={<UploadIcon className="size-4" />} data-testid="marketplace-upload-button">
            Upload
          </LinkButton>
        }
      />

      {forAgent && (
        <Alert tone="info" className="mt-5" title="Choosing capabilities for an agent">
          Install buttons will pick that agent for you. <Link className="font-medium text-accent hover:underline" href={`/agents/${encodeURIComponent(forAgent)}`}>Back to the agent</Link>
        </Alert>
      )}

      <div className="mt-6">
        <label htmlFor="marketplace-search" className="sr-only">
          Search capabilities
        </label>
        <div className="relative">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3.5 size-[18px] -translate-y-1/2 text-fg-subtle" />
          <input
            ref={searchRef}
            id="marketplace-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") update({ q: text });
              if (e.key === "Escape" && text) {
                e.preventDefault();
                setText("");
              }
            }}
            placeholder="Search by name, tag or what it does — typos are fine"
            autoComplete="off"
            spellCheck={false}
            data-testid="marketplace-search"
            className="block h-11 w-full rounded-xl border border-border-strong/80 bg-surface pr-24 pl-11 text-[14.5px] text-fg shadow-card transition-colors placeholder:text-fg-subtle hover:border-border-strong focus:border-accent focus:ring-3 focus:ring-ring/25 focus:outline-none [&::-webkit-search-cancel-button]:hidden"
          />
          <div className="absolute top-1/2 right-3 flex -translate-y-1/2 items-center gap-2">
            {text ? (
              <button type="button" onClick={() => setText("")} aria-label="Clear search" className="grid size-6 place-items-center rounded-md text-fg-subtle hover:bg-surface-2 hover:text-fg">
                <XIcon className="size-3.5" />
              </button>
            ) : (
              <span className="hidden items-center gap-1 text-xs text-fg-subtle sm:flex">
                Press <Kbd>/</Kbd>
              </span>
            )}
          </div>
        </div>
      </div>

      <nav aria-label="Categories" className="mt-4 -mx-1 overflow-x-auto px-1 pb-1">
        <ul className="flex gap-1.5">
          <li>
            <Chip active={!query.category} onClick={() => update({ category: "" })} count={total}>
              All
            </Chip>
          </li>
          {visibleCategories.map((c) => (
            <li key={c.category}>
              <Chip active={query.category === c.category} onClick={() => update({ category: query.category === c.category ? "" : c.category })} count={c.count} testId={`category-chip-${c.category}`}>
                {categoryLabel(c.category)}
              </Chip>
            </li>
          ))}
        </ul>
      </nav>

      <div className="mt-3 flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
        <FilterSelect label="Type" value={query.type} onChange={(type) => update({ type })} testId="filter-type">
          <option value="">All types</option>
          <option value="declarative">Declarative</option>
          <option value="api-connector">API connector</option>
          <option value="code">Code</option>
          <option value="workflow">Workflow</option>
          <option value="builtin">Built-in</option>
        </FilterSelect>
        <FilterSelect label="Risk" value={query.maxRisk} onChange={(maxRisk) => update({ maxRisk: maxRisk as MarketQuery["maxRisk"] })} testId="filter-risk">
          <option value="">Any risk</option>
          <option value="low">Low risk only</option>
          <option value="medium">Up to medium</option>
          <option value="high">Up to high</option>
        </FilterSelect>
        <FilterSelect label="Network" value={query.network} onChange={(network) => update({ network: network as MarketQuery["network"] })} testId="filter-network">
          <option value="">Network: any</option>
          <option value="false">Works offline</option>
          <option value="true">Needs network</option>
        </FilterSelect>
        <FilterSelect label="Publisher" value={query.publisher} onChange={(publisher) => update({ publisher: publisher as MarketQuery["publisher"] })} testId="filter-publisher">
          <option value="">Any publisher</option>
          <option value="verified">Verified publishers</option>
          <option value="me">Published by me</option>
        </FilterSelect>
        {isAdmin && (
          <Chip active={query.review === "in_review"} onClick={() => update({ review: query.review ? "" : "in_review" })} testId="filter-in-review">
            Waiting for review
          </Chip>
        )}
        {(activeFilters > 0 || query.q) && (
          <Button size="sm" variant="ghost" onClick={reset} icon={<XIcon className="size-3.5" />}>
            Reset
          </Button>
        )}
        <div className="ml-auto flex items-center gap-2">
          <span className="text-[12.5px] text-fg-subtle" aria-live="polite" data-testid="marketplace-count">
            {results.status === "ready" ? `${results.items.length}${results.nextCursor ? "+" : ""} ${results.items.length === 1 && !results.nextCursor ? "capability" : "capabilities"}` : "\u00a0"}
          </span>
          <FilterSelect label="Sort" value={query.sort} onChange={(sort) => update({ sort: sort as MarketQuery["sort"] })} testId="sort-select">
            <option value="">{query.q.trim() ? "Best match" : "Most popular"}</option>
            <option value="installs">Most installed</option>
            <option value="rating">Highest rated</option>
            <option value="newest">Newest</option>
          </FilterSelect>
        </div>
      </div>

      <div className="mt-5">
        {results.status === "error" ? (
          <Alert
            tone="danger"
            title="The marketplace could not be loaded"
            action={
              <Button size="sm" onClick={() => setReloadToken((t) => t + 1)}>
                Retry
              </Button>
            }
            data-testid="marketplace-error"
          >
            {results.message}
          </Alert>
        ) : results.status === "loading" ? (
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-busy="true" aria-label="Loading capabilities">
            {Array.from({ length: 6 }, (_, i) => (
              <CapabilityCardSkeleton key={i} />
            ))}
          </ul>
        ) : results.items.length === 0 ? (
          <div className="rounded-xl border border-dashed border-border-strong/70 bg-surface/60" data-testid="marketplace-empty">
            <EmptyState
              icon={<StoreIcon />}
              title="No capabilities match"
              description={query.q.trim() ? `Nothing matches “${query.q.trim()}” with these filters. Try fewer words, another category, or reset the filters.` : "No capability fits these filters. Reset them to see the whole catalog."}
              actions={
                <>
                  <Button variant="primary" onClick={reset}>
                    Reset search and filters
                  </Button>
                  <LinkButton href="/marketplace/upload" icon={<UploadIcon className="size-4" />}>
                    Upload your own
                  </LinkButton>
                </>
              }
            />
          </div>
        ) : (
          <>
            <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" data-testid="capability-grid" data-q={query.q.trim()}>
              {results.items.map((card) => (
                <CapabilityCard key={card.id} card={card} href={hrefFor(card.slug)} />
              ))}
            </ul>
            {moreError && (
              <Alert tone="danger" className="mt-4">
                {moreError}
              </Alert>
            )}
            {results.nextCursor && (
              <div className="mt-6 flex justify-center">
                <Button onClick={loadMore} loading={loadingMore} data-testid="load-more">
                  Load more
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </PageContainer>
  );
}

function Chip({ active, onClick, count, children, testId }: { active: boolean; onClick: () => void; count?: number; children: React.ReactNode; testId?: string }) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      data-testid={testId}
      className={cx(
        "inline-flex h-8 shrink-0 items-center gap-1.5 rounded-full border px-3 text-[13px] font-medium whitespace-nowrap transition-colors",
        active ? "border-accent/40 bg-accent-soft text-accent-soft-fg" : "border-border bg-surface text-fg-muted shadow-card hover:border-border-strong hover:text-fg",
      )}
    >
      {children}
      {count !== undefined && <span className={cx("text-[11.5px] tabular-nums", active ? "text-accent-soft-fg/80" : "text-fg-subtle")}>{count}</span>}
    </button>
  );
}

function FilterSelect({ label, value, onChange, children, testId }: { label: string; value: string; onChange: (v: string) => void; children: React.ReactNode; testId?: string }) {
  return (
    <Select aria-label={label} selectSize="sm" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} className={cx("w-auto", value && "[&_select]:border-accent/50 [&_select]:bg-accent-soft/50 [&_select]:text-accent-soft-fg")}>
      {children}
    </Select>
  );
}

"use client";
// The Snippets page view: search box and filters that live in the URL (so a search can be
// bookmarked and Back works), the list with "Load more", and the editor of the selected
// snippet. Typing in the search box updates ?q= after a short pause; "/" focuses it.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { CodeIcon, PlusIcon, SearchIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { SnippetEditor } from "@/components/snippets/snippet-editor";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import type { SnippetListItem } from "@/lib/snippets/list-snippets";
import type { SnippetRecord } from "@/lib/snippets/snippet-record";
import { SNIPPETS_PAGE_SIZE } from "./snippets-page-size";


interface Filters {
  q: string;
  language: string;
  tag: string;
}

export function SnippetsView({
  page,
  filters,
  invalidFilters,
  selectedId,
  selected,
  isNew,
}: {
  page: { items: SnippetListItem[]; nextCursor: string | null } | null;
  filters: Filters;
  invalidFilters: boolean;
  selectedId: string | null;
  selected: SnippetRecord | null;
  isNew: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(filters.q);
  const [extra, setExtra] = useState<{ items: SnippetListItem[]; cursor: string | null; key: string }>({ items: [], cursor: null, key: "" });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listKey = JSON.stringify([filters, page?.items[0]?.id ?? null, page?.items.length ?? 0]);
  // Items loaded with "Load more" belong to the list they were loaded for.
  const more = extra.key === listKey ? extra : { items: [], cursor: page?.nextCursor ?? null, key: listKey };
  const items = [...(page?.items ?? []), ...more.items.filter((x) => !page?.items.some((y) => y.id === x.id))];

  function navigate(change: Record<string, string | null>) {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(change)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    startTransition(() => router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false }));
  }

  // Search as you type, once the typing pauses.
  useEffect(() => {
    if (q.trim() === filters.q) return;
    const timer = setTimeout(() => navigate({ q: q.trim() || null }), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text restarts the pause
  }, [q]);

  // "/" focuses the search box (not while typing somewhere else).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.closest("input, textarea, select, [contenteditable='true']") || target.closest(".monaco-editor"))) return;
      e.preventDefault();
      searchRef.current?.focus();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  async function loadMore() {
    if (!more.cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const qs = new URLSearchParams({ limit: String(SNIPPETS_PAGE_SIZE), cursor: more.cursor });
      if (filters.q) qs.set("q", filters.q);
      if (filters.language) qs.set("language", filters.language);
      if (filters.tag) qs.set("tag", filters.tag);
      const next = await apiFetch<{ items: SnippetListItem[]; nextCursor: string | null }>(`/api/snippets?${qs}`);
      setExtra({ items: [...more.items, ...next.items], cursor: next.nextCursor, key: listKey });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  const hrefWith = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(change)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    return `${pathname}${qs ? `?${qs}` : ""}`;
  };
  const filtering = Boolean(filters.q || filters.language || filters.tag);
  const showEditor = isNew || selectedId !== null;

  return (
    <PageContainer wide>
      <PageHeader
        title="Snippets"
        description="Small front-end snippets — a chart, a scene, a widget — that you edit here, preview in a sandboxed frame and share with a link."
        actions={
          <LinkButton href={hrefWith({ new: "1", id: null })} variant="primary" icon={<PlusIcon className="size-4" />} data-testid="new-snippet">
            New snippet
          </LinkButton>
        }
      />

      <div className="mt-6 grid gap-6 lg:grid-cols-[320px_minmax(0,1fr)]">
        <aside aria-label="Your snippets" className="min-w-0">
          <form
            role="search"
            className="space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              navigate({ q: q.trim() || null });
            }}
          >
            <div className="relative">
              <SearchIcon className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-fg-subtle" />
              <Input
                ref={searchRef}
                type="search"
                value={q}
                onChange={(e) => setQ(e.target.value)}
                placeholder="Search title, tags and code"
                aria-label="Search snippets"
                className="pl-8 pr-8"
                data-testid="snippet-search"
              />
              <span className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2">{pending ? <Spinner /> : <Kbd>/</Kbd>}</span>
            </div>
            <div className="flex gap-2">
              <Select aria-label="Language" value={filters.language} onChange={(e) => navigate({ language: e.target.value || null })} selectSize="sm" className="flex-1" data-testid="snippet-language-filter">
                <option value="">All languages</option>
                <option value="javascript">JavaScript</option>
                <option value="html">HTML</option>
                <option value="css">CSS</option>
              </Select>
              {filters.tag && (
                <Button size="sm" variant="ghost" onClick={() => navigate({ tag: null })} aria-label={`Remove the tag filter ${filters.tag}`}>
                  #{filters.tag} ×
                </Button>
              )}
            </div>
          </form>

          {invalidFilters && <Alert tone="warning" className="mt-3">Those filters are not valid; showing nothing.</Alert>}
          {page === null && <Alert tone="danger" className="mt-3">The snippets could not be loaded.</Alert>}

          {page && items.length === 0 ? (
            <div className="mt-4 rounded-xl border border-dashed border-border p-6 text-center text-[13px] text-fg-muted" data-testid="snippets-empty">
              {filtering ? "No snippet matches this search." : "No snippets yet. Create one to start."}
            </div>
          ) : (
            <ul className={cx("mt-4 space-y-1.5", pending && "opacity-60")} data-testid="snippet-list" aria-busy={pending}>
              {items.map((s) => (
                <li key={s.id}>
                  <Link
                    href={hrefWith({ id: s.id, new: null })}
                    aria-current={s.id === selectedId ? "page" : undefined}
                    className={cx(
                      "block rounded-lg border px-3 py-2 transition-colors",
                      s.id === selectedId ? "border-accent bg-accent-soft" : "border-border bg-surface hover:border-border-strong",
                    )}
                    data-testid="snippet-list-item"
                  >
                    <div className="flex items-center gap-2">
                      <span className="min-w-0 flex-1 truncate text-[13.5px] font-medium">{s.title}</span>
                      <Badge mono>{s.language}</Badge>
                    </div>
                    <div className="mt-1 flex flex-wrap items-center gap-1.5 text-[12px] text-fg-subtle">
                      <span>v{s.version}</span>
                      <span aria-hidden>·</span>
                      <RelativeTime iso={s.updatedAt} />
                      {s.tags.slice(0, 3).map((t) => (
                        <span key={t} className="text-fg-muted">
                          #{t}
                        </span>
                      ))}
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {more.cursor && (
            <Button className="mt-3 w-full" size="sm" onClick={loadMore} loading={loadingMore}>
              Load more
            </Button>
          )}
          {moreError && <Alert tone="danger" className="mt-2">{moreError}</Alert>}
        </aside>

        <section aria-label="Editor" className="min-w-0">
          {showEditor ? (
            selectedId && !selected ? (
              <Alert tone="warning" title="Snippet not found">
                It was deleted, or it is not yours. <Link href={hrefWith({ id: null })} className="underline">Back to the list</Link>
              </Alert>
            ) : (
              <SnippetEditor key={selected?.id ?? "new"} snippet={selected} />
            )
          ) : (
            <div className="rounded-xl border border-border bg-surface shadow-card">
              <EmptyState
                icon={<CodeIcon />}
                title={items.length ? "Pick a snippet" : "No snippets yet"}
                description="Edit with a real code editor, save with Ctrl+S, preview under a runtime preset (three.js, Chart.js, d3) in a sandboxed frame, and share a link."
                actions={
                  <LinkButton href={hrefWith({ new: "1", id: null })} variant="primary" icon={<PlusIcon className="size-4" />}>
                    New snippet
                  </LinkButton>
                }
              />
            </div>
          )}
        </section>
      </div>
    </PageContainer>
  );
}

"use client";
// The agents page: the caller's agents (admins can switch to everyone's) as cards with
// their installation counts, "New agent", and "Load more" through the API.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { AgentFormDialog } from "@/components/agents/agent-form-dialog";
import { BotIcon, PlusIcon, StoreIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import type { AgentRecord } from "@/lib/agents/agent-record";
import { AGENTS_PAGE_SIZE } from "./agents-page-size";

export function AgentsView({ initial, all, isAdmin, viewerId }: { initial: { items: AgentRecord[]; nextCursor: string | null } | null; all: boolean; isAdmin: boolean; viewerId: string }) {
  const router = useRouter();
  const toast = useToast();
  const [agents, setAgents] = useState(initial?.items ?? []);
  const [cursor, setCursor] = useState(initial?.nextCursor ?? null);
  const [creating, setCreating] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(initial ? null : "The agents could not be loaded.");

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await apiFetch<{ items: AgentRecord[]; nextCursor: string | null }>(`/api/agents?limit=${AGENTS_PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}${all ? "&all=true" : ""}`);
      setAgents((a) => [...a, ...page.items.filter((x) => !a.some((y) => y.id === x.id))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }

  const createButton = (
    <Button variant="primary" icon={<PlusIcon className="size-4" />} onClick={() => setCreating(true)} data-testid="new-agent-button">
      New agent
    </Button>
  );

  return (
    <PageContainer>
      <PageHeader
        title="Agents"
        description="The AI agents in your organisation and the capabilities each may use. Every installation lists what you granted, what you withheld, and its settings."
        actions={
          <>
            {isAdmin && (
              <div role="group" aria-label="Whose agents" className="inline-flex rounded-lg border border-border bg-surface-2 p-0.5">
                {[
                  { href: "/agents", label: "Mine", active: !all },
                  { href: "/agents?all=true", label: "Everyone's", active: all },
                ].map((o) => (
                  <Link key={o.href} href={o.href} aria-current={o.active ? "page" : undefined} className={cx("inline-flex h-7 items-center rounded-md px-2.5 text-[12.5px] font-medium", o.active ? "bg-surface text-fg shadow-card ring-1 ring-border" : "text-fg-muted hover:text-fg")}>
                    {o.label}
                  </Link>
                ))}
              </div>
            )}
            {agents.length > 0 && createButton}
          </>
        }
      />

      {error && <Alert tone="danger" className="mt-6">{error}</Alert>}

      {agents.length === 0 && !error ? (
        <div className="mt-6 overflow-hidden rounded-xl border border-border bg-surface shadow-card">
          <div className="bg-[radial-gradient(ellipse_at_top,var(--accent-soft),transparent_65%)]">
            <EmptyState
              className="py-16"
              icon={<BotIcon />}
              title={all ? "Nobody has an agent yet" : "No agents yet"}
              description="Create an agent, then give it capabilities from the marketplace. Each installation asks which permissions to grant, and nothing more is ever allowed."
              actions={
                <>
                  {createButton}
                  <LinkButton href="/marketplace" icon={<StoreIcon className="size-4" />}>
                    Browse the marketplace
                  </LinkButton>
                </>
              }
            />
          </div>
        </div>
      ) : (
        <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="agent-list">
          {agents.map((a) => (
            <li key={a.id} data-testid="agent-card" data-agent-id={a.id} className="relative flex flex-col rounded-xl border border-border bg-surface p-4 shadow-card transition-[border-color,box-shadow] hover:border-border-strong hover:shadow-pop focus-within:ring-2 focus-within:ring-ring">
              <div className="flex items-start gap-3">
                <span aria-hidden className="grid size-10 shrink-0 place-items-center rounded-xl bg-gradient-to-br from-accent/15 to-security/15 text-accent">
                  <BotIcon className="size-5" />
                </span>
                <div className="min-w-0 flex-1">
                  <h2 className="truncate text-[14.5px] font-semibold text-fg">
                    <Link href={`/agents/${a.id}`} className="outline-none after:absolute after:inset-0 after:rounded-xl">
                      {a.name}
                    </Link>
                  </h2>
                  <p className="text-[12px] text-fg-subtle">
                    {a.owner.id === viewerId ? "Yours" : `Owner: ${a.owner.name}`} · created <RelativeTime iso={a.createdAt} />
                  </p>
                </div>
              </div>
              <p className={cx("mt-3 line-clamp-2 min-h-[2lh] text-[13px] leading-relaxed", a.description ? "text-fg-muted" : "text-fg-subtle italic")}>{a.description || "No description"}</p>
              <div className="mt-3 border-t border-border pt-3">
                <Badge tone={a.installationCount ? "accent" : "neutral"} className="tabular-nums" >
                  <span data-testid="agent-installation-count">{a.installationCount}</span> capabilit{a.installationCount === 1 ? "y" : "ies"} installed
                </Badge>
              </div>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <div className="mt-6 flex justify-center">
          <Button onClick={loadMore} loading={loadingMore}>
            Load more
          </Button>
        </div>
      )}

      <AgentFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(agent) => {
          setCreating(false);
          toast.success(`Agent “${agent.name}” created`, "Give it capabilities from the marketplace.");
          router.push(`/agents/${agent.id}`);
        }}
      />
    </PageContainer>
  );
}

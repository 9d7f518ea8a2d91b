"use client";
// One agent: who owns it, what is installed on it and in what state (versions pinned,
// flags, granted vs. withheld permissions, actions, configuration), and every change to
// an installation: enable, configure, consent, upgrade, roll back, uninstall. Each change
// goes through the API; the answer's installation view replaces the card. The Run panel
// invokes installed actions; each action on a card can open it preselected.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { AgentFormDialog } from "@/components/agents/agent-form-dialog";
import { ActivityIcon, BotIcon, ChevronRightIcon, PlusIcon, StoreIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { PencilIcon } from "@/components/marketplace/marketplace-icons";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import type { AgentRecord } from "@/lib/agents/agent-record";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { ActionFormsByVersion } from "@/lib/execution/records/list-action-forms";
import { InstallationCard } from "./installation-card";
import { RunPanel, type RunPanelHandle } from "./run-panel";

export type AgentWithInstallations = AgentRecord & { installations: InstallationView[] };

export function AgentView({ initial, viewerId, forms }: { initial: AgentWithInstallations; viewerId: string; forms: ActionFormsByVersion }) {
  const toast = useToast();
  const router = useRouter();
  const [agent, setAgent] = useState(initial);
  const [editing, setEditing] = useState(false);
  const runPanel = useRef<RunPanelHandle>(null);
  const requestedForms = useRef(new Set<string>());

  // An installation moved to a version whose forms the server has not sent (an upgrade, a
  // new install): re-render the page on the server once to get them.
  const missingKey = agent.installations
    .map((i) => i.version.id)
    .filter((v) => !(v in forms))
    .join(",");
  useEffect(() => {
    const fresh = missingKey ? missingKey.split(",").filter((v) => !requestedForms.current.has(v)) : [];
    if (!fresh.length) return;
    for (const v of fresh) requestedForms.current.add(v);
    router.refresh();
  }, [missingKey, router]);

  const reload = useCallback(async () => {
    try {
      setAgent(await apiFetch<AgentWithInstallations>(`/api/agents/${encodeURIComponent(initial.id)}`));
    } catch (err) {
      toast.error("Could not refresh the agent", errorMessage(err));
    }
  }, [initial.id, toast]);

  const replace = useCallback((inst: InstallationView) => setAgent((a) => ({ ...a, installations: a.installations.map((i) => (i.id === inst.id ? inst : i)) })), []);

  const insts = agent.installations;
  const attention = insts.filter((i) => i.yanked || i.needsConsent || i.deprecated).length;
  const withheld = insts.reduce((n, i) => n + i.withheldPermissions.length, 0);
  const timelineHref = `/timeline?streamType=agent&streamId=${encodeURIComponent(agent.id)}`;

  return (
    <PageContainer>
      <nav aria-label="Breadcrumb" className="mb-4 flex items-center gap-1.5 text-[13px] text-fg-subtle">
        <Link href="/agents" className="hover:text-fg">
          Agents
        </Link>
        <ChevronRightIcon className="size-3.5" />
        <span className="truncate text-fg-muted" aria-current="page">
          {agent.name}
        </span>
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-4" data-testid="agent-header">
        <div className="flex min-w-0 gap-4">
          <span aria-hidden className="grid size-14 shrink-0 place-items-center rounded-2xl bg-gradient-to-br from-accent/20 to-security/20 text-accent shadow-card">
            <BotIcon className="size-7" />
          </span>
          <div className="min-w-0">
            <h1 className="text-[22px] font-semibold tracking-tight text-fg">{agent.name}</h1>
            <p className={cx("mt-0.5 max-w-2xl text-[13.5px]", agent.description ? "text-fg-muted" : "text-fg-subtle italic")}>{agent.description || "No description"}</p>
            <p className="mt-1.5 text-[12.5px] text-fg-subtle">
              {agent.owner.id === viewerId ? "Yours" : `Owner: ${agent.owner.name}`} · created <RelativeTime iso={agent.createdAt} /> · <code className="font-mono text-[11.5px]">{agent.id}</code>
            </p>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button icon={<PencilIcon className="size-4" />} onClick={() => setEditing(true)} data-testid="edit-agent-button">
            Edit
          </Button>
          <LinkButton href={timelineHref} icon={<ActivityIcon className="size-4" />} data-testid="agent-timeline-link">
            Timeline
          </LinkButton>
          <LinkButton href={`/marketplace?agent=${encodeURIComponent(agent.id)}`} variant="primary" icon={<PlusIcon className="size-4" />} data-testid="add-capability-link">
            Add capability
          </LinkButton>
        </div>
      </header>

      <dl className="mt-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Installed" value={insts.length} />
        <Stat label="Enabled" value={insts.filter((i) => i.enabled).length} />
        <Stat label="Permissions withheld" value={withheld} tone={withheld ? "muted" : undefined} />
        <Stat label="Need attention" value={attention} tone={attention ? "warning" : undefined} />
      </dl>

      {insts.length > 0 && (
        <div className="mt-8">
          <RunPanel ref={runPanel} agentId={agent.id} installations={insts} forms={forms} />
        </div>
      )}

      <section aria-labelledby="installations-title" className="mt-8">
        <div className="mb-3 flex items-baseline justify-between gap-3">
          <h2 id="installations-title" className="text-[15px] font-semibold tracking-tight text-fg">
            Installed capabilities
          </h2>
          <Link href={timelineHref} className="text-[12.5px] font-medium text-accent hover:underline">
            Every change is in the audit timeline →
          </Link>
        </div>
        {insts.length === 0 ? (
          <div className="overflow-hidden rounded-xl border border-dashed border-border-strong/70 bg-surface/60">
            <EmptyState
              className="py-14"
              icon={<StoreIcon />}
              title="Nothing installed yet"
              description={`${agent.name} cannot do anything yet. Pick capabilities in the marketplace; each one asks which permissions to grant.`}
              actions={
                <LinkButton href={`/marketplace?agent=${encodeURIComponent(agent.id)}`} variant="primary" icon={<StoreIcon className="size-4" />}>
                  Browse the marketplace
                </LinkButton>
              }
            />
          </div>
        ) : (
          <ul className="space-y-4" data-testid="installation-list">
            {insts.map((inst) => (
              <InstallationCard key={inst.id} agentId={agent.id} inst={inst} siblings={insts} onChanged={replace} onReload={reload} onRun={(action) => runPanel.current?.select(action)} />
            ))}
          </ul>
        )}
      </section>

      <AgentFormDialog
        open={editing}
        onClose={() => setEditing(false)}
        agent={agent}
        onSaved={(saved) => {
          setEditing(false);
          setAgent((a) => ({ ...a, ...saved, installations: a.installations }));
          toast.success("Agent saved");
        }}
      />
    </PageContainer>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: "warning" | "muted" }) {
  return (
    <div className="rounded-xl border border-border bg-surface px-4 py-3 shadow-card">
      <dt className="text-[12px] text-fg-subtle">{label}</dt>
      <dd className={cx("mt-0.5 text-[20px] font-semibold tracking-tight tabular-nums", tone === "warning" ? "text-warning" : tone === "muted" ? "text-fg-muted" : "text-fg")}>{value}</dd>
    </div>
  );
}

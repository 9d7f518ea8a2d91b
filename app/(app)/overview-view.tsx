import Link from "next/link";
import { Suspense } from "react";
import { actorLabel, summarizeEvent, type EventRecord, type PeopleDirectory } from "@/components/events/event-format";
import { EventIcon } from "@/components/events/event-icon";
import { ExecutorsCard } from "@/components/executions/executors-card";
import { ActivityIcon, ArrowRightIcon, BlocksIcon, BotIcon, DatabaseIcon, InboxCheckIcon, KeyIcon, StoreIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { Badge } from "@/components/ui/badge";
import { LinkButton } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ExecutorHealth } from "@/lib/execution/records/get-executor-health";
import type { Health } from "@/lib/health";
import { ChainCard } from "./chain-card";
import { StatCard, StatCardSkeleton } from "./stat-card";
import type { CurrentUser } from "./get-current-user";

function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

const STATUS = {
  ok: { label: "Operational", tone: "success" as const },
  degraded: { label: "Degraded", tone: "warning" as const },
  down: { label: "Down", tone: "danger" as const },
};

const QUICK_LINKS = [
  { href: "/marketplace", title: "Marketplace", body: "Find capabilities to give your agents.", Icon: StoreIcon },
  { href: "/builder", title: "Builder", body: "Write, test and publish a capability.", Icon: BlocksIcon },
  { href: "/agents", title: "Agents", body: "Install capabilities with consent.", Icon: BotIcon },
  { href: "/approvals", title: "Approvals", body: "Decide what policy sent to people.", Icon: InboxCheckIcon },
  { href: "/timeline", title: "Timeline", body: "Follow the audit log live.", Icon: ActivityIcon },
  { href: "/settings/tokens", title: "API tokens", body: "Let scripts and agents act as you.", Icon: KeyIcon },
];

export function OverviewView({
  user,
  health,
  latest,
  people,
  tokenCount,
  origin,
  executors,
}: {
  user: CurrentUser;
  health: Health;
  latest: EventRecord[];
  people: PeopleDirectory;
  tokenCount: number;
  origin: string;
  /** Null when the executors table could not be read. */
  executors: ExecutorHealth | null;
}) {
  const firstName = (user.name || user.email).split(/[\s@]/)[0];
  const status = STATUS[health.status];
  return (
    <PageContainer>
      <PageHeader
        title={`Welcome back, ${firstName}`}
        description="The state of your registry at a glance: is it healthy, is the audit trail intact, can actions run, and what happened last."
        actions={<LinkButton href="/timeline" variant="primary" icon={<ActivityIcon className="size-4" />}>Open timeline</LinkButton>}
      />

      <div className="mt-6 grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label="System health"
          icon={<DatabaseIcon className="size-4" />}
          value={<Badge tone={status.tone} dot className="h-6 px-2 text-[12.5px]">{status.label}</Badge>}
          testId="health-card"
          lines={[
            ["Version", health.version],
            ["Uptime", formatUptime(health.uptimeSeconds)],
            ["Database", health.database.reachable ? `reachable · ${health.database.latencyMs ?? "?"} ms` : "unreachable"],
            ["Migrations", health.migrations.current ? `${health.migrations.applied} applied, current` : `${health.migrations.pending.length} pending`],
            ["Executors", health.executions ? (health.executions.liveExecutors ? `${health.executions.liveExecutors} live` : "none live: actions cannot run") : "—"],
          ]}
        />
        <Suspense fallback={<StatCardSkeleton label="Audit chain" />}>
          <ChainCard />
        </Suspense>
        <ExecutorsCard health={executors} />
        <StatCard
          label="Your access"
          icon={<KeyIcon className="size-4" />}
          value={<span className="text-[15px] font-semibold text-fg">{tokenCount} active API token{tokenCount === 1 ? "" : "s"}</span>}
          lines={[
            ["Signed in as", user.email],
            ["Role", user.role === "admin" ? "Administrator" : "Member"],
            ["Session scopes", String(user.scopes.length)],
          ]}
          footer={<Link href="/settings/tokens" className="text-[12.5px] font-medium text-accent hover:underline">Manage tokens →</Link>}
        />
      </div>

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[1.5fr_1fr]">
        <Card className="overflow-hidden" aria-labelledby="latest-title">
          <CardHeader
            id="latest-title"
            title="Latest events"
            description="The newest entries in the audit log."
            actions={<LinkButton href="/timeline" size="sm" variant="ghost">View all <ArrowRightIcon className="size-3.5" /></LinkButton>}
          />
          {latest.length === 0 ? (
            <p className="px-5 py-10 text-center text-[13px] text-fg-muted">No events yet.</p>
          ) : (
            <ul className="divide-y divide-border" data-testid="overview-events">
              {latest.map((e) => (
                <li key={e.seq}>
                  <Link href={`/timeline?event=${e.seq}`} className="flex items-center gap-3 px-5 py-2.5 hover:bg-surface-2/70">
                    <EventIcon type={e.type} severity={e.severity} />
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-[13px] text-fg">{summarizeEvent(e)}</p>
                      <p className="truncate text-xs text-fg-subtle">
                        <span className="font-mono">{e.type}</span> · {actorLabel(e.actor, people)}
                      </p>
                    </div>
                    <RelativeTime iso={e.createdAt} className="shrink-0 text-xs text-fg-subtle" />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <div className="space-y-6">
          <Card aria-labelledby="quick-title">
            <CardHeader id="quick-title" title="Quick links" />
            <ul className="grid grid-cols-2 gap-px overflow-hidden rounded-b-xl bg-border">
              {QUICK_LINKS.map(({ href, title, body, Icon }) => (
                <li key={href} className="bg-surface">
                  <Link href={href} className="group block h-full px-4 py-3.5 hover:bg-surface-2/70">
                    <span className="flex items-center gap-2 text-[13px] font-medium text-fg">
                      <Icon className="size-4 text-fg-subtle group-hover:text-accent" />
                      {title}
                    </span>
                    <span className="mt-0.5 block text-xs leading-snug text-fg-muted">{body}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
          <Card aria-labelledby="api-title">
            <CardHeader id="api-title" title="Record an event from a script" description="With a token that has the events:write scope." />
            <div className="px-5 py-4">
              <ApiSnippet origin={origin} />
            </div>
          </Card>
        </div>
      </div>
    </PageContainer>
  );
}

function ApiSnippet({ origin }: { origin: string }) {
  const code = `curl -X POST ${origin}/api/events \\
  -H "Authorization: Bearer $CAPREG_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"data":{"message":"Deployed v1.4.2","tags":["deploy"]}}'`;
  return (
    <div className="relative">
      <pre className="overflow-x-auto rounded-lg bg-surface-2 px-3.5 py-3 pr-20 font-mono text-[11.5px] leading-relaxed text-fg-muted">{code}</pre>
      <CopyButton value={code} size="xs" variant="secondary" className="absolute top-2 right-2" />
    </div>
  );
}

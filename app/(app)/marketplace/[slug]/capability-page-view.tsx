"use client";
// The capability page: a header (icon, name, publisher, version, risk, rating, installs and
// the Install button), notices (in review, rejected, yanked, draft), tabbed sections and a
// sidebar "at a glance". The shown tab is kept in the URL (?tab=). Changes (reviews,
// version status, review decisions) go through the API and then refresh the server data.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { ChevronRightIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { InstallDialog } from "@/components/marketplace/install/install-dialog";
import { cx } from "@/components/ui/cx";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { CapabilityHeader } from "./capability-header";
import { CapabilityNotices } from "./capability-notices";
import { CapabilitySidebar } from "./capability-sidebar";
import { ConfigurationTab } from "./configuration-tab";
import { DependenciesTab } from "./dependencies-tab";
import { OverviewTab } from "./overview-tab";
import { PermissionsTab } from "./permissions-tab";
import { ReviewsTab } from "./reviews-tab";
import { SecurityTab } from "./security-tab";
import { TryTab } from "./try-tab";
import { VersionsTab } from "./versions-tab";

const TABS = ["overview", "permissions", "configuration", "versions", "security", "dependencies", "reviews", "try"] as const;
type Tab = (typeof TABS)[number];

export function CapabilityPageView({ detail, actionNeeds, forAgent, initialTab, viewerId }: { detail: CapabilityDetail; actionNeeds: Record<string, string[]>; forAgent: string; initialTab: string; viewerId: string }) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [tab, setTab] = useState<Tab>((TABS as readonly string[]).includes(initialTab) ? (initialTab as Tab) : "overview");
  const [installing, setInstalling] = useState(false);
  // The example an Overview "Try" button preselected in the Try tab.
  const [tryExample, setTryExample] = useState<number | null>(null);
  const refresh = () => startRefresh(() => router.refresh());

  useEffect(() => {
    const url = new URL(window.location.href);
    if (tab === "overview") url.searchParams.delete("tab");
    else url.searchParams.set("tab", tab);
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.pathname + url.search);
  }, [tab]);

  const securityFlag = detail.securityReport?.verdict === "warnings";
  const labels: Record<Tab, { label: string; count?: number; dot?: string }> = {
    overview: { label: "Overview" },
    permissions: { label: "Permissions", count: detail.permissions.length },
    configuration: { label: "Configuration", count: detail.configuration.length },
    versions: { label: "Versions", count: detail.versions.length },
    security: { label: "Security", dot: detail.securityReport ? (securityFlag ? "bg-warning" : "bg-success") : undefined },
    dependencies: { label: "Dependencies", count: detail.dependencies.length },
    reviews: { label: "Reviews", count: detail.rating.count },
    try: { label: "Try it" },
  };

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length]!;
    setTab(t);
    document.getElementById(`tab-${t}`)?.focus();
  };

  return (
    <PageContainer wide className="max-w-7xl">
      <nav aria-label="Breadcrumb" className="mb-4 flex items-center gap-1.5 text-[13px] text-fg-subtle">
        <Link href={forAgent ? `/marketplace?agent=${encodeURIComponent(forAgent)}` : "/marketplace"} className="hover:text-fg">
          Marketplace
        </Link>
        <ChevronRightIcon className="size-3.5" />
        <span className="truncate text-fg-muted" aria-current="page">
          {detail.name}
        </span>
      </nav>

      <CapabilityHeader detail={detail} onInstall={() => setInstalling(true)} onShowReviews={() => setTab("reviews")} />
      <CapabilityNotices detail={detail} onChanged={refresh} onShowVersions={() => setTab("versions")} />

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_300px]">
        <div className={cx("min-w-0 transition-opacity", refreshing && "opacity-70")}>
          <div role="tablist" aria-label="Capability sections" className="-mx-1 flex gap-1 overflow-x-auto border-b border-border px-1">
            {TABS.map((t, i) => {
              const l = labels[t];
              const selected = tab === t;
              return (
                <button
                  key={t}
                  id={`tab-${t}`}
                  type="button"
                  role="tab"
                  aria-selected={selected}
                  aria-controls={`panel-${t}`}
                  tabIndex={selected ? 0 : -1}
                  onClick={() => setTab(t)}
                  onKeyDown={(e) => onTabKey(e, i)}
                  data-testid={t === "try" ? "try-tab" : `tab-${t}`}
                  className={cx(
                    "-mb-px inline-flex h-10 shrink-0 items-center gap-1.5 border-b-2 px-2 text-[13.5px] font-medium whitespace-nowrap transition-colors outline-none focus-visible:rounded-t-md focus-visible:ring-2 focus-visible:ring-ring",
                    selected ? "border-accent text-fg" : "border-transparent text-fg-muted hover:border-border-strong hover:text-fg",
                  )}
                >
                  {l.label}
                  {l.count !== undefined && l.count > 0 && <span className={cx("rounded-full px-1.5 text-[11px] tabular-nums", selected ? "bg-accent-soft text-accent-soft-fg" : "bg-surface-2 text-fg-subtle")}>{l.count}</span>}
                  {l.dot && <span aria-hidden className={cx("size-1.5 rounded-full", l.dot)} />}
                </button>
              );
            })}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="pt-5" tabIndex={-1}>
            {tab === "overview" && (
              <OverviewTab
                detail={detail}
                actionNeeds={actionNeeds}
                onShowPermissions={() => setTab("permissions")}
                onTryExample={(i) => {
                  setTryExample(i);
                  setTab("try");
                }}
              />
            )}
            {tab === "permissions" && <PermissionsTab detail={detail} actionNeeds={actionNeeds} />}
            {tab === "configuration" && <ConfigurationTab detail={detail} />}
            {tab === "versions" && <VersionsTab detail={detail} onChanged={refresh} />}
            {tab === "security" && <SecurityTab detail={detail} />}
            {tab === "dependencies" && <DependenciesTab detail={detail} />}
            {tab === "try" && <TryTab detail={detail} initialExample={tryExample} />}
            {tab === "reviews" && <ReviewsTab detail={detail} viewerId={viewerId} onChanged={refresh} />}
          </div>
        </div>
        <CapabilitySidebar detail={detail} onShowSecurity={() => setTab("security")} onShowPermissions={() => setTab("permissions")} />
      </div>

      {detail.version && (
        <InstallDialog
          open={installing}
          onClose={() => setInstalling(false)}
          capability={{
            slug: detail.slug,
            name: detail.name,
            icon: detail.icon,
            version: detail.version.version,
            risk: detail.risk,
            permissions: detail.permissions,
            configuration: detail.configuration,
            actions: detail.actions.map((a) => ({ id: a.id, name: a.name, needs: actionNeeds[a.id] ?? detail.permissions.map((p) => p.name) })),
          }}
          preferredAgentId={forAgent}
          onInstalled={refresh}
        />
      )}
    </PageContainer>
  );
}

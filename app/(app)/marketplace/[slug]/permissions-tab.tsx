import { GlobeIcon } from "@/components/marketplace/marketplace-icons";
import { byRiskDesc, RISK_META, RISKS, riskMeta } from "@/components/marketplace/format";
import { PermissionRow, RiskSpectrum } from "@/components/marketplace/permission-row";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { ShieldCheckIcon } from "@/components/icons";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { PanelEmpty } from "./overview-tab";
import { SectionTitle } from "./section-title";

export function PermissionsTab({ detail, actionNeeds }: { detail: CapabilityDetail; actionNeeds: Record<string, string[]> }) {
  const sorted = [...detail.permissions].sort(byRiskDesc);
  const actionsFor = (name: string) => detail.actions.filter((a) => (actionNeeds[a.id] ?? []).includes(name)).map((a) => a.name);
  if (sorted.length === 0) {
    return <PanelEmpty icon={<ShieldCheckIcon />} title="Needs no permissions" description={`${detail.name} asks for nothing: it only computes with the inputs it is given.`} />;
  }
  return (
    <div className="space-y-6">
      <section aria-labelledby="permissions-title">
        <SectionTitle
          id="permissions-title"
          description={
            <>
              What {detail.name} may do once installed. When you install it you choose which of these to grant; actions that need a permission you withhold are disabled.
            </>
          }
          aside={<RiskBadge risk={detail.risk} suffix=" overall" />}
        >
          {sorted.length} permission{sorted.length === 1 ? "" : "s"} requested
        </SectionTitle>
        <RiskSpectrum permissions={sorted} className="mb-4 max-w-sm" />
        <ul className="space-y-2" data-testid="permission-list">
          {sorted.map((p) => {
            const used = actionsFor(p.name);
            return (
              <li key={p.name}>
                <PermissionRow permission={p}>
                  <span className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-[11.5px] text-fg-subtle">
                    {used.length > 0 && <span>Used by {used.join(", ")}</span>}
                    {p.isExternalWrite && <span className="font-medium text-danger">Changes things outside the agent</span>}
                  </span>
                </PermissionRow>
              </li>
            );
          })}
        </ul>
      </section>

      {detail.allowedDomains.length > 0 && (
        <section aria-labelledby="domains-title">
          <SectionTitle id="domains-title" description="Network permissions apply only to these domains; private and internal addresses are always refused.">
            Domains it can reach
          </SectionTitle>
          <ul className="flex flex-wrap gap-2">
            {detail.allowedDomains.map((d) => (
              <li key={d} className="inline-flex items-center gap-1.5 rounded-lg border border-border bg-surface px-2.5 py-1.5 font-mono text-[12.5px] text-fg shadow-card">
                <GlobeIcon className="size-3.5 text-info" />
                {d}
              </li>
            ))}
          </ul>
        </section>
      )}

      <Card className="px-4 py-3">
        <p className="mb-2 text-[12px] font-medium text-fg-subtle">What the risk levels mean</p>
        <dl className="grid gap-x-6 gap-y-1.5 text-[12.5px] sm:grid-cols-2">
          {RISKS.map((r) => (
            <div key={r} className="flex items-start gap-2">
              <dt className={cx("w-16 shrink-0 font-medium", riskMeta(r).text)}>{RISK_META[r].label}</dt>
              <dd className="text-fg-muted">{RISK_META[r].summary}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}

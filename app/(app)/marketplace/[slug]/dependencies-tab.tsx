import Link from "next/link";
import { LayersIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { PanelEmpty } from "./overview-tab";
import { SectionTitle } from "./section-title";

export function DependenciesTab({ detail }: { detail: CapabilityDetail }) {
  if (detail.dependencies.length === 0) {
    return <PanelEmpty icon={<LayersIcon />} title="No dependencies" description={`${detail.name} stands alone: installing it installs nothing else.`} />;
  }
  return (
    <section aria-labelledby="deps-title">
      <SectionTitle id="deps-title" description="Required dependencies are installed along with it (or reused when the agent already has a matching version). You consent to each one's permissions on the install screen.">
        {detail.dependencies.length} dependenc{detail.dependencies.length === 1 ? "y" : "ies"}
      </SectionTitle>
      <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-surface shadow-card">
        {detail.dependencies.map((d) => (
          <li key={d.slug} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid={`dependency-${d.slug}`}>
            {d.available ? (
              <Link href={`/marketplace/${d.slug}`} className="font-mono text-[13px] font-medium text-fg hover:text-accent hover:underline">
                {d.slug}
              </Link>
            ) : (
              <span className="font-mono text-[13px] font-medium text-fg-muted">{d.slug}</span>
            )}
            <Badge mono>{d.version}</Badge>
            {d.optional ? <Badge>Optional: not installed automatically</Badge> : <Badge tone="info">Required</Badge>}
            {!d.available && <Badge tone="danger">Not available to you</Badge>}
          </li>
        ))}
      </ul>
    </section>
  );
}

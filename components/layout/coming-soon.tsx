// The honest empty state of a section whose feature lands later: what the page will hold,
// what people will do here, and where to go meanwhile. No invented data.
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { PageContainer } from "./page-container";

export interface ComingSoonPoint {
  icon: ReactNode;
  title: string;
  body: string;
}

export function ComingSoon({ title, description, emptyIcon, emptyTitle, emptyDescription, points, actions }: { title: string; description: string; emptyIcon: ReactNode; emptyTitle: string; emptyDescription: string; points: ComingSoonPoint[]; actions?: ReactNode }) {
  return (
    <PageContainer>
      <PageHeader
        title={
          <span className="flex items-center gap-2.5">
            {title}
            <Badge tone="accent">Coming soon</Badge>
          </span>
        }
        description={description}
      />
      <Card className="mt-6 overflow-hidden">
        <div className="bg-[radial-gradient(ellipse_at_top,var(--accent-soft),transparent_65%)]">
          <EmptyState icon={emptyIcon} title={emptyTitle} description={emptyDescription} actions={actions} className="py-14" />
        </div>
        <ul className="grid border-t border-border sm:grid-cols-3">
          {points.map((p) => (
            <li key={p.title} className="border-border px-5 py-5 not-first:border-t sm:not-first:border-t-0 sm:not-first:border-l">
              <div className="flex items-center gap-2 text-[13.5px] font-medium text-fg">
                <span className="text-accent [&>svg]:size-4">{p.icon}</span>
                {p.title}
              </div>
              <p className="mt-1.5 text-[13px] leading-relaxed text-fg-muted">{p.body}</p>
            </li>
          ))}
        </ul>
      </Card>
    </PageContainer>
  );
}

// While the executions page loads on the server: its frame with skeleton rows.
import { PageContainer } from "@/components/layout/page-container";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { ExecutionsTableSkeleton } from "./executions-table";

export default function ExecutionsLoading() {
  return (
    <PageContainer wide>
      <PageHeader title="Executions" description="Every run of an installed action: its status, how long it took, and everything it did." />
      <div className="mt-6 flex gap-3 rounded-xl border border-border bg-surface px-4 py-4 shadow-card">
        <Skeleton className="h-8 w-44" />
        <Skeleton className="h-8 w-44" />
        <Skeleton className="h-8 w-44" />
      </div>
      <div className="mt-4 overflow-hidden rounded-xl border border-border bg-surface shadow-card">
        <ExecutionsTableSkeleton />
      </div>
    </PageContainer>
  );
}

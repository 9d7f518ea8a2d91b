// While the policy rules page loads on the server: its frame with skeleton rules.
import { PageContainer } from "@/components/layout/page-container";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function PolicyRulesLoading() {
  return (
    <PageContainer wide className="max-w-[1400px]">
      <Skeleton className="mb-3 h-3.5 w-36" />
      <PageHeader title="Policy rules" description="Before anything runs, the gate checks these rules top to bottom and the first that matches decides." />
      <div className="mt-6 grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_380px]" aria-busy="true" aria-label="Loading the rules">
        <div className="space-y-6">
          <div className="rounded-xl border border-border bg-surface p-5 shadow-card">
            <Skeleton className="h-4 w-40" />
            {[0, 1, 2].map((i) => (
              <div key={i} className="mt-5 flex gap-3">
                <Skeleton className="size-6" />
                <div className="flex-1 space-y-2">
                  <Skeleton className="h-4 w-1/3" />
                  <Skeleton className="h-3.5 w-2/3" />
                </div>
              </div>
            ))}
          </div>
          <div className="rounded-xl border border-border bg-surface p-5 shadow-card">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="mt-4 h-64 w-full" />
          </div>
        </div>
        <div className="rounded-xl border border-border bg-surface p-5 shadow-card">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="mt-4 h-12 w-full" />
          <Skeleton className="mt-3 h-12 w-full" />
        </div>
      </div>
    </PageContainer>
  );
}

import { PlayIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ExecutionNotFound() {
  return (
    <PageContainer>
      <div className="mt-10 rounded-xl border border-dashed border-border-strong/70 bg-surface/60">
        <EmptyState
          className="py-16"
          icon={<PlayIcon />}
          title="No execution here"
          description="This execution does not exist, or it ran on someone else's agent: executions are visible to the agent's owner and to administrators."
          actions={<LinkButton href="/executions" variant="primary">All executions</LinkButton>}
        />
      </div>
    </PageContainer>
  );
}

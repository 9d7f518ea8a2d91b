import { BotIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function AgentNotFound() {
  return (
    <PageContainer>
      <div className="mt-10 rounded-xl border border-dashed border-border-strong/70 bg-surface/60">
        <EmptyState
          className="py-16"
          icon={<BotIcon />}
          title="No agent here"
          description="This agent does not exist, or it belongs to someone else: agents are visible only to their owner and to administrators."
          actions={<LinkButton href="/agents" variant="primary">Your agents</LinkButton>}
        />
      </div>
    </PageContainer>
  );
}

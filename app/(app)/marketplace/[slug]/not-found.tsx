import { StoreIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function CapabilityNotFound() {
  return (
    <PageContainer>
      <div className="mt-10 rounded-xl border border-dashed border-border-strong/70 bg-surface/60" data-testid="capability-not-found">
        <EmptyState
          className="py-16"
          icon={<StoreIcon />}
          title="No capability here"
          description="There is no capability at this address, or it is private to its publisher. It may have been renamed, or the link is old."
          actions={
            <>
              <LinkButton href="/marketplace" variant="primary">
                Browse the marketplace
              </LinkButton>
              <LinkButton href="/marketplace/upload">Upload a capability</LinkButton>
            </>
          }
        />
      </div>
    </PageContainer>
  );
}

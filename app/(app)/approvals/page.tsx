import type { Metadata } from "next";
import { ActivityIcon, CheckCircleIcon, InboxCheckIcon, ShieldIcon } from "@/components/icons";
import { ComingSoon } from "@/components/layout/coming-soon";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <ComingSoon
      title="Approvals"
      description="When policy says an agent's action needs a person, the request waits here until someone approves or denies it."
      emptyIcon={<InboxCheckIcon />}
      emptyTitle="Your inbox is clear"
      emptyDescription="Nothing is waiting for a decision. Requests appear here with who asked, what they want to run, and why policy stopped it."
      actions={<LinkButton href="/timeline?severity=security">Review security events</LinkButton>}
      points={[
        { icon: <ShieldIcon />, title: "Policy decides", body: "Rules route risky actions (new hosts, large spends, sensitive data) to a human instead of running them." },
        { icon: <CheckCircleIcon />, title: "Decide with context", body: "See the agent, the capability version, the exact inputs and the permissions involved before you answer." },
        { icon: <ActivityIcon />, title: "Every decision audited", body: "Approvals and denials are written to the hash-chained timeline with the reason you give." },
      ]}
    />
  );
}

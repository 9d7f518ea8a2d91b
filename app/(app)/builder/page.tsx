import type { Metadata } from "next";
import { BlocksIcon, CodeIcon, LayersIcon, ShieldIcon } from "@/components/icons";
import { ComingSoon } from "@/components/layout/coming-soon";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Builder" };

export default function BuilderPage() {
  return (
    <ComingSoon
      title="Builder"
      description="Write a capability: a manifest that declares what it needs, code that runs in an isolated sandbox, and tests. Then publish it to the marketplace."
      emptyIcon={<BlocksIcon />}
      emptyTitle="Nothing in the workshop yet"
      emptyDescription="Drafts you create will appear here, with their validation status, test runs and published versions."
      actions={<LinkButton href="/settings/tokens">Create an API token for CI</LinkButton>}
      points={[
        { icon: <CodeIcon />, title: "Manifest first", body: "Declare inputs, outputs and permissions; the manifest is validated as you type, with every problem named." },
        { icon: <ShieldIcon />, title: "Sandboxed test runs", body: "Code runs in an isolate with a memory limit and a wall-clock timeout, and only the host APIs it was granted." },
        { icon: <LayersIcon />, title: "Immutable versions", body: "Publishing freezes a version. Agents keep running the version they installed until someone upgrades." },
      ]}
    />
  );
}

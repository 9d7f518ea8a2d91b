import type { Metadata } from "next";
import { LayersIcon, SearchIcon, ShieldCheckIcon, StoreIcon } from "@/components/icons";
import { ComingSoon } from "@/components/layout/coming-soon";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Marketplace" };

export default function MarketplacePage() {
  return (
    <ComingSoon
      title="Marketplace"
      description="Discover the capabilities published in your organisation (connectors, actions and workflows) and install them on agents with exactly the permissions they ask for."
      emptyIcon={<StoreIcon />}
      emptyTitle="No capabilities published yet"
      emptyDescription="Once someone publishes a capability from the Builder, it is listed here with its permissions, versions and reviews, ready to install on an agent."
      actions={<LinkButton href="/builder" variant="primary">Open the Builder</LinkButton>}
      points={[
        { icon: <SearchIcon />, title: "Search and compare", body: "Filter by category, publisher and the permissions a capability needs; read the manifest before you install." },
        { icon: <ShieldCheckIcon />, title: "Permissions up front", body: "Every capability declares the hosts it calls, the secrets it reads and the data it touches. Nothing more is granted." },
        { icon: <LayersIcon />, title: "Pinned versions", body: "Install a specific version, read its changelog, and upgrade when you choose. Published versions never change." },
      ]}
    />
  );
}

import type { ReactNode } from "react";
import { PageContainer } from "@/components/layout/page-container";
import { PageHeader } from "@/components/ui/page-header";
import { TabsNav } from "@/components/ui/tabs-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <PageContainer className="max-w-5xl">
      <PageHeader title="Settings" description="Your profile, the organisation, and the API tokens that let scripts and agents act as you." />
      <div className="mt-5">
        <TabsNav
          label="Settings sections"
          tabs={[
            { href: "/settings", label: "General" },
            { href: "/settings/tokens", label: "API tokens" },
          ]}
        />
      </div>
      <div className="mt-6">{children}</div>
    </PageContainer>
  );
}

import type { Metadata } from "next";
import { BotIcon, KeyIcon, LockIcon, ShieldCheckIcon } from "@/components/icons";
import { ComingSoon } from "@/components/layout/coming-soon";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <ComingSoon
      title="Agents"
      description="The AI agents in your organisation, the capabilities installed on each, the permissions you granted them, and the secrets they may use."
      emptyIcon={<BotIcon />}
      emptyTitle="No agents registered"
      emptyDescription="Register an agent to give it capabilities from the marketplace. Each installation asks for consent to the permissions it needs."
      actions={<LinkButton href="/timeline">Watch the audit timeline</LinkButton>}
      points={[
        { icon: <ShieldCheckIcon />, title: "Consent per permission", body: "An installation grants only what its manifest asks for, and you can review or revoke each grant later." },
        { icon: <LockIcon />, title: "Encrypted secrets", body: "Configuration secrets are encrypted at rest and redacted from the audit log before it is written." },
        { icon: <KeyIcon />, title: "Invoke over the API", body: "Agents call actions with a token scoped to agents:invoke; every call is checked against policy first." },
      ]}
    />
  );
}

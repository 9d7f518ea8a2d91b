import type { Metadata } from "next";
import { CodeIcon, EyeIcon, LinkIcon, LockIcon } from "@/components/icons";
import { ComingSoon } from "@/components/layout/coming-soon";

export const metadata: Metadata = { title: "Snippets" };

export default function SnippetsPage() {
  return (
    <ComingSoon
      title="Snippets"
      description="Small front-end snippets (a chart, a widget, a form) that you can preview safely in a sandboxed frame and share with a link."
      emptyIcon={<CodeIcon />}
      emptyTitle="No snippets yet"
      emptyDescription="Snippets you save will be listed here with their runtime preset, detected dependencies and preview links."
      points={[
        { icon: <LockIcon />, title: "Sandboxed previews", body: "Previews run in an opaque origin under a strict Content-Security-Policy, so they cannot reach your session." },
        { icon: <EyeIcon />, title: "Pinned libraries", body: "Libraries come from this server with subresource integrity, never from a third-party CDN." },
        { icon: <LinkIcon />, title: "Share a link", body: "Send a preview link to a colleague; it expires when you say and can be revoked at any time." },
      ]}
    />
  );
}

"use client";
// The share link of a preview: copy it (absolute, for chat), see when it expires, revoke it.
import { useState, useSyncExternalStore } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

const noSubscription = () => () => {};

export function PreviewShare({ previewId, shareUrl, expiresAt, revokedAt }: { previewId: string; shareUrl: string | null; expiresAt: string; revokedAt: string | null }) {
  const [state, setState] = useState<{ url: string | null; revokedAt: string | null; error: string | null; busy: boolean }>({ url: shareUrl, revokedAt, error: null, busy: false });
  // The page's origin is only known in the browser; the server renders the relative link
  // (useSyncExternalStore keeps hydration consistent, so the iframe is never re-created).
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => "");
  const absolute = state.url ? `${origin}${state.url}` : null;

  async function revoke() {
    setState((s) => ({ ...s, busy: true, error: null }));
    const res = await fetch(`/api/previews/${previewId}/revoke`, { method: "POST", headers: { accept: "application/json" } });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { detail?: string } | null;
      setState((s) => ({ ...s, busy: false, error: body?.detail ?? `revoke failed (${res.status})` }));
      return;
    }
    const body = (await res.json()) as { revokedAt: string | null };
    setState({ url: null, revokedAt: body.revokedAt, error: null, busy: false });
  }

  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-border bg-surface px-4 py-3 text-[13px]" data-testid="preview-share">
      <span className="font-medium">Share link</span>
      {absolute ? (
        <>
          <code className="min-w-0 flex-1 truncate text-fg-muted" data-testid="share-url">
            {absolute}
          </code>
          <span className="text-fg-subtle">expires {expiresAt.slice(0, 10)}</span>
          <CopyButton value={absolute} size="sm" label="Copy link" />
          <Button size="sm" variant="danger-ghost" onClick={revoke} disabled={state.busy}>
            Revoke
          </Button>
        </>
      ) : (
        <Badge tone="warning">{state.revokedAt ? `revoked ${state.revokedAt.slice(0, 10)}` : "expired"}</Badge>
      )}
      {state.error && <span className="text-danger">{state.error}</span>}
    </div>
  );
}

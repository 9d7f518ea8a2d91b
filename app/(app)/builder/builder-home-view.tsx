"use client";
// The Builder home's view: two lists (drafts, capabilities) with their empty states, and
// deleting a draft (after a confirmation) without leaving the page.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { BlocksIcon, CodeIcon, PlusIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { METHOD_LABELS } from "@/components/builder/wizard/method-switch";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import type { BuilderMethod } from "@/lib/builder/draft/draft-state";
import type { DraftSummary } from "@/lib/builder/draft/list-drafts";
import type { MyCapability } from "@/lib/builder/publish/load-builder-capability";

export function BuilderHomeView({ drafts, capabilities }: { drafts: DraftSummary[]; capabilities: MyCapability[] }) {
  const router = useRouter();
  const [confirm, setConfirm] = useState<DraftSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    if (!confirm) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/builder/drafts/${confirm.id}`, { method: "DELETE" });
      setConfirm(null);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const empty = drafts.length === 0 && capabilities.length === 0;
  return (
    <PageContainer>
      <PageHeader
        title="Builder"
        description="Create capabilities visually, in code, from an API description or from a manifest file; test them in the sandbox and publish them."
        actions={
          <LinkButton href="/builder/new" variant="primary" icon={<PlusIcon className="size-4" />}>
            New capability
          </LinkButton>
        }
      />
      {empty ? (
        <Card className="mt-6">
          <EmptyState
            icon={<BlocksIcon />}
            title="Nothing in the workshop yet"
            description="Start a capability: draw a flow, write code, describe an API or upload a manifest. Drafts save themselves as you work."
            actions={
              <LinkButton href="/builder/new" variant="primary" icon={<PlusIcon className="size-4" />}>
                New capability
              </LinkButton>
            }
          />
        </Card>
      ) : (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <Card aria-labelledby="drafts-heading">
            <CardHeader id="drafts-heading" title="My drafts" description="Saved automatically as you edit." />
            {drafts.length === 0 ? (
              <p className="px-5 pb-5 text-[13px] text-fg-muted">No drafts. Start one with New capability.</p>
            ) : (
              <ul className="divide-y divide-border" aria-label="My drafts">
                {drafts.map((d) => (
                  <li key={d.id} className="flex items-center gap-3 px-5 py-3">
                    <div className="min-w-0 flex-1">
                      <Link href={`/builder/new?draft=${encodeURIComponent(d.id)}`} className="block truncate text-[13.5px] font-medium text-fg hover:underline">
                        {d.name.trim() || "Untitled capability"}
                      </Link>
                      <p className="mt-0.5 flex flex-wrap items-center gap-2 text-[12px] text-fg-muted">
                        <Badge>{METHOD_LABELS[d.method as BuilderMethod]?.label ?? d.method}</Badge>
                        {d.slug && <span className="font-mono">{d.slug}</span>}
                        <span>
                          saved <RelativeTime iso={d.updatedAt} />
                        </span>
                      </p>
                    </div>
                    <Button size="sm" variant="danger-ghost" aria-label={`Delete draft ${d.name || "Untitled capability"}`} onClick={() => setConfirm(d)}>
                      Delete
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card aria-labelledby="caps-heading">
            <CardHeader id="caps-heading" title="My capabilities" description="Published or registered by you." />
            {capabilities.length === 0 ? (
              <p className="px-5 pb-5 text-[13px] text-fg-muted">None yet: publish a draft to see it here.</p>
            ) : (
              <ul className="divide-y divide-border" aria-label="My capabilities">
                {capabilities.map((c) => (
                  <li key={c.slug} className="flex items-center gap-3 px-5 py-3">
                    <span className="grid size-8 shrink-0 place-items-center rounded-md border border-border bg-surface-2" aria-hidden="true">
                      {c.icon}
                    </span>
                    <div className="min-w-0 flex-1">
                      <Link href={`/marketplace/${encodeURIComponent(c.slug)}`} className="block truncate text-[13.5px] font-medium text-fg hover:underline">
                        {c.name}
                      </Link>
                      <p className="mt-0.5 flex flex-wrap items-center gap-2 text-[12px] text-fg-muted">
                        <span className="font-mono">{c.slug}</span>
                        <span>{c.latestVersion ? `v${c.latestVersion}` : "no version yet"}</span>
                        <Badge tone={c.visibility === "public" ? "info" : "neutral"}>{c.visibility}</Badge>
                      </p>
                    </div>
                    <LinkButton size="sm" href={`/builder/${encodeURIComponent(c.slug)}`} icon={<CodeIcon className="size-3.5" />} aria-label={`New version of ${c.name}`}>
                      New version
                    </LinkButton>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        dismissible={!busy}
        size="sm"
        title="Delete this draft?"
        description={`“${confirm?.name.trim() || "Untitled capability"}” is removed for good. Published versions are not affected.`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)} disabled={busy}>
              Cancel
            </Button>
            <Button variant="danger" onClick={remove} loading={busy}>
              Delete draft
            </Button>
          </>
        }
      >
        {error && <Alert tone="danger">{error}</Alert>}
      </Dialog>
    </PageContainer>
  );
}

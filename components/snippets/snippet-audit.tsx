"use client";
// The Audit tab: GET /api/snippets/:id/audit — the snippet's events oldest first with the
// seed's names (SNIPPET_CREATED … SNIPPET_USED_IN_TASK), their level and the preview or
// task they concern. Reloaded when the snippet's version changes and on demand.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import type { SnippetAuditItem } from "@/lib/snippets/list-snippet-audit";

const LEVEL_TONE: Record<string, BadgeTone> = { info: "neutral", warn: "warning", error: "danger", security: "security" };

function summary(e: SnippetAuditItem): string {
  const p = e.payload;
  const s = (k: string) => (typeof p[k] === "string" || typeof p[k] === "number" ? String(p[k]) : "");
  switch (e.type) {
    case "SNIPPET_CREATED":
      return `“${s("title")}” (${s("language")}, ${s("size")} bytes)`;
    case "SNIPPET_UPDATED":
      return `v${s("version")}: ${Array.isArray(p.fields) ? p.fields.join(", ") : ""}`;
    case "SNIPPET_DELETED":
      return `at v${s("version")}`;
    case "PREVIEW_SESSION_CREATED":
      return `preset ${s("preset")}${Array.isArray(p.deps) && p.deps.length ? ` with ${p.deps.join(", ")}` : ""}`;
    case "PREVIEW_DEP_INJECTED":
      return `${s("depId")}@${s("version")}${p.autoInjected ? " (detected)" : ""}`;
    case "PREVIEW_SESSION_OPENED":
      return `via ${s("via")}${s("userAgent") ? ` · ${s("userAgent").slice(0, 60)}` : ""}`;
    case "TASK_MATERIALIZED_FROM_SNIPPET":
    case "SNIPPET_USED_IN_TASK":
      return `task at v${s("snippetVersion")}`;
    default:
      return "";
  }
}

export function SnippetAudit({ snippetId, version }: { snippetId: string; version: number }) {
  const [items, setItems] = useState<SnippetAuditItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await apiFetch<{ items: SnippetAuditItem[]; nextCursor: string | null }>(`/api/snippets/${snippetId}/audit${after ? `?cursor=${after}` : ""}`);
        setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setLoading(false);
      }
    },
    [snippetId],
  );

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading the trail is the effect's job
    void load(null);
  }, [load, version]);

  return (
    <div data-testid="snippet-audit">
      <div className="mb-3 flex items-center justify-between">
        <p className="text-[12.5px] text-fg-muted">Every change, preview and task of this snippet, from the event log.</p>
        <Button size="sm" variant="ghost" onClick={() => void load(null)} loading={loading && items !== null}>
          Refresh
        </Button>
      </div>
      {error && <Alert tone="danger">{error}</Alert>}
      {items === null && !error ? (
        <div className="space-y-2">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </div>
      ) : items && items.length === 0 ? (
        <p className="text-[13px] text-fg-muted">No events yet.</p>
      ) : (
        <ol className="divide-y divide-border rounded-lg border border-border">
          {items?.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-2 px-3 py-2 text-[13px]" data-testid="audit-item" data-type={e.type}>
              <span className="w-12 shrink-0 font-mono text-[11.5px] text-fg-subtle">#{e.seq}</span>
              <Badge tone={LEVEL_TONE[e.level] ?? "neutral"} mono>
                {e.type}
              </Badge>
              <span className="min-w-0 flex-1 truncate text-fg-muted">{summary(e)}</span>
              {e.previewId && (
                <Link href={`/previews/${e.previewId}`} className="font-mono text-[11.5px] text-accent hover:underline">
                  {e.previewId.slice(0, 12)}…
                </Link>
              )}
              {e.taskId && <span className="font-mono text-[11.5px] text-fg-subtle">{e.taskId.slice(0, 12)}…</span>}
              <RelativeTime iso={e.createdAt} className="text-[12px] text-fg-subtle" />
            </li>
          ))}
        </ol>
      )}
      {cursor && (
        <Button className="mt-3" size="sm" onClick={() => void load(cursor)} loading={loading}>
          Load more
        </Button>
      )}
    </div>
  );
}

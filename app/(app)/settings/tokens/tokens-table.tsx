"use client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { formatAbsolute, formatRelative, formatUntil, useNow } from "@/components/ui/relative-time";
import type { TokenRecord } from "@/lib/auth/api-tokens";
import { STATUS_META, tokenStatus } from "./token-status";

const MAX_SCOPE_BADGES = 3;

export function TokensTable({ tokens, onRevoke }: { tokens: TokenRecord[]; onRevoke: (t: TokenRecord) => void }) {
  const now = useNow();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[13px]">
        <thead className="border-b border-border bg-surface-2/60 text-xs text-fg-subtle">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">Name</th>
            <th scope="col" className="px-3 py-2 font-medium">Scopes</th>
            <th scope="col" className="px-3 py-2 font-medium">Created</th>
            <th scope="col" className="px-3 py-2 font-medium">Last used</th>
            <th scope="col" className="px-3 py-2 font-medium">Expires</th>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="px-5 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {tokens.map((t) => {
            const status = tokenStatus(t, now);
            const inactive = status !== "active";
            const extra = t.scopes.length - MAX_SCOPE_BADGES;
            return (
              <tr key={t.id} data-testid="token-row" data-token-id={t.id} data-status={status} className={cx("align-middle", inactive && "text-fg-subtle")}>
                <td className="px-5 py-3">
                  <p className={cx("font-medium", inactive ? "text-fg-muted" : "text-fg")}>{t.name}</p>
                  <code className="font-mono text-xs text-fg-subtle">{t.prefix}…</code>
                </td>
                <td className="px-3 py-3">
                  <div className="flex max-w-[320px] flex-wrap gap-1">
                    {t.scopes.slice(0, MAX_SCOPE_BADGES).map((s) => (
                      <Badge key={s} mono tone={s === "admin" ? "security" : "neutral"}>
                        {s}
                      </Badge>
                    ))}
                    {extra > 0 && (
                      <Badge tone="neutral" title={t.scopes.slice(MAX_SCOPE_BADGES).join(", ")}>
                        +{extra} more
                      </Badge>
                    )}
                  </div>
                </td>
                <td className="px-3 py-3 whitespace-nowrap text-fg-muted">
                  <TimeCell iso={t.createdAt} now={now} />
                </td>
                <td className="px-3 py-3 whitespace-nowrap text-fg-muted">{t.lastUsedAt ? <TimeCell iso={t.lastUsedAt} now={now} /> : <span className="text-fg-subtle">Never</span>}</td>
                <td className="px-3 py-3 whitespace-nowrap text-fg-muted">
                  {inactive ? (
                    <span className="text-fg-subtle" title={t.revokedAt && now !== null ? `Revoked ${formatAbsolute(t.revokedAt)}` : undefined}>
                      —
                    </span>
                  ) : t.expiresAt ? (
                    <time dateTime={t.expiresAt} title={now === null ? undefined : formatAbsolute(t.expiresAt)}>
                      {now === null ? "\u00a0" : formatUntil(t.expiresAt, now)}
                    </time>
                  ) : (
                    <span className="text-fg-subtle">Never</span>
                  )}
                </td>
                <td className="px-3 py-3">
                  <Badge dot tone={STATUS_META[status].tone}>
                    {STATUS_META[status].label}
                  </Badge>
                </td>
                <td className="px-5 py-3 text-right">
                  {status === "active" && (
                    <Button size="sm" variant="danger-ghost" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TimeCell({ iso, now }: { iso: string; now: number | null }) {
  return (
    <time dateTime={iso} title={now === null ? undefined : formatAbsolute(iso)}>
      {now === null ? "\u00a0" : formatRelative(iso, now)}
    </time>
  );
}

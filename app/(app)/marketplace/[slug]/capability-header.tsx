"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId } from "react";
import { PlusIcon } from "@/components/icons";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { categoryLabel, formatCount, typeLabel } from "@/components/marketplace/format";
import { DownloadIcon } from "@/components/marketplace/marketplace-icons";
import { RatingStars } from "@/components/marketplace/rating-stars";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { VerifiedMark } from "@/components/marketplace/verified-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Select } from "@/components/ui/select";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";

export function versionOptionLabel(v: CapabilityDetail["versions"][number], latest: string | null): string {
  const notes = [v.version === latest ? "latest" : null, v.status !== "published" ? v.status : null, v.reviewState === "in_review" ? "in review" : v.reviewState === "rejected" ? "rejected" : null, v.visibility === "private" ? "private" : null].filter(Boolean);
  return notes.length ? `${v.version} · ${notes.join(", ")}` : v.version;
}

export function CapabilityHeader({ detail, onInstall, onShowReviews }: { detail: CapabilityDetail; onInstall: () => void; onShowReviews: () => void }) {
  const router = useRouter();
  const versionId = useId();
  const v = detail.version;
  const installBlocked = !v ? "Not published yet: there is no version to install." : v.status === "yanked" ? `Version ${v.version} was yanked: choose another version to install.` : null;

  const goToVersion = (version: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set("version", version);
    router.push(url.pathname + url.search);
  };

  return (
    <header className="flex flex-col gap-5 md:flex-row md:items-start md:justify-between" data-testid="capability-header">
      <div className="flex min-w-0 gap-4">
        <CapabilityIcon icon={detail.icon} size="lg" />
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-2.5 gap-y-1.5">
            <h1 className="text-[22px] font-semibold tracking-tight text-fg">{detail.name}</h1>
            {v && <Badge mono>v{v.version}</Badge>}
            <RiskBadge risk={detail.risk} />
            <Badge>{typeLabel(detail.type)}</Badge>
            {detail.isBuiltin && <Badge tone="accent">Built-in</Badge>}
            {detail.visibility === "private" && <Badge tone="neutral">Private</Badge>}
            {v?.status === "deprecated" && <Badge tone="warning">Deprecated</Badge>}
            {v?.status === "yanked" && <Badge tone="danger">Yanked</Badge>}
            {!v && <Badge tone="info">Draft</Badge>}
          </div>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px] text-fg-muted">
            <span className="inline-flex items-center gap-1" data-testid="capability-publisher">
              by <span className="font-medium text-fg">{detail.publisher.name}</span>
              {detail.publisher.verified && (
                <span className="inline-flex items-center gap-1 text-info">
                  <VerifiedMark />
                  <span className="text-[12px] font-medium">Verified publisher</span>
                </span>
              )}
            </span>
            <span aria-hidden className="text-fg-subtle">·</span>
            <Link href={`/marketplace?category=${detail.category}`} className="hover:text-fg hover:underline">
              {categoryLabel(detail.category)}
            </Link>
            {v && (
              <>
                <span aria-hidden className="text-fg-subtle">·</span>
                <span>
                  published <RelativeTime iso={v.publishedAt} />
                </span>
              </>
            )}
          </p>
          <p className="mt-2 max-w-3xl text-[14px] leading-relaxed text-fg-muted">{detail.summary}</p>
          <div className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2 text-[13px]">
            <button type="button" onClick={onShowReviews} className="inline-flex items-center gap-1.5 rounded hover:underline" data-testid="capability-rating">
              <RatingStars value={detail.rating.average} size="sm" />
              {detail.rating.count ? (
                <>
                  <span className="font-semibold text-fg tabular-nums">{detail.rating.average?.toFixed(1)}</span>
                  <span className="text-fg-subtle">
                    ({detail.rating.count} review{detail.rating.count === 1 ? "" : "s"})
                  </span>
                </>
              ) : (
                <span className="text-fg-subtle">No reviews yet</span>
              )}
            </button>
            <span className="inline-flex items-center gap-1.5 text-fg-muted" data-testid="capability-installs">
              <DownloadIcon className="size-4 text-fg-subtle" />
              <span className="font-semibold text-fg tabular-nums">{formatCount(detail.installs)}</span> install{detail.installs === 1 ? "" : "s"}
            </span>
          </div>
        </div>
      </div>

      <div className="flex shrink-0 flex-col gap-2 md:w-56">
        <Button variant="primary" className="h-10 w-full text-[14px]" icon={<PlusIcon className="size-4" />} onClick={onInstall} disabled={!!installBlocked} title={installBlocked ?? undefined} data-testid="install-button">
          Install{v ? ` v${v.version}` : ""}
        </Button>
        {installBlocked && <p className="text-[12px] text-fg-subtle">{installBlocked}</p>}
        {detail.versions.length > 0 && (
          <div>
            <label htmlFor={versionId} className="sr-only">
              Version
            </label>
            <Select id={versionId} selectSize="sm" value={v?.version ?? ""} onChange={(e) => goToVersion(e.target.value)} data-testid="version-select">
              {!v && <option value="">Draft</option>}
              {detail.versions.map((ver) => (
                <option key={ver.version} value={ver.version}>
                  {versionOptionLabel(ver, detail.latestVersion)}
                </option>
              ))}
            </Select>
          </div>
        )}
      </div>
    </header>
  );
}

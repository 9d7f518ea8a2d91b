import Link from "next/link";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { categoryLabel, formatCount, typeLabel } from "@/components/marketplace/format";
import { RatingSummary } from "@/components/marketplace/rating-stars";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { PublisherName } from "@/components/marketplace/verified-badge";
import { DownloadIcon, GlobeIcon } from "@/components/marketplace/marketplace-icons";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import type { CapabilityCard as CardData } from "@/lib/marketplace/search-capabilities";

export function CapabilityCard({ card, href }: { card: CardData; href: string }) {
  return (
    <li data-testid="capability-card" data-slug={card.slug} className="group relative flex flex-col rounded-xl border border-border bg-surface p-4 shadow-card transition-[border-color,box-shadow] hover:border-border-strong hover:shadow-pop focus-within:ring-2 focus-within:ring-ring">
      <div className="flex items-start gap-3">
        <CapabilityIcon icon={card.icon} />
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-[14.5px] font-semibold tracking-tight text-fg">
            {/* The link covers the card (after:inset-0) so the whole card is one target. */}
            <Link href={href} className="outline-none after:absolute after:inset-0 after:rounded-xl" data-testid="capability-card-link">
              {card.name}
            </Link>
          </h3>
          <p className="mt-0.5 flex min-w-0 items-center gap-1.5 text-[12.5px] text-fg-muted">
            <PublisherName name={card.publisher.name} verified={card.publisher.verified} />
            <span aria-hidden className="text-fg-subtle">·</span>
            <span className="shrink-0">{categoryLabel(card.category)}</span>
          </p>
        </div>
        {card.visibility === "private" && <Badge tone="neutral">Private</Badge>}
      </div>
      <p className="mt-3 line-clamp-2 min-h-[2lh] text-[13px] leading-relaxed text-fg-muted">{card.summary}</p>
      <div className="mt-3 flex flex-wrap items-center gap-1.5">
        <RiskBadge risk={card.risk} />
        <Badge>{typeLabel(card.type)}</Badge>
        {card.needsNetwork ? (
          <Badge tone="info" title="Calls services on the internet">
            <GlobeIcon className="size-3" />
            Network
          </Badge>
        ) : (
          <Badge title="Works without network access">Offline</Badge>
        )}
      </div>
      <div className="mt-auto pt-3.5">
      <div className="flex items-center justify-between gap-3 border-t border-border pt-3 text-[12.5px]">
        <RatingSummary average={card.rating.average} count={card.rating.count} />
        <span className="flex items-center gap-3 text-fg-subtle">
          <span className="inline-flex items-center gap-1 tabular-nums" title={`${card.installs} installation${card.installs === 1 ? "" : "s"}`}>
            <DownloadIcon className="size-3.5" />
            {formatCount(card.installs)}
          </span>
          {card.latestVersion && <span className="font-mono text-[11.5px]">v{card.latestVersion}</span>}
        </span>
      </div>
      </div>
    </li>
  );
}

export function CapabilityCardSkeleton() {
  return (
    <li aria-hidden className="flex flex-col rounded-xl border border-border bg-surface p-4 shadow-card">
      <div className="flex items-start gap-3">
        <Skeleton className="size-11 rounded-xl" />
        <div className="flex-1 space-y-2 pt-1">
          <Skeleton className="h-3.5 w-2/3" />
          <Skeleton className="h-3 w-1/2" />
        </div>
      </div>
      <Skeleton className="mt-4 h-3 w-full" />
      <Skeleton className="mt-2 h-3 w-4/5" />
      <div className="mt-4 flex gap-1.5">
        <Skeleton className="h-5 w-20" />
        <Skeleton className="h-5 w-16" />
      </div>
      <div className="mt-4 flex justify-between border-t border-border pt-3">
        <Skeleton className="h-3 w-24" />
        <Skeleton className="h-3 w-12" />
      </div>
    </li>
  );
}

"use client";
// Ratings and reviews: the average with its histogram, the viewer's own review (written or
// edited in place: one per person; publishers cannot review their own), and the latest
// reviews with "Show more" paging through the API.
import { useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { MessageIcon } from "@/components/marketplace/marketplace-icons";
import { RatingStars, StarInput } from "@/components/marketplace/rating-stars";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FieldMessage, Label } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import type { ReviewRecord } from "@/lib/marketplace/list-reviews";
import { SectionTitle } from "./section-title";

export function ReviewsTab({ detail, viewerId, onChanged }: { detail: CapabilityDetail; viewerId: string; onChanged: () => void }) {
  // Pages loaded beyond the first reviews; fresh server data (a new detail.reviews) starts over.
  const [paged, setPaged] = useState<{ source: ReviewRecord[]; extra: ReviewRecord[]; cursor: string | null | undefined }>({ source: detail.reviews, extra: [], cursor: undefined });
  const { extra, cursor } = paged.source === detail.reviews ? paged : { extra: [] as ReviewRecord[], cursor: undefined };
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const shownIds = new Set(detail.reviews.map((r) => r.id));
  const reviews = [...detail.reviews, ...extra.filter((r) => !shownIds.has(r.id))];
  const hasMore = cursor === undefined ? detail.rating.count > detail.reviews.length : cursor !== null;

  async function loadMore() {
    setLoading(true);
    setLoadError(null);
    try {
      const qs = new URLSearchParams({ limit: "20" });
      if (cursor) qs.set("cursor", cursor);
      const page = await apiFetch<{ items: ReviewRecord[]; nextCursor: string | null }>(`/api/capabilities/${encodeURIComponent(detail.slug)}/reviews?${qs}`);
      setPaged({ source: detail.reviews, extra: [...extra, ...page.items.filter((r) => !extra.some((x) => x.id === r.id))], cursor: page.nextCursor });
    } catch (err) {
      setLoadError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }

  const { average, count, histogram } = detail.rating;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 md:grid-cols-[220px_minmax(0,1fr)]">
        <Card className="px-5 py-4" data-testid="rating-summary">
          {average !== null ? <p className="text-[34px] leading-none font-semibold tracking-tight text-fg tabular-nums">{average.toFixed(1)}</p> : <p className="text-[15px] leading-[34px] font-medium text-fg-muted">No ratings yet</p>}
          <RatingStars value={average} size="md" className="mt-2" />
          <p className="mt-1 text-[12.5px] text-fg-subtle">
            {count} review{count === 1 ? "" : "s"}
          </p>
          <ul className="mt-4 space-y-1">
            {(["5", "4", "3", "2", "1"] as const).map((k) => {
              const n = histogram[k];
              return (
                <li key={k} className="flex items-center gap-2 text-[12px] text-fg-muted">
                  <span className="w-3 tabular-nums">{k}</span>
                  <span className="h-1.5 flex-1 overflow-hidden rounded-full bg-surface-3">
                    <span className="block h-full rounded-full bg-amber-400" style={{ width: `${count ? (n / count) * 100 : 0}%` }} />
                  </span>
                  <span className="w-6 text-right tabular-nums">{n}</span>
                </li>
              );
            })}
          </ul>
        </Card>
        {detail.viewer.canReview ? (
          <ReviewForm slug={detail.slug} mine={detail.myReview} onSaved={onChanged} />
        ) : (
          <Card className="flex items-center px-5 py-4 text-[13px] text-fg-muted">You publish this capability. Publishers can read reviews here but cannot review their own work.</Card>
        )}
      </div>

      <section aria-labelledby="reviews-title">
        <SectionTitle id="reviews-title">Reviews</SectionTitle>
        {reviews.length === 0 ? (
          <div className="flex items-center gap-3 rounded-xl border border-dashed border-border-strong/70 px-4 py-6 text-[13px] text-fg-muted">
            <MessageIcon className="size-5 text-fg-subtle" />
            No reviews yet. {detail.viewer.canReview ? "Installed it? Be the first to say how it went." : ""}
          </div>
        ) : (
          <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-surface shadow-card" data-testid="review-list">
            {reviews.map((r) => (
              <li key={r.id} className="px-4 py-3.5" data-testid="review">
                <div className="flex flex-wrap items-center gap-2">
                  <RatingStars value={r.rating} size="xs" />
                  <span className="text-[13px] font-medium text-fg">{r.author.name}</span>
                  {r.author.id === viewerId && <Badge tone="accent">You</Badge>}
                  <span className="ml-auto text-[12px] text-fg-subtle">
                    <RelativeTime iso={r.updatedAt} />
                    {r.updatedAt !== r.createdAt && " · edited"}
                  </span>
                </div>
                {r.body && <p className="mt-1.5 text-[13.5px] leading-relaxed whitespace-pre-line text-fg">{r.body}</p>}
              </li>
            ))}
          </ul>
        )}
        {loadError && <Alert tone="danger" className="mt-3">{loadError}</Alert>}
        {hasMore && (
          <div className="mt-3 flex justify-center">
            <Button size="sm" onClick={loadMore} loading={loading}>
              Show more reviews
            </Button>
          </div>
        )}
      </section>
    </div>
  );
}

function ReviewForm({ slug, mine, onSaved }: { slug: string; mine: CapabilityDetail["myReview"]; onSaved: () => void }) {
  const toast = useToast();
  const [rating, setRating] = useState(mine?.rating ?? 0);
  const [body, setBody] = useState(mine?.body ?? "");
  const [errors, setErrors] = useState<{ rating?: string; body?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!rating) {
      setErrors({ rating: "Choose from 1 to 5 stars." });
      return;
    }
    setPending(true);
    setErrors({});
    try {
      await apiFetch(`/api/capabilities/${encodeURIComponent(slug)}/reviews`, { method: "POST", json: { rating, body: body.trim() } });
      toast.success(mine ? "Review updated" : "Thanks for your review");
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && (err.fieldError("rating") || err.fieldError("body"))) setErrors({ rating: err.fieldError("rating"), body: err.fieldError("body") });
      else setErrors({ form: errorMessage(err) });
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="px-5 py-4">
      <form onSubmit={submit} noValidate data-testid="review-form">
        <p className="text-[14px] font-semibold text-fg">{mine ? "Your review" : "Write a review"}</p>
        <p className="text-[12.5px] text-fg-muted">{mine ? "Change it whenever your opinion does; it replaces what you wrote." : "One review per person. Say what you used it for and how it went."}</p>
        {errors.form && <Alert tone="danger" className="mt-3">{errors.form}</Alert>}
        <div className="mt-3">
          <StarInput name="review-rating" value={rating} onChange={(v) => {
            setRating(v);
            setErrors((x) => ({ ...x, rating: undefined }));
          }} disabled={pending} />
          <FieldMessage id="review-rating-message" error={errors.rating} />
        </div>
        <Label htmlFor="review-body" className="sr-only">
          Review
        </Label>
        <textarea id="review-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} placeholder="What worked, what didn't (optional)" className={`${controlClasses} mt-3 py-2`} data-testid="review-body" />
        <FieldMessage id="review-body-message" error={errors.body} />
        <div className="mt-3 flex justify-end">
          <Button type="submit" variant="primary" size="sm" loading={pending} data-testid="review-submit">
            {mine ? "Update review" : "Post review"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

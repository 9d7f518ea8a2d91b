"use client";
import { useState } from "react";
import { cx } from "@/components/ui/cx";

const STAR = "M12 2.8l2.8 5.8 6.3.9-4.6 4.4 1.1 6.3L12 17.2l-5.6 3 1.1-6.3L2.9 9.5l6.3-.9z";

function Star({ fill, className }: { fill: number; className: string }) {
  // fill: 0..1, drawn with a clip so averages show as partial stars.
  const pct = Math.round(Math.max(0, Math.min(1, fill)) * 100);
  return (
    <span aria-hidden className={cx("relative inline-block shrink-0", className)}>
      <svg viewBox="0 0 24 24" className="absolute inset-0 size-full text-surface-3">
        <path d={STAR} fill="currentColor" />
      </svg>
      <span className="absolute inset-y-0 left-0 overflow-hidden" style={{ width: `${pct}%` }}>
        <svg viewBox="0 0 24 24" className={cx("absolute top-0 left-0 max-w-none text-amber-400", className)}>
          <path d={STAR} fill="currentColor" />
        </svg>
      </span>
    </span>
  );
}

/** Five stars filled to `value` (an average from 1 to 5), with an accessible label. */
export function RatingStars({ value, size = "sm", className }: { value: number | null; size?: "xs" | "sm" | "md"; className?: string }) {
  const s = size === "xs" ? "size-3" : size === "sm" ? "size-3.5" : "size-4.5";
  const v = value ?? 0;
  return (
    <span role="img" aria-label={value === null ? "Not rated yet" : `${value.toFixed(1)} out of 5 stars`} className={cx("inline-flex items-center gap-px", className)}>
      {[0, 1, 2, 3, 4].map((i) => (
        <Star key={i} fill={v - i} className={s} />
      ))}
    </span>
  );
}

/** "★ 4.5 (12)" or "No ratings yet". */
export function RatingSummary({ average, count, className }: { average: number | null; count: number; className?: string }) {
  if (!count || average === null) return <span className={cx("text-fg-subtle", className)}>No ratings yet</span>;
  return (
    <span className={cx("inline-flex items-center gap-1.5", className)}>
      <RatingStars value={average} size="xs" />
      <span className="font-medium text-fg tabular-nums">{average.toFixed(1)}</span>
      <span className="text-fg-subtle tabular-nums">({count})</span>
    </span>
  );
}

/** A 1–5 star picker: radio buttons under the hood, so arrows and labels work. */
export function StarInput({ value, onChange, name, disabled }: { value: number; onChange: (v: number) => void; name: string; disabled?: boolean }) {
  const [hover, setHover] = useState(0);
  const shown = hover || value;
  const words = ["", "Poor", "Fair", "Good", "Very good", "Excellent"];
  return (
    <div className="flex items-center gap-3">
      <div role="radiogroup" aria-label="Rating" className="flex items-center" onMouseLeave={() => setHover(0)}>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={cx("cursor-pointer p-0.5", disabled && "pointer-events-none opacity-60")} onMouseEnter={() => setHover(n)}>
            <input type="radio" className="peer sr-only" name={name} value={n} checked={value === n} onChange={() => onChange(n)} disabled={disabled} aria-label={`${n} star${n === 1 ? "" : "s"}`} data-testid={`star-${n}`} />
            <span className="block rounded peer-focus-visible:outline-2 peer-focus-visible:outline-offset-1 peer-focus-visible:outline-ring">
              <Star fill={shown >= n ? 1 : 0} className="size-6" />
            </span>
          </label>
        ))}
      </div>
      <span className="text-[13px] text-fg-muted">{shown ? words[shown] : "Choose a rating"}</span>
    </div>
  );
}

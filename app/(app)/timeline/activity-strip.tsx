"use client";
// Events per time bucket over the loaded range, as a small bar chart: quiet stretches,
// bursts, and where security or error events cluster, at a glance.
import { useMemo } from "react";
import type { EventRecord } from "@/components/events/event-format";
import { useNow } from "@/components/ui/relative-time";

const BUCKETS = [
  { ms: 60_000, label: "1 min" },
  { ms: 5 * 60_000, label: "5 min" },
  { ms: 15 * 60_000, label: "15 min" },
  { ms: 60 * 60_000, label: "1 hour" },
  { ms: 6 * 60 * 60_000, label: "6 hours" },
  { ms: 24 * 60 * 60_000, label: "1 day" },
  { ms: 7 * 24 * 60 * 60_000, label: "1 week" },
];
const MAX_BARS = 60;
const ALERT = new Set(["warn", "error", "security"]);

export function ActivityStrip({ events }: { events: EventRecord[] }) {
  const now = useNow();
  const chart = useMemo(() => {
    if (now === null || events.length === 0) return null;
    const oldest = Math.min(...events.map((e) => Date.parse(e.createdAt)));
    const range = Math.max(now - oldest, 60_000);
    const bucket = BUCKETS.find((b) => range / b.ms <= MAX_BARS) ?? BUCKETS[BUCKETS.length - 1]!;
    const end = Math.ceil(now / bucket.ms) * bucket.ms;
    const count = Math.min(MAX_BARS, Math.max(30, Math.ceil((end - oldest) / bucket.ms)));
    const start = end - count * bucket.ms;
    const bars = Array.from({ length: count }, (_, i) => ({ from: start + i * bucket.ms, total: 0, alert: 0 }));
    for (const e of events) {
      const i = Math.floor((Date.parse(e.createdAt) - start) / bucket.ms);
      const bar = bars[i];
      if (!bar) continue;
      bar.total++;
      if (ALERT.has(e.severity)) bar.alert++;
    }
    const max = Math.max(1, ...bars.map((b) => b.total));
    return { bars, max, bucket };
  }, [events, now]);

  if (!chart) return <div className="h-9" aria-hidden />;
  const width = 100 / chart.bars.length;
  const fmt = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const peak = Math.max(...chart.bars.map((b) => b.total));
  return (
    <figure className="flex items-end gap-3" aria-label={`Activity: ${events.length} loaded events, up to ${peak} per ${chart.bucket.label}`}>
      <svg viewBox="0 0 100 32" preserveAspectRatio="none" className="h-9 min-w-0 flex-1" role="img" aria-hidden>
        {chart.bars.map((b, i) => {
          const h = b.total ? Math.max(2.5, (b.total / chart.max) * 30) : 1;
          const ah = b.alert ? Math.max(2, (b.alert / chart.max) * 30) : 0;
          return (
            <g key={b.from}>
              <title>{`${fmt(b.from)} · ${b.total} event${b.total === 1 ? "" : "s"}${b.alert ? ` (${b.alert} warn/error/security)` : ""}`}</title>
              <rect x={0} y={0} width={width} height={32} fill="transparent" transform={`translate(${i * width} 0)`} />
              <rect
                x={i * width + width * 0.15}
                y={32 - h}
                width={width * 0.7}
                height={h}
                rx={0.6}
                className={b.total ? "fill-accent/55" : "fill-border"}
              />
              {ah > 0 && <rect x={i * width + width * 0.15} y={32 - ah} width={width * 0.7} height={ah} rx={0.6} className="fill-security" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="shrink-0 text-right text-[11px] leading-tight text-fg-subtle">
        <span className="block font-medium text-fg-muted tabular-nums">{peak} / {chart.bucket.label}</span>
        <span className="block">peak</span>
      </figcaption>
    </figure>
  );
}

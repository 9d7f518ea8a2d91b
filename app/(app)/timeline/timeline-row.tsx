"use client";
import Link from "next/link";
import { memo } from "react";
import { actorLabel, severityMeta, shortId, subjectHref, summarizeEvent, type EventRecord, type PeopleDirectory } from "@/components/events/event-format";
import { EventIcon } from "@/components/events/event-icon";
import { BotIcon, CpuIcon, UserIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/relative-time";

const ACTOR_ICONS = { user: UserIcon, agent: BotIcon, system: CpuIcon } as const;

export interface TimelineRowProps {
  event: EventRecord;
  people: PeopleDirectory;
  selected: boolean;
  tabbable: boolean;
  fresh: boolean;
  onOpen: (event: EventRecord) => void;
  onFocusRow: (seq: number) => void;
}

export const TimelineRow = memo(function TimelineRow({ event, people, selected, tabbable, fresh, onOpen, onFocusRow }: TimelineRowProps) {
  const meta = severityMeta(event.severity);
  const ActorIcon = ACTOR_ICONS[event.actor.type as keyof typeof ACTOR_ICONS] ?? UserIcon;
  const href = subjectHref(event.subject, event);
  // An execution's events link to the execution's page, so name the execution, not the agent.
  const subjectLabel =
    event.streamType === "execution" ? `execution ${shortId(event.streamId)}` : event.subject ? `${event.subject.type} ${shortId(event.subject.id)}` : "";
  const summary = summarizeEvent(event);
  const actor = actorLabel(event.actor, people);
  return (
    <li
      data-testid="timeline-event"
      data-seq={event.seq}
      data-fresh={fresh || undefined}
      tabIndex={tabbable ? 0 : -1}
      aria-current={selected ? "true" : undefined}
      aria-label={`#${event.seq} ${event.type}: ${summary}, by ${actor}`}
      onClick={() => onOpen(event)}
      onFocus={() => onFocusRow(event.seq)}
      onKeyDown={(e) => {
        if ((e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) {
          e.preventDefault();
          onOpen(event);
        }
      }}
      className={cx(
        "group relative flex cursor-pointer items-start gap-3 border-b border-border py-3 pr-4 pl-5 outline-none",
        "focus-visible:z-10 focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
        selected ? "bg-accent-soft/70" : "hover:bg-surface-2/70",
        fresh && "animate-flash",
      )}
    >
      <span aria-hidden className={cx("absolute inset-y-0 left-0 w-[3px]", selected ? "bg-accent" : meta.bar, event.severity === "info" && !selected && "opacity-40")} />
      <EventIcon type={event.type} severity={event.severity} className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-2">
          <span className="truncate font-mono text-[12.5px] font-semibold text-fg">{event.type}</span>
          {event.severity !== "info" && (
            <Badge tone={meta.tone} className="h-[18px] px-1.5 text-[10.5px]">
              {meta.label}
            </Badge>
          )}
          {event.subject && (
            <span className="hidden min-w-0 items-center gap-1 text-xs text-fg-subtle sm:inline-flex">
              <span aria-hidden>→</span>
              {href ? (
                <Link href={href} tabIndex={-1} onClick={(e) => e.stopPropagation()} className="truncate font-mono text-[11.5px] hover:text-accent hover:underline">
                  {subjectLabel}
                </Link>
              ) : (
                <span className="truncate font-mono text-[11.5px]">{subjectLabel}</span>
              )}
            </span>
          )}
          <RelativeTime iso={event.createdAt} className="ml-auto shrink-0 pl-2 text-xs text-fg-subtle" />
        </div>
        <div className="mt-0.5 flex min-w-0 items-center gap-2 text-[13px]">
          <span className="inline-flex shrink-0 items-center gap-1 font-medium text-fg-muted">
            <ActorIcon className="size-3.5 text-fg-subtle" />
            {actor}
          </span>
          <span className="min-w-0 flex-1 truncate text-fg-muted">{summary}</span>
          <span className="shrink-0 font-mono text-[11px] text-fg-subtle tabular-nums">#{event.seq}</span>
        </div>
      </div>
    </li>
  );
});

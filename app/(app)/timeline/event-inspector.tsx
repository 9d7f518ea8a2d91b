"use client";
// The side panel for one event: what happened, who did it, to what, its payload, the other
// events of the same request (correlation), and its place in the hash chain.
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { actorLabel, severityMeta, shortId, subjectHref, summarizeEvent, type EventRecord, type PeopleDirectory } from "@/components/events/event-format";
import { EventIcon } from "@/components/events/event-icon";
import { FilterIcon, LinkIcon, XIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { Kbd } from "@/components/ui/kbd";
import { formatAbsolute, RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { ChainStatus } from "./chain-status";
import { JsonView } from "./json-view";
import type { TimelineFilters } from "./timeline-filters";
import type { ChainVerification } from "./use-chain-verification";

export interface EventInspectorProps {
  seq: number;
  /** The event when the list already has it; otherwise it is fetched by seq. */
  known: EventRecord | null;
  people: PeopleDirectory;
  verification: ChainVerification;
  onClose: () => void;
  onOpen: (event: EventRecord) => void;
  onFilter: (patch: Partial<TimelineFilters>) => void;
}

export function EventInspector({ seq, known, people, verification, onClose, onOpen, onFilter }: EventInspectorProps) {
  const [fetched, setFetched] = useState<{ seq: number; event?: EventRecord; error?: string } | null>(null);
  const event = known?.seq === seq ? known : fetched?.seq === seq ? (fetched.event ?? null) : null;
  const loadError = fetched?.seq === seq ? fetched.error : undefined;

  useEffect(() => {
    if (known?.seq === seq) return;
    let cancelled = false;
    apiFetch<EventRecord>(`/api/events/${seq}`).then(
      (e) => !cancelled && setFetched({ seq, event: e }),
      (err: unknown) => !cancelled && setFetched({ seq, error: errorMessage(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [seq, known]);

  const { status: verifyStatus, result: verifyResult, run: runVerify } = verification;
  useEffect(() => {
    if (!event || verifyStatus === "running" || verifyStatus === "error") return;
    if (!verifyResult || (verifyResult.ok && verifyResult.headSeq < event.seq)) runVerify();
  }, [event, verifyStatus, verifyResult, runVerify]);

  return (
    <aside
      data-testid="event-inspector"
      data-seq={seq}
      aria-label={`Event ${seq}`}
      className="flex h-full min-h-0 flex-col bg-surface"
    >
      <header className="flex items-center justify-between gap-3 border-b border-border px-5 py-3">
        <div className="flex min-w-0 items-center gap-2 text-[13px]">
          <span className="font-medium text-fg">Event</span>
          <span className="font-mono text-fg-subtle">#{seq}</span>
        </div>
        <div className="flex items-center gap-1">
          <span className="mr-1 hidden items-center gap-1 text-[11px] text-fg-subtle xl:flex">
            <Kbd>Esc</Kbd> to close
          </span>
          <CopyLinkButton seq={seq} />
          <button type="button" onClick={onClose} aria-label="Close inspector" className="grid size-7 place-items-center rounded-md text-fg-subtle hover:bg-surface-2 hover:text-fg">
            <XIcon className="size-4" />
          </button>
        </div>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {loadError ? (
          <div className="p-5">
            <Alert tone="danger" title={`Could not load event #${seq}`}>
              {loadError}
            </Alert>
          </div>
        ) : !event ? (
          <InspectorSkeleton />
        ) : (
          <InspectorBody event={event} people={people} verification={verification} onOpen={onOpen} onFilter={onFilter} />
        )}
      </div>
    </aside>
  );
}

function InspectorBody({ event, people, verification, onOpen, onFilter }: { event: EventRecord; people: PeopleDirectory; verification: ChainVerification; onOpen: (e: EventRecord) => void; onFilter: (patch: Partial<TimelineFilters>) => void }) {
  const meta = severityMeta(event.severity);
  const href = subjectHref(event.subject, event);
  const person = event.actor.type === "user" && event.actor.id ? people[event.actor.id] : undefined;
  return (
    <div className="space-y-6 px-5 py-5">
      <section>
        <div className="flex items-start gap-3">
          <EventIcon type={event.type} severity={event.severity} className="size-9" />
          <div className="min-w-0">
            <h2 className="font-mono text-[14px] font-semibold break-all text-fg">{event.type}</h2>
            <div className="mt-1 flex flex-wrap items-center gap-1.5">
              <Badge tone={meta.tone} dot>
                {meta.label}
              </Badge>
              <span className="text-xs text-fg-subtle">
                <RelativeTime iso={event.createdAt} />
              </span>
            </div>
          </div>
        </div>
        <p className="mt-3 text-[13.5px] leading-relaxed break-words text-fg">{summarizeEvent(event)}</p>
      </section>

      <section aria-label="Details">
        <dl className="divide-y divide-border rounded-lg border border-border text-[13px]">
          <Row label="Time">
            <span className="tabular-nums">{formatAbsolute(event.createdAt)}</span>
          </Row>
          <Row label="Actor">
            <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="font-medium text-fg">{actorLabel(event.actor, people)}</span>
              {person && <span className="text-fg-subtle">{person.email}</span>}
              <Badge mono>{event.actor.type}</Badge>
              {event.actor.id && (
                <FilterButton label="Only this actor" onClick={() => onFilter({ actorId: event.actor.id ?? "" })} />
              )}
            </span>
            {event.actor.id && <code className="mt-0.5 block font-mono text-[11.5px] text-fg-subtle">{event.actor.id}</code>}
          </Row>
          <Row label="Subject">
            {event.subject ? (
              <span className="flex flex-wrap items-center gap-2">
                <Badge mono>{event.subject.type}</Badge>
                {href ? (
                  <Link href={href} className="font-mono text-[12px] break-all text-accent hover:underline" data-testid="event-subject-link">
                    {event.subject.id}
                  </Link>
                ) : (
                  <code className="font-mono text-[12px] break-all">{event.subject.id}</code>
                )}
              </span>
            ) : (
              <span className="text-fg-subtle">None</span>
            )}
          </Row>
          <Row label="Stream">
            <span className="flex flex-wrap items-center gap-2">
              <code className="font-mono text-[12px] break-all">
                {event.streamType}/{shortId(event.streamId)}
              </code>
              <span className="text-xs text-fg-subtle">#{event.streamSeq} in stream</span>
              <FilterButton label="Only this stream" onClick={() => onFilter({ streamType: event.streamType, streamId: event.streamId })} />
            </span>
          </Row>
          <Row label="Event ID">
            <code className="font-mono text-[12px] break-all">{event.id}</code>
          </Row>
          <Row label="Causation">
            {event.causationId ? <CausationLink id={event.causationId} onOpen={onOpen} /> : <span className="text-fg-subtle">None (a root event)</span>}
          </Row>
        </dl>
      </section>

      <section aria-labelledby="payload-title">
        <SectionTitle id="payload-title" aside={<CopyButton value={JSON.stringify(event.data, null, 2)} size="xs" variant="ghost" />}>
          Payload
        </SectionTitle>
        <JsonView value={event.data} className="max-h-80" />
      </section>

      <CorrelationChain event={event} people={people} onOpen={onOpen} onFilter={onFilter} />

      <section aria-labelledby="integrity-title">
        <SectionTitle id="integrity-title">Integrity</SectionTitle>
        <div className="space-y-3">
          <HashField label="Hash" testId="event-hash" value={event.hash} />
          <HashField label="Previous hash" testId="event-prev-hash" value={event.prevHash} />
          <ChainStatus verification={verification} seq={event.seq} />
        </div>
      </section>
    </div>
  );
}

function CorrelationChain({ event, people, onOpen, onFilter }: { event: EventRecord; people: PeopleDirectory; onOpen: (e: EventRecord) => void; onFilter: (patch: Partial<TimelineFilters>) => void }) {
  const [chain, setChain] = useState<{ id: string; items?: EventRecord[]; more?: boolean; error?: string } | null>(null);
  const correlationId = event.correlationId;
  useEffect(() => {
    let cancelled = false;
    apiFetch<{ items: EventRecord[]; nextCursor: string | null }>(`/api/events?${new URLSearchParams({ correlationId, limit: "50" })}`).then(
      (page) => !cancelled && setChain({ id: correlationId, items: [...page.items].reverse(), more: page.nextCursor !== null }),
      (err: unknown) => !cancelled && setChain({ id: correlationId, error: errorMessage(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [correlationId]);

  const current = chain?.id === correlationId ? chain : null;
  return (
    <section aria-labelledby="correlation-title">
      <SectionTitle id="correlation-title" aside={<FilterButton label="Show in timeline" onClick={() => onFilter({ correlationId })} />}>
        Correlation
      </SectionTitle>
      <div className="mb-2 flex items-center gap-2">
        <code className="min-w-0 truncate font-mono text-[12px] text-fg-muted" title={correlationId}>
          {correlationId}
        </code>
        <CopyButton value={correlationId} size="xs" variant="ghost" label="Copy" />
      </div>
      {!current ? (
        <div className="space-y-2">
          <Skeleton className="h-8" />
          <Skeleton className="h-8 w-3/4" />
        </div>
      ) : current.error ? (
        <p className="text-[13px] text-danger">{current.error}</p>
      ) : (
        <ol className="relative space-y-0.5 before:absolute before:top-3 before:bottom-3 before:left-[11px] before:w-px before:bg-border" data-testid="correlation-chain">
          {current.items?.map((e) => {
            const isCurrent = e.seq === event.seq;
            return (
              <li key={e.seq} className="relative">
                <button
                  type="button"
                  onClick={() => onOpen(e)}
                  disabled={isCurrent}
                  aria-current={isCurrent ? "true" : undefined}
                  className={cx("flex w-full items-center gap-3 rounded-md py-1.5 pr-2 text-left text-[12.5px]", isCurrent ? "cursor-default" : "hover:bg-surface-2")}
                >
                  <span aria-hidden className={cx("relative z-10 ml-[7px] size-[9px] shrink-0 rounded-full ring-4 ring-surface", isCurrent ? "bg-accent" : severityMeta(e.severity).bar)} />
                  <span className={cx("min-w-0 flex-1 truncate", isCurrent ? "font-medium text-fg" : "text-fg-muted")}>
                    <span className="font-mono">{e.type}</span>
                    <span className="text-fg-subtle"> · {actorLabel(e.actor, people)}</span>
                  </span>
                  <span className="shrink-0 font-mono text-[11px] text-fg-subtle">#{e.seq}</span>
                </button>
              </li>
            );
          })}
          {current.items?.length === 1 && <li className="pl-8 text-xs text-fg-subtle">No other events share this correlation id.</li>}
          {current.more && <li className="pl-8 text-xs text-fg-subtle">Showing the newest 50. Use “Show in timeline” for all.</li>}
        </ol>
      )}
    </section>
  );
}

function CausationLink({ id, onOpen }: { id: string; onOpen: (e: EventRecord) => void }) {
  const [state, setState] = useState<"idle" | "loading" | "missing">("idle");
  return (
    <button
      type="button"
      className="text-left font-mono text-[12px] break-all text-accent hover:underline disabled:opacity-60"
      disabled={state === "loading"}
      onClick={async () => {
        setState("loading");
        try {
          onOpen(await apiFetch<EventRecord>(`/api/events/${encodeURIComponent(id)}`));
          setState("idle");
        } catch {
          setState("missing");
        }
      }}
    >
      {id}
      {state === "missing" && <span className="ml-2 font-sans text-danger">(not found)</span>}
    </button>
  );
}

function HashField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <div className="mb-1 flex items-center justify-between">
        <span className="text-xs font-medium text-fg-subtle">{label}</span>
        <CopyButton value={value} size="xs" variant="ghost" />
      </div>
      <code data-testid={testId} className="block rounded-md bg-surface-2 px-2.5 py-1.5 font-mono text-[11.5px] leading-relaxed break-all text-fg-muted">
        {value}
      </code>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[88px_1fr] gap-3 px-3 py-2.5">
      <dt className="text-xs font-medium text-fg-subtle">{label}</dt>
      <dd className="min-w-0 text-fg">{children}</dd>
    </div>
  );
}

function SectionTitle({ id, children, aside }: { id: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="mb-2 flex items-center justify-between gap-2">
      <h3 id={id} className="text-xs font-semibold tracking-wide text-fg-subtle uppercase">
        {children}
      </h3>
      {aside}
    </div>
  );
}

function FilterButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className="inline-flex items-center gap-1 rounded px-1 text-[11.5px] font-medium text-accent hover:bg-accent-soft">
      <FilterIcon className="size-3" />
      {label}
    </button>
  );
}

function CopyLinkButton({ seq }: { seq: number }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        const url = new URL(window.location.href);
        url.search = new URLSearchParams({ event: String(seq) }).toString();
        try {
          await navigator.clipboard.writeText(url.toString());
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          // Clipboard unavailable; the address bar already holds the link.
        }
      }}
      aria-label="Copy a link to this event"
      title={copied ? "Link copied" : "Copy link"}
      className={cx("grid size-7 place-items-center rounded-md hover:bg-surface-2", copied ? "text-success" : "text-fg-subtle hover:text-fg")}
    >
      <LinkIcon className="size-4" />
    </button>
  );
}

function InspectorSkeleton() {
  return (
    <div className="space-y-4 p-5" aria-busy="true" aria-label="Loading event">
      <div className="flex gap-3">
        <Skeleton className="size-9" />
        <div className="flex-1 space-y-2">
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-4 w-1/4" />
        </div>
      </div>
      <Skeleton className="h-4 w-5/6" />
      <Skeleton className="h-40" />
      <Skeleton className="h-24" />
    </div>
  );
}

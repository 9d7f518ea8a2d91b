"use client";
// One execution: what ran (capability.action on which agent, version, kind), its status and
// timings, the correlation id (copyable), the error with the plugin's line:column or the
// failed step, for workflows the step graph (select a step to see its input, output and
// error), input and output, logs, resources, outbound requests and the invocation's
// events. While it is queued or running, the page follows its event stream and re-reads
// the record on every event until it has finished.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { actorLabel, shortId, summarizeEvent, type PeopleDirectory } from "@/components/events/event-format";
import { EventIcon } from "@/components/events/event-icon";
import { actionLabel, formatDuration, statusMeta } from "@/components/executions/execution-format";
import { ErrorSummary, RequestsTable, ResourcesList } from "@/components/executions/execution-parts";
import { JsonBlock } from "@/components/executions/json-block";
import { LogView } from "@/components/executions/log-view";
import { StatusBadge } from "@/components/executions/status-badge";
import { StepGraphView } from "@/components/executions/step-graph";
import { useLiveEvents } from "@/components/executions/use-live-events";
import { ActivityIcon, BotIcon, ChevronRightIcon, GitBranchIcon } from "@/components/icons";
import { PageContainer } from "@/components/layout/page-container";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { LinkButton } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/relative-time";
import { Spinner } from "@/components/ui/spinner";
import type { ExecutionDetail } from "@/lib/execution/records/get-execution";
import { StepPanel } from "./step-panel";

const KIND_LABELS: Record<string, string> = { code: "Code", declarative: "Declarative", "api-connector": "API connector", workflow: "Workflow", builtin: "Built-in", step: "Built-in step" };

export function ExecutionView({ initial, people }: { initial: ExecutionDetail; people: PeopleDirectory }) {
  const [e, setE] = useState(initial);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(initial.error?.step ?? null);
  const [tick, setTick] = useState(0);
  const active = statusMeta(e.status).active;
  const rootId = e.parent?.id ?? e.id;
  const lastSeq = initial.events.length ? initial.events[initial.events.length - 1]!.seq : undefined;
  const lastRefresh = useRef(0);
  const issued = useRef(0);
  const applied = useRef(0);

  const reload = useCallback(async () => {
    const n = ++issued.current;
    try {
      const next = await apiFetch<ExecutionDetail>(`/api/executions/${encodeURIComponent(initial.id)}`);
      if (n < applied.current) return;
      applied.current = n;
      setE(next);
      setRefreshError(null);
    } catch (err) {
      setRefreshError(errorMessage(err));
    }
  }, [initial.id]);

  // Every event of this execution (and a slow poll as a safety net) asks for a re-read; at
  // most two a second happen.
  useEffect(() => {
    if (tick === 0) return;
    const timer = setTimeout(() => {
      lastRefresh.current = Date.now();
      void reload();
    }, Math.max(100, lastRefresh.current + 500 - Date.now()));
    return () => clearTimeout(timer);
  }, [tick, reload]);
  useEffect(() => {
    if (!active) return;
    const poll = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(poll);
  }, [active]);

  const live = useLiveEvents({
    filter: `streamType=execution&streamId=${encodeURIComponent(rootId)}`,
    fromSeq: lastSeq !== undefined ? lastSeq + 1 : undefined,
    enabled: active,
    onEvent: () => setTick((n) => n + 1),
    onOpen: () => setTick((n) => n + 1),
  });

  const label = actionLabel(e);
  const stepRecord = selected && e.graph ? e.graph.nodes.find((n) => n.id === selected) : undefined;
  const timelineHref = `/timeline?correlationId=${encodeURIComponent(e.correlationId)}`;
  const selectStep = (id: string) => {
    setSelected(id);
    requestAnimationFrame(() => document.getElementById("step-details")?.scrollIntoView({ block: "nearest", behavior: "smooth" }));
  };

  return (
    <PageContainer wide>
      <nav aria-label="Breadcrumb" className="mb-4 flex items-center gap-1.5 text-[13px] text-fg-subtle">
        <Link href="/executions" className="hover:text-fg">
          Executions
        </Link>
        <ChevronRightIcon className="size-3.5" />
        {e.parent && (
          <>
            <Link href={`/executions/${encodeURIComponent(e.parent.id)}`} className="font-mono text-[12.5px] hover:text-fg">
              {shortId(e.parent.id)}
            </Link>
            <ChevronRightIcon className="size-3.5" />
          </>
        )}
        <span className="truncate font-mono text-[12.5px] text-fg-muted" aria-current="page">
          {e.parent ? `step ${e.parent.stepId ?? ""}` : label}
        </span>
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-4" data-testid="execution-header" data-status={e.status}>
        <div className="flex min-w-0 gap-4">
          <span aria-hidden className="grid size-14 shrink-0 place-items-center rounded-2xl border border-border bg-surface text-[26px] shadow-card">
            {e.capability.icon ?? "🧩"}
          </span>
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2.5">
              <h1 className="font-mono text-[20px] font-semibold tracking-tight break-all text-fg" data-testid="execution-title">
                {label}
              </h1>
              <StatusBadge status={e.status} size="md" />
            </div>
            <p className="mt-1 flex flex-wrap items-center gap-x-1.5 gap-y-1 text-[13px] text-fg-muted">
              <BotIcon className="size-3.5 text-fg-subtle" />
              <Link href={`/agents/${encodeURIComponent(e.agent.id)}`} className="font-medium text-fg hover:text-accent hover:underline" data-testid="execution-agent">
                {e.agent.name ?? shortId(e.agent.id)}
              </Link>
              {e.capability.name && (
                <>
                  <span aria-hidden>·</span>
                  <Link href={`/marketplace/${encodeURIComponent(e.capability.slug)}`} className="hover:text-accent hover:underline">
                    {e.capability.name}
                  </Link>
                </>
              )}
              {e.version && <Badge mono>v{e.version}</Badge>}
              <Badge>{KIND_LABELS[e.kind] ?? e.kind}</Badge>
              <span aria-hidden>·</span>
              <span>
                {e.actor.type === "user" ? `by ${actorLabel(e.actor, people)}` : e.actor.type === "agent" ? "by the agent" : "by the system"}
              </span>
              <span aria-hidden>·</span>
              <RelativeTime iso={e.createdAt} />
            </p>
          </div>
        </div>
        <LinkButton href={timelineHref} icon={<ActivityIcon className="size-4" />} data-testid="execution-timeline-link">
          Events in the timeline
        </LinkButton>
      </header>

      <dl className="mt-6 grid grid-cols-2 gap-3 md:grid-cols-5">
        <Fact label="Duration" value={e.status === "queued" ? "waiting" : e.status === "running" ? "running…" : formatDuration(e.durationMs)} testId="execution-duration" />
        <Fact label="Queue wait" value={formatDuration(e.queueMs)} />
        <Fact label="Attempts" value={String(e.attempts)} />
        <Fact label="Time budget" value={formatDuration(e.timeoutMs)} />
        <div className="col-span-2 min-w-0 rounded-xl border border-border bg-surface px-4 py-3 shadow-card md:col-span-1">
          <dt className="text-[12px] text-fg-subtle">Correlation id</dt>
          <dd className="mt-0.5 flex items-center gap-1.5">
            <code className="min-w-0 truncate font-mono text-[12px] text-fg" title={e.correlationId} data-testid="execution-correlation">
              {e.correlationId}
            </code>
            <CopyButton value={e.correlationId} size="xs" variant="ghost" label="Copy" aria-label="Copy the correlation id" />
          </dd>
        </div>
      </dl>

      {active && (
        <div role="status" className="mt-4 flex items-center gap-2 rounded-lg border border-info/25 bg-info-soft px-3 py-2 text-[13px] text-fg-muted" data-testid="execution-live">
          <Spinner className="size-3.5 text-info" />
          {e.status === "queued" ? "Waiting for an executor…" : "Running…"} This page updates as it goes{live === "live" ? "" : live === "reconnecting" ? " (reconnecting)" : ""}.
        </div>
      )}
      {refreshError && (
        <Alert tone="warning" className="mt-4">
          Could not refresh: {refreshError}
        </Alert>
      )}

      {e.error && <ErrorSummary error={e.error} onStep={e.graph ? selectStep : undefined} className="mt-4" />}

      {e.graph && (
        <Card className="mt-6 overflow-hidden" aria-labelledby="steps-title">
          <CardHeader
            id="steps-title"
            title={
              <span className="inline-flex items-center gap-2">
                <GitBranchIcon className="size-4 text-fg-subtle" /> Steps
              </span>
            }
            description={`${e.graph.nodes.length} steps; independent ones run in parallel. Select a step to see what went in and what came out.`}
            actions={<StepTally graph={e.graph} />}
          />
          <div className="border-b border-border bg-surface-2/30 px-3 py-3">
            <StepGraphView graph={e.graph} selected={selected} onSelect={selectStep} />
          </div>
          <div id="step-details" className="scroll-mt-4">
            {stepRecord ? (
              <StepPanel node={stepRecord} record={e.steps.filter((s) => s.stepId === stepRecord.id).at(-1) ?? null} onClose={() => setSelected(null)} />
            ) : (
              <p className="px-5 py-4 text-[13px] text-fg-subtle">Select a step in the graph (or Tab to it and press Enter) to see its input, output and error.</p>
            )}
          </div>
        </Card>
      )}

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2">
        <Card className="min-w-0" aria-labelledby="input-title">
          <CardHeader id="input-title" title="Input" description="As received, with secrets redacted." />
          <div className="px-5 py-4">
            <JsonBlock value={e.input} testId="execution-input" empty="(no input)" />
          </div>
        </Card>
        <Card className="min-w-0" aria-labelledby="output-title">
          <CardHeader id="output-title" title="Output" description={e.status === "succeeded" ? "What the action returned." : "Nothing is returned unless it succeeds."} />
          <div className="px-5 py-4">
            <JsonBlock value={e.output} testId="execution-output" empty={active ? "(not finished yet)" : "(no output)"} />
          </div>
        </Card>
      </div>

      <Card className="mt-6" aria-labelledby="logs-title">
        <CardHeader id="logs-title" title="Logs" description="What the plugin wrote with ctx.log (bounded, redacted)." />
        <div className="px-5 py-4">
          <LogView logs={e.logs} />
        </div>
      </Card>

      <Card className="mt-6" aria-labelledby="resources-title">
        <CardHeader id="resources-title" title="Resources" />
        <div className="px-5 py-4">
          <ResourcesList resources={e.resources} queueMs={e.queueMs} timeoutMs={e.timeoutMs} />
        </div>
      </Card>

      <Card className="mt-6" aria-labelledby="requests-title">
        <CardHeader id="requests-title" title="Outbound requests" description="Every HTTP request it made, each carrying the correlation id. Query strings are not recorded." />
        <div className="px-5 py-4">
          <RequestsTable requests={e.requests} />
        </div>
      </Card>

      <Card className="mt-6 overflow-hidden" aria-labelledby="events-title">
        <CardHeader
          id="events-title"
          title="Events"
          description="The audit log entries of this invocation, in order."
          actions={
            <LinkButton href={timelineHref} size="sm" variant="ghost">
              Open in timeline
            </LinkButton>
          }
        />
        {e.events.length === 0 ? (
          <p className="px-5 py-6 text-center text-[13px] text-fg-subtle">No events yet.</p>
        ) : (
          <ol className="divide-y divide-border" data-testid="execution-events">
            {e.events.map((ev) => (
              <li key={ev.seq}>
                <Link
                  href={`/timeline?correlationId=${encodeURIComponent(e.correlationId)}&event=${ev.seq}`}
                  className="flex items-center gap-3 px-5 py-2.5 outline-none hover:bg-surface-2/70 focus-visible:bg-surface-2/70 focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
                  data-testid="execution-event"
                  data-type={ev.type}
                >
                  <EventIcon type={ev.type} severity={ev.severity} />
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-[13px] text-fg">{summarizeEvent(ev)}</p>
                    <p className="truncate text-xs text-fg-subtle">
                      <span className="font-mono">{ev.type}</span> · #{ev.seq}
                    </p>
                  </div>
                  <RelativeTime iso={ev.createdAt} className="shrink-0 text-xs text-fg-subtle" />
                </Link>
              </li>
            ))}
          </ol>
        )}
        {e.eventsTruncated && <p className="border-t border-border px-5 py-2 text-[12.5px] text-fg-subtle">More events exist: see them all in the timeline.</p>}
      </Card>
    </PageContainer>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-border bg-surface px-4 py-3 shadow-card">
      <dt className="text-[12px] text-fg-subtle">{label}</dt>
      <dd className="mt-0.5 text-[18px] font-semibold tracking-tight text-fg tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function StepTally({ graph }: { graph: NonNullable<ExecutionDetail["graph"]> }) {
  const counts = new Map<string, number>();
  for (const n of graph.nodes) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="step-tally">
      {[...counts].map(([state, n]) => (
        <Badge key={state} tone={statusMeta(state).tone} dot>
          <span className={cx("tabular-nums")}>{n}</span> {statusMeta(state).label.toLowerCase()}
        </Badge>
      ))}
    </div>
  );
}

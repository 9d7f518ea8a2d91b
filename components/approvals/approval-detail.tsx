"use client";
// One approval request in full, for the person deciding it: who asks what and why (the
// request with its input, the permissions with their explanations and risk, domains, the
// permission diff of an upgrade), the security level and the policy's reasons and rule, the
// correlation id linked to the timeline, the decision history, the result once the deferred
// action ran, the progressive-trust recommendation ("Always allow this for this agent",
// admins), and Approve / Deny / Hold with a comment. The page drives it by keyboard through
// `command` (a approves; d and h open the comment box, Enter confirms, Escape cancels).
// After an approve of a run it long-polls GET /api/approvals/:id?wait= until the real
// result is in.
import Link from "next/link";
import { useEffect, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import type { PeopleDirectory } from "@/components/events/event-format";
import { formatDuration } from "@/components/executions/execution-format";
import { ErrorSummary } from "@/components/executions/execution-parts";
import { JsonBlock } from "@/components/executions/json-block";
import { StatusBadge } from "@/components/executions/status-badge";
import { ActivityIcon, ArrowRightIcon, BotIcon, CheckIcon, ClockIcon, SparklesIcon, UserIcon, XIcon } from "@/components/icons";
import { PermissionRow } from "@/components/marketplace/permission-row";
import { RuleCard } from "@/components/policy/rule-card";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { FieldMessage } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { RelativeTime, formatAbsolute, useNow } from "@/components/ui/relative-time";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { ApprovalHistory } from "./approval-history";
import { ApprovalStatusBadge, HeldBadge, SecurityLevelBadge } from "./approval-badges";
import { approvalTitle, approverLabel, EXPIRY_WARNING_MS, kindLabel, requesterLabel, timeLeft } from "./approval-format";
import { isFinalResult, isSettled, type ApprovalView, type Decision } from "./approval-types";

export interface ApprovalDetailHandle {
  /** a / d / h from the page: approve at once; deny and hold open the comment box. */
  command(decision: Decision): void;
}

type Mode = "deny" | "hold" | null;

const DECIDED_TOAST: Record<Decision, string> = { approve: "Approved", deny: "Denied", hold: "Put on hold" };

export function ApprovalDetail({ approval: a, people, onChange, ref }: { approval: ApprovalView; people: PeopleDirectory; onChange: (next: ApprovalView) => void; ref?: Ref<ApprovalDetailHandle> }) {
  const [comment, setComment] = useState("");
  const [mode, setMode] = useState<Mode>(null);
  const [submitting, setSubmitting] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const toast = useToast();
  const canDecide = a.status === "pending" && a.viewer.canDecide;

  async function submit(decision: Decision) {
    if (submitting || !canDecide) return;
    const text = comment.trim();
    if (decision === "deny" && !text) {
      setMode("deny");
      setError("Say why: the requester sees this reason.");
      commentRef.current?.focus();
      return;
    }
    setSubmitting(decision);
    setError(null);
    try {
      const next = await apiFetch<ApprovalView>(a.links.decide, { method: "POST", json: { decision, ...(text ? { comment: text } : {}) } });
      onChange(next);
      setComment("");
      setMode(null);
      toast.success(DECIDED_TOAST[decision], approvalTitle(next));
    } catch (err) {
      setError(errorMessage(err));
      // 409: decided or expired meanwhile; show what it is now.
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        apiFetch<ApprovalView>(a.links.self)
          .then(onChange)
          .catch(() => undefined);
      }
    } finally {
      setSubmitting(null);
    }
  }

  useImperativeHandle(ref, () => ({
    command(decision: Decision) {
      if (!canDecide) {
        if (a.status === "pending") toast.error("You cannot decide this request", a.viewer.whyNot ?? undefined);
        return;
      }
      if (decision === "approve") {
        void submit("approve");
        return;
      }
      setMode(decision);
      setError(null);
      requestAnimationFrame(() => commentRef.current?.focus());
    },
  }));

  // An approved run: wait for its real result (long-poll), so it appears here by itself.
  const waiting = !isSettled(a) && a.status === "approved";
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (!waiting) return;
    const ctrl = new AbortController();
    let stopped = false;
    (async () => {
      for (let attempt = 0; !stopped && attempt < 120; attempt++) {
        try {
          const next = await apiFetch<ApprovalView>(`${a.links.self}?wait=30`, { signal: ctrl.signal });
          if (stopped) return;
          onChangeRef.current(next);
          if (isSettled(next)) return;
        } catch {
          if (stopped) return;
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    })();
    return () => {
      stopped = true;
      ctrl.abort();
    };
  }, [waiting, a.links.self]);

  const onCommentKey = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      setMode(null);
      setError(null);
      e.currentTarget.blur();
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && (mode || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit(mode ?? "approve");
    }
  };

  // List items carry no progressive-trust recommendation (it costs a query per item): read
  // this one on its own while it is pending, for the recommendation and whether we may accept it.
  const [single, setSingle] = useState<{ id: string; recommendation: ApprovalView["recommendation"]; canTrust: boolean } | null>(null);
  useEffect(() => {
    if (a.status !== "pending") return;
    let cancelled = false;
    apiFetch<ApprovalView>(a.links.self)
      .then((v) => {
        if (!cancelled) setSingle({ id: v.id, recommendation: v.recommendation, canTrust: v.viewer.canTrust });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [a.links.self, a.status, a.held]);
  const recommendation = a.recommendation ?? (single?.id === a.id ? single.recommendation : null);
  const canTrust = a.viewer.canTrust || (single?.id === a.id && single.canTrust);

  const version = `${a.status}|${a.held}|${a.note ?? ""}|${a.decidedAt ?? ""}`;
  const timelineHref = `/timeline?correlationId=${encodeURIComponent(a.correlationId)}`;

  return (
    <article aria-labelledby="approval-title" data-testid="approval-detail" data-approval-id={a.id} data-status={a.status} className="min-w-0">
      <header className="border-b border-border px-5 py-4">
        <div className="flex flex-wrap items-center gap-2">
          <Badge>{kindLabel(a.kind)}</Badge>
          <SecurityLevelBadge level={a.securityLevel} />
          <ApprovalStatusBadge status={a.status} />
          {a.held && a.status === "pending" && <HeldBadge note={a.note} />}
        </div>
        <h2 id="approval-title" className="mt-2 font-mono text-[17px] font-semibold tracking-tight break-all text-fg" data-testid="approval-title">
          {approvalTitle(a)}
        </h2>
        <p className="mt-1.5 flex flex-wrap items-center gap-x-1.5 gap-y-1 text-[13px] text-fg-muted">
          <UserIcon className="size-3.5 text-fg-subtle" />
          <span className="font-medium text-fg" data-testid="approval-requester">
            {requesterLabel(a.requester)}
          </span>
          {a.requester.role && <Badge tone={a.requester.role === "admin" ? "accent" : "neutral"}>{a.requester.role}</Badge>}
          {a.agent && (
            <>
              <span>for</span>
              <BotIcon className="size-3.5 text-fg-subtle" />
              <Link href={`/agents/${encodeURIComponent(a.agent.id)}`} className="font-medium text-fg hover:text-accent hover:underline">
                {a.agent.name ?? a.agent.id}
              </Link>
            </>
          )}
          <span aria-hidden>·</span>
          <RelativeTime iso={a.createdAt} />
        </p>
        {a.status === "pending" && <ExpiryLine expiresAt={a.expiresAt} />}
      </header>

      {a.status === "pending" && a.held && a.note && (
        <div className="border-b border-border px-5 py-3">
          <Alert tone="warning" title="On hold">
            <span className="whitespace-pre-wrap">{a.note}</span>
          </Alert>
        </div>
      )}

      <Section title={a.status === "pending" ? "Why it waits" : "Why policy asked"}>
        <ul className="space-y-1.5 text-[13px] text-fg" data-testid="approval-reasons">
          {a.policy.reasons.length ? a.policy.reasons.map((r, i) => <li key={i} className="flex gap-2"><span aria-hidden className="mt-2 size-1 shrink-0 rounded-full bg-fg-subtle" />{r}</li>) : <li className="text-fg-muted">No reason was given.</li>}
        </ul>
        <dl className="mt-3 flex flex-wrap gap-x-5 gap-y-2 text-[12.5px]">
          <Fact label="Reason code">
            <code className="font-mono text-fg">{a.policy.reasonCode}</code>
          </Fact>
          <Fact label="Rule">
            {a.policy.ruleId ? (
              <Link href="/approvals/rules" className="font-mono text-accent hover:underline" data-testid="approval-rule">
                {a.policy.ruleId}
              </Link>
            ) : (
              <span className="text-fg-muted">default for the security level</span>
            )}
          </Fact>
          <Fact label="Risk">
            <RiskBadge risk={a.risk} />
          </Fact>
          <Fact label="Who may decide">
            <span className="text-fg">{approverLabel(a.approver)}</span>
          </Fact>
        </dl>
      </Section>

      {a.status === "pending" && (
        <Section title="Decide">
          {!a.viewer.canDecide && (
            <Alert tone="info" className="mb-3" data-testid="approval-why-not">
              {a.viewer.whyNot ?? "You cannot decide this request."}
            </Alert>
          )}
          <label htmlFor="approval-comment" className="mb-1.5 block text-[12.5px] font-medium text-fg">
            {mode === "deny" ? "Reason for denying (the requester sees it)" : mode === "hold" ? "Note for the hold" : "Comment (optional; required to deny)"}
          </label>
          <textarea
            id="approval-comment"
            ref={commentRef}
            data-testid="approval-comment"
            data-mode={mode ?? "none"}
            value={comment}
            onChange={(e) => {
              setComment(e.target.value);
              if (error) setError(null);
            }}
            onKeyDown={onCommentKey}
            disabled={!a.viewer.canDecide || !!submitting}
            maxLength={2000}
            rows={2}
            aria-invalid={error ? true : undefined}
            aria-describedby="approval-comment-message"
            placeholder={mode === "deny" ? "Why not? Press Enter to deny, Escape to cancel." : mode === "hold" ? "What are you waiting for? Press Enter to hold." : "Add context for the record…"}
            className={cx(controlClasses, "py-2 text-[13px]", mode === "deny" && "border-danger focus:border-danger", mode === "hold" && "border-warning focus:border-warning")}
          />
          <FieldMessage id="approval-comment-message" error={error ?? undefined} />
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <Button variant="primary" icon={<CheckIcon className="size-3.5" />} onClick={() => void submit("approve")} loading={submitting === "approve"} disabled={!a.viewer.canDecide || !!submitting} data-testid="approve-button">
              Approve
            </Button>
            <Button
              variant={mode === "deny" ? "danger" : "secondary"}
              icon={<XIcon className="size-3.5" />}
              onClick={() => (mode === "deny" ? void submit("deny") : (setMode("deny"), requestAnimationFrame(() => commentRef.current?.focus())))}
              loading={submitting === "deny"}
              disabled={!a.viewer.canDecide || !!submitting}
              data-testid="deny-button"
            >
              {mode === "deny" ? "Confirm deny" : "Deny"}
            </Button>
            <Button
              variant="ghost"
              icon={<ClockIcon className="size-3.5" />}
              onClick={() => (mode === "hold" ? void submit("hold") : (setMode("hold"), requestAnimationFrame(() => commentRef.current?.focus())))}
              loading={submitting === "hold"}
              disabled={!a.viewer.canDecide || !!submitting}
              data-testid="hold-button"
            >
              {mode === "hold" ? "Confirm hold" : "Hold"}
            </Button>
            {mode && (
              <Button variant="ghost" size="sm" onClick={() => (setMode(null), setError(null))}>
                Cancel
              </Button>
            )}
          </div>
        </Section>
      )}

      {a.status === "pending" && recommendation && <TrustCard approval={a} recommendation={recommendation} canTrust={canTrust} />}

      {a.status !== "pending" && <OutcomeSection approval={a} waiting={waiting} />}

      <Section title="The request">
        {a.request.input !== undefined && (
          <div className="mb-4">
            <p className="mb-1.5 text-[12px] font-medium text-fg-subtle">Input</p>
            <JsonBlock value={a.request.input} testId="approval-input" empty="(no input)" />
          </div>
        )}
        {a.request.permissionDiff ? (
          <PermissionDiff diff={a.request.permissionDiff} />
        ) : a.request.permissions.length ? (
          <div>
            <p className="mb-1.5 text-[12px] font-medium text-fg-subtle">Permissions involved</p>
            <div className="space-y-1.5" data-testid="approval-permissions">
              {a.request.permissions.map((p) => (
                <PermissionRow key={p.name} permission={p} />
              ))}
            </div>
          </div>
        ) : (
          <p className="text-[12.5px] text-fg-subtle">No permissions involved.</p>
        )}
        {a.request.details && Object.keys(a.request.details).length > 0 && (
          <div className="mt-4">
            <p className="mb-1.5 text-[12px] font-medium text-fg-subtle">Details</p>
            <JsonBlock value={a.request.details} testId="approval-details" />
          </div>
        )}
        {a.request.domains.length > 0 && (
          <div className="mt-4">
            <p className="mb-1.5 text-[12px] font-medium text-fg-subtle">Domains it may reach</p>
            <div className="flex flex-wrap gap-1.5">
              {a.request.domains.map((d) => (
                <Badge key={d} mono>
                  {d}
                </Badge>
              ))}
            </div>
          </div>
        )}
        {a.request.full !== undefined && (
          <details className="mt-4 rounded-lg border border-security/25 bg-security-soft/40 px-3 py-2" data-testid="approval-full-request">
            <summary className="cursor-pointer text-[12.5px] font-medium text-security">Full request as recorded (DANGEROUS)</summary>
            <JsonBlock value={a.request.full} className="mt-2" />
          </details>
        )}
        <dl className="mt-4 flex flex-wrap gap-x-5 gap-y-2 text-[12.5px]">
          {a.capability && (
            <Fact label="Capability">
              <Link href={`/marketplace/${encodeURIComponent(a.capability.slug)}`} className="text-accent hover:underline">
                {a.capability.name ?? a.capability.slug}
              </Link>
              {a.capability.version && <span className="ml-1 font-mono text-fg-muted">v{a.capability.version}</span>}
            </Fact>
          )}
          <Fact label="Correlation id">
            <span className="inline-flex items-center gap-1">
              <Link href={timelineHref} className="font-mono text-accent hover:underline" data-testid="approval-correlation">
                {a.correlationId}
              </Link>
              <CopyButton value={a.correlationId} size="xs" variant="ghost" label="Copy" aria-label="Copy the correlation id" />
            </span>
          </Fact>
          <Fact label="Approval id">
            <code className="font-mono text-fg-muted">{a.id}</code>
          </Fact>
        </dl>
      </Section>

      <Section
        title="History"
        aside={
          <Link href={timelineHref} className="inline-flex items-center gap-1 text-[12.5px] font-medium text-accent hover:underline" data-testid="approval-timeline-link">
            <ActivityIcon className="size-3.5" /> Whole chain in the timeline
          </Link>
        }
      >
        <ApprovalHistory approvalId={a.id} version={version} people={people} />
      </Section>
    </article>
  );
}

function ExpiryLine({ expiresAt }: { expiresAt: string }) {
  const now = useNow();
  if (now === null) return <p className="mt-1 text-[12.5px]">&nbsp;</p>;
  const left = timeLeft(expiresAt, now);
  const soon = Date.parse(expiresAt) - now < EXPIRY_WARNING_MS;
  return (
    <p className={cx("mt-1 flex items-center gap-1.5 text-[12.5px]", soon ? "text-warning" : "text-fg-subtle")} data-testid="approval-expiry" title={formatAbsolute(expiresAt)}>
      <ClockIcon className="size-3.5" />
      {left ? `Expires ${new Date(expiresAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })} · ${left}` : "Expiring now"}
    </p>
  );
}

function Section({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="border-b border-border px-5 py-4 last:border-b-0">
      <div className="mb-2.5 flex items-center justify-between gap-3">
        <h3 className="text-[11.5px] font-semibold tracking-wide text-fg-subtle uppercase">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-fg-subtle">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}

function PermissionDiff({ diff }: { diff: NonNullable<ApprovalView["request"]["permissionDiff"]> }) {
  return (
    <div data-testid="approval-permission-diff">
      <p className="mb-1.5 text-[12px] font-medium text-fg-subtle">Permission changes</p>
      {diff.added.length === 0 && diff.removed.length === 0 && <p className="text-[12.5px] text-fg-muted">No permission changes.</p>}
      <div className="space-y-1.5">
        {diff.added.map((p) => (
          <div key={p.name} className="flex items-stretch gap-2" data-diff="added">
            <span aria-label="added" className="grid w-5 shrink-0 place-items-center rounded-md bg-success-soft font-mono text-[13px] font-semibold text-success">
              +
            </span>
            <PermissionRow permission={p} className="flex-1 ring-1 ring-success/30" />
          </div>
        ))}
        {diff.removed.map((name) => (
          <div key={name} className="flex items-center gap-2 rounded-lg border border-danger/25 bg-danger-soft/50 px-2 py-1.5" data-diff="removed">
            <span aria-label="removed" className="grid w-5 shrink-0 place-items-center font-mono text-[13px] font-semibold text-danger">
              −
            </span>
            <code className="font-mono text-[12.5px] text-danger line-through">{name}</code>
          </div>
        ))}
      </div>
      {diff.kept.length > 0 && (
        <p className="mt-2 text-[12px] text-fg-subtle">
          Unchanged: <span className="font-mono">{diff.kept.join(", ")}</span>
        </p>
      )}
    </div>
  );
}

function OutcomeSection({ approval: a, waiting }: { approval: ApprovalView; waiting: boolean }) {
  const d = a.decision;
  const by = d?.by ? d.by.name || d.by.email || d.by.id : null;
  return (
    <Section title="Outcome">
      <div data-testid="approval-outcome" className="space-y-3">
        {a.status === "approved" && (
          <p className="text-[13px] text-fg">
            Approved{by ? ` by ${by}` : ""} {a.decidedAt && <RelativeTime iso={a.decidedAt} className="text-fg-muted" />}
            {d?.comment && <span className="mt-1 block rounded-md bg-surface-2 px-2.5 py-1.5 text-fg-muted">“{d.comment}”</span>}
          </p>
        )}
        {a.status === "denied" && (
          <Alert tone="danger" title={`Denied${by ? ` by ${by}` : ""}`} data-testid="approval-reason">
            {a.reason ?? d?.comment ?? "No reason was given."}
          </Alert>
        )}
        {a.status === "expired" && (
          <Alert tone="warning" title="Expired" data-testid="approval-reason">
            {a.reason ?? "Nobody decided before it expired; the request was not carried out."}
          </Alert>
        )}
        {a.status === "approved" && a.links.execution && <RunOutcome approval={a} waiting={waiting} />}
        {a.status === "approved" && a.outcome && (
          <Alert tone={a.outcome.ok ? "success" : "danger"} title={a.outcome.ok ? "Carried out" : "Could not be carried out"}>
            {a.outcome.message}
          </Alert>
        )}
      </div>
    </Section>
  );
}

function RunOutcome({ approval: a, waiting }: { approval: ApprovalView; waiting: boolean }) {
  const r = a.result;
  if (!r || !isFinalResult(r)) {
    return (
      <p className="flex items-center gap-2 text-[13px] text-fg-muted" data-testid="approval-result-waiting">
        {waiting && <Spinner className="size-3.5" />}
        {r ? (r.status === "queued" ? "Approved; waiting for an executor…" : "Running…") : "Approved; starting the run…"}
      </p>
    );
  }
  return (
    <div data-testid="approval-result" data-status={r.status} className="space-y-2.5">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={r.status} size="md" />
        <span className="text-[12.5px] text-fg-muted">{formatDuration(r.durationMs ?? null)} running</span>
        <LinkButton href={`/executions/${encodeURIComponent(r.executionId)}`} size="sm" variant="ghost" className="ml-auto" icon={<ArrowRightIcon className="size-3.5" />}>
          Open the execution
        </LinkButton>
      </div>
      {r.error && <ErrorSummary error={r.error} />}
      {(r.status === "succeeded" || r.output !== undefined) && <JsonBlock value={r.output ?? null} testId="approval-result-output" empty="(no output)" />}
    </div>
  );
}

function TrustCard({ approval: a, recommendation: rec, canTrust }: { approval: ApprovalView; recommendation: NonNullable<ApprovalView["recommendation"]>; canTrust: boolean }) {
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<{ ruleId: string; version: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function accept() {
    setSaving(true);
    setError(null);
    try {
      const r = await apiFetch<{ rule: { id: string }; version: number }>(`${a.links.self}/trust`, { method: "POST" });
      setDone({ ruleId: r.rule.id, version: r.version });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="border-b border-border bg-accent-soft/40 px-5 py-4" data-testid="approval-recommendation">
      <div className="flex items-start gap-3">
        <SparklesIcon className="mt-0.5 size-4 shrink-0 text-accent" />
        <div className="min-w-0 flex-1">
          <p className="text-[13px] font-medium text-fg">
            Approved {rec.approvals} time{rec.approvals === 1 ? "" : "s"} for this agent, never denied
          </p>
          <p className="mt-0.5 text-[12.5px] text-fg-muted">
            A standing rule would let this agent do exactly this without asking, as long as it asks for no more permissions or domains than now.
          </p>
          <RuleCard rule={rec.rule} className="mt-2.5 rounded-lg border border-border bg-surface px-3 py-2.5" />
          {done ? (
            <p className="mt-2 text-[12.5px] text-success" data-testid="trust-done">
              Rule <code className="font-mono">{done.ruleId}</code> added: the rules are now at version {done.version}.{" "}
              <Link href="/approvals/rules" className="font-medium text-accent hover:underline">
                See the rules
              </Link>
            </p>
          ) : canTrust ? (
            <Button size="sm" variant="primary" className="mt-2.5" loading={saving} onClick={() => void accept()} data-testid="trust-button">
              Always allow this for this agent
            </Button>
          ) : (
            <p className="mt-2 text-[12px] text-fg-subtle">Only administrators can turn this into a rule.</p>
          )}
          {error && <p className="mt-1.5 text-[12.5px] text-danger">{error}</p>}
        </div>
      </div>
    </section>
  );
}

/** The shortcut legend shown under the inbox. */
export function ShortcutHint({ className }: { className?: string }) {
  return (
    <p className={cx("flex flex-wrap items-center gap-x-3 gap-y-1 text-[12px] text-fg-subtle", className)} data-testid="approval-shortcuts">
      <span>
        <Kbd>j</Kbd> <Kbd>k</Kbd> move
      </span>
      <span>
        <Kbd>a</Kbd> approve
      </span>
      <span>
        <Kbd>d</Kbd> deny (type a reason, <Kbd>Enter</Kbd>)
      </span>
      <span>
        <Kbd>h</Kbd> hold
      </span>
      <span>
        <Kbd>Esc</Kbd> cancel
      </span>
    </p>
  );
}

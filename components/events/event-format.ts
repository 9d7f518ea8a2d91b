// How events read to people: one-line summaries per type, severity colours, actor names,
// and where a subject lives in the app. Pure; used by server and client components.
import type { EventRecord } from "@/lib/events/event-record";
import type { BadgeTone } from "@/components/ui/badge";
import { formatDuration } from "@/components/executions/execution-format";

export type { EventRecord };

/** Display names for user ids that appear as actors, loaded by the page. */
export type PeopleDirectory = Record<string, { name: string; email: string }>;

export const SEVERITY_META: Record<string, { label: string; tone: BadgeTone; bar: string; soft: string; text: string }> = {
  info: { label: "Info", tone: "neutral", bar: "bg-border-strong", soft: "bg-surface-2", text: "text-fg-muted" },
  warn: { label: "Warning", tone: "warning", bar: "bg-warning", soft: "bg-warning-soft", text: "text-warning" },
  error: { label: "Error", tone: "danger", bar: "bg-danger", soft: "bg-danger-soft", text: "text-danger" },
  security: { label: "Security", tone: "security", bar: "bg-security", soft: "bg-security-soft", text: "text-security" },
};

export function severityMeta(severity: string) {
  return SEVERITY_META[severity] ?? SEVERITY_META.info!;
}

/** `tok_…3x6fnw`: the type prefix and the most distinctive (last) characters of an id. */
export function shortId(id: string): string {
  const i = id.indexOf("_");
  if (i < 0 || id.length <= i + 10) return id;
  return `${id.slice(0, i + 1)}…${id.slice(-6)}`;
}

export function actorLabel(actor: EventRecord["actor"], people: PeopleDirectory = {}): string {
  if (actor.type === "system") return "System";
  if (!actor.id) return actor.type;
  if (actor.type === "user") return people[actor.id]?.name || people[actor.id]?.email || shortId(actor.id);
  return shortId(actor.id);
}

const SUBJECT_PAGES: Record<string, string> = {
  user: "/settings",
  token: "/settings/tokens",
  capability: "/marketplace",
  listing: "/marketplace",
  version: "/builder",
  capability_version: "/marketplace",
  review: "/marketplace",
  agent: "/agents",
  installation: "/agents",
  execution: "/executions",
  approval: "/approvals",
  snippet: "/snippets",
  preview: "/snippets",
  settings: "/settings",
};

/**
 * The page a subject belongs to, or null when the app has no page for that kind. Given the
 * event too, it links to the thing itself: a capability's page (by `data.slug`, the version
 * selected for version events) or the agent an installation lives on (its event stream).
 */
export function subjectHref(subject: { type: string; id: string } | null, event?: Pick<EventRecord, "data" | "streamType" | "streamId">): string | null {
  if (!subject) return null;
  // Everything an execution does (steps included) is on its stream: link to its page.
  if (event?.streamType === "execution" && event.streamId) return `/executions/${encodeURIComponent(event.streamId)}`;
  // An approval's events link to it in the inbox.
  if (event?.streamType === "approval" && event.streamId) return `/approvals?id=${encodeURIComponent(event.streamId)}`;
  if (subject.type === "approval") return `/approvals?id=${encodeURIComponent(subject.id)}`;
  if (subject.type === "preview") return `/previews/${encodeURIComponent(subject.id)}`;
  if (event?.streamType === "snippet" && event.streamId) return `/snippets?id=${encodeURIComponent(event.streamId)}`;
  const d = (event?.data && typeof event.data === "object" ? event.data : {}) as Record<string, unknown>;
  const slug = typeof d.slug === "string" && d.slug ? encodeURIComponent(d.slug) : null;
  switch (subject.type) {
    case "capability":
    case "listing":
    case "review":
      if (slug) return `/marketplace/${slug}${subject.type === "review" ? "?tab=reviews" : ""}`;
      break;
    case "capability_version":
      if (slug) return `/marketplace/${slug}${typeof d.version === "string" ? `?version=${encodeURIComponent(d.version)}&tab=versions` : ""}`;
      break;
    case "agent":
      return `/agents/${encodeURIComponent(subject.id)}`;
    case "execution":
      return `/executions/${encodeURIComponent(subject.id)}`;
    case "installation":
      if (event?.streamType === "agent" && event.streamId) return `/agents/${encodeURIComponent(event.streamId)}`;
      break;
  }
  return SUBJECT_PAGES[subject.type] ?? null;
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const PREFERRED_KEYS = ["name", "slug", "title", "version", "from", "to", "status", "decision", "reason"];
const SETTING_LABELS: Record<string, string> = { signupEnabled: "Self-service sign-up" };
const FAILURE_REASONS: Record<string, string> = { bad_credentials: "wrong email or password", disabled: "account disabled", rate_limited: "too many attempts" };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);
const names = (v: unknown, max = 3): string => {
  const items = list(v);
  return items.length > max ? `${items.slice(0, max).join(", ")} +${items.length - max}` : items.join(", ");
};
const stars = (n: unknown): string => {
  const k = Math.max(0, Math.min(5, Number(n) || 0));
  return "★".repeat(k) + "☆".repeat(5 - k);
};
const VERSION_STATUS_VERBS: Record<string, string> = { deprecated: "deprecated", yanked: "yanked", published: "restored" };
const VIA: Record<string, string> = { api: "via the API", import: "from an upload", builder: "in the Builder", seed: "by the seed" };

/** "Step render (markdown-to-html.render)"; the action is left out when it only repeats the step's name. */
function stepLabel(d: Record<string, unknown>): string {
  const step = str(d.step);
  const action = str(d.action);
  return action && action !== step ? `Step ${step} (${action})` : `Step ${step}`;
}

/** One line that says what happened, from the event's type and data. */
export function summarizeEvent(e: Pick<EventRecord, "type" | "data">): string {
  const d = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
  switch (e.type) {
    case "system.started":
      return `Instance started · v${str(d.version)}`;
    case "user.created":
      return `${str(d.email)} joined as ${str(d.role)}${d.via === "signup" ? " via sign-up" : d.via === "seed" ? " (first start)" : ""}`;
    case "user.signed_in":
      return `${str(d.email)} signed in${d.ip ? ` from ${str(d.ip).replace(/^::ffff:/, "")}` : ""}`;
    case "user.sign_in_failed":
      return `Sign-in refused for ${str(d.email)}: ${FAILURE_REASONS[str(d.reason)] ?? str(d.reason)}`;
    case "user.role_changed":
      return `Role changed from ${str(d.from)} to ${str(d.to)}`;
    case "user.disabled_changed":
      return d.disabled ? "Account disabled" : "Account re-enabled";
    case "token.created": {
      const scopes = Array.isArray(d.scopes) ? d.scopes.length : 0;
      return `Token “${str(d.name)}” created (${str(d.prefix)}…) · ${scopes} scope${scopes === 1 ? "" : "s"}${d.expiresAt ? "" : " · never expires"}`;
    }
    case "token.revoked":
      return `Token “${str(d.name)}” revoked (${str(d.prefix)}…)`;
    case "policy.kill_switch_changed":
      return `Kill switch for external writes turned ${d.on ? "on" : "off"}${d.reason ? `: ${truncate(str(d.reason), 120)}` : ""}`;
    case "setting.changed": {
      const key = str(d.key);
      if (typeof d.to === "boolean") return `${SETTING_LABELS[key] ?? key} turned ${d.to ? "on" : "off"}`;
      return `${SETTING_LABELS[key] ?? key}: ${str(d.from)} → ${str(d.to)}`;
    }
    case "note.recorded": {
      const tags = Array.isArray(d.tags) && d.tags.length ? `  ${d.tags.map((t) => `#${str(t)}`).join(" ")}` : "";
      return truncate(str(d.message), 160) + tags;
    }
    case "capability.created":
      return `Capability “${str(d.name)}” (${str(d.slug)}) created ${VIA[str(d.via)] ?? ""}`.trim();
    case "capability.updated":
      return `${str(d.slug)}: ${names(d.fields) || "listing"} updated`;
    case "capability.draft_saved":
      return `Draft of ${str(d.slug)}${d.version ? ` ${str(d.version)}` : ""} saved${d.valid === false ? " · has errors" : ""}`;
    case "capability.version_published":
      return `${str(d.slug)} ${str(d.version)} published ${d.visibility === "public" ? "publicly" : "privately"} · ${str(d.risk)} risk · security ${d.verdict === "clean" ? "clean" : "warnings"}`;
    case "capability.version_status_changed":
      return `${str(d.slug)} ${str(d.version)} ${VERSION_STATUS_VERBS[str(d.to)] ?? `${str(d.from)} → ${str(d.to)}`}${d.reason ? `: ${truncate(str(d.reason), 100)}` : ""}`;
    case "capability.review_requested":
      return `${str(d.slug)} ${str(d.version)} submitted for review`;
    case "capability.review_decided":
      return `${str(d.slug)} ${str(d.version)} ${d.decision === "approved" ? "approved" : "rejected"}${d.comment ? ` · “${truncate(str(d.comment), 100)}”` : ""}`;
    case "publisher.verification_changed":
      return d.verified ? `Publisher ${shortId(str(d.userId))} verified` : `Verified badge of ${shortId(str(d.userId))} revoked`;
    case "review.saved":
      return `${stars(d.rating)} review of ${str(d.slug)} ${d.created ? "written" : "edited"}`;
    case "agent.created":
      return `Agent “${str(d.name)}” created`;
    case "agent.updated":
      return `Agent ${names(d.fields) || "details"} changed`;
    case "installation.created": {
      const requested = list(d.requested);
      const granted = list(d.granted);
      const withheld = requested.filter((p) => !granted.includes(p));
      const consent = requested.length ? ` · granted ${granted.length} of ${requested.length}${withheld.length ? `, withheld ${names(withheld)}` : ""}` : "";
      return `${str(d.slug)} ${str(d.version)} installed${d.requiredBy ? ` as a dependency of ${str(d.requiredBy)}` : ""}${consent}`;
    }
    case "installation.upgrade_pending":
      return `${str(d.slug)} ${str(d.from)} → ${str(d.to)} waits for consent · adds ${names(d.added) || "nothing"}`;
    case "installation.upgraded": {
      const added = list(d.added);
      const removed = list(d.removed);
      return `${str(d.slug)} upgraded ${str(d.from)} → ${str(d.to)}${added.length ? ` · adds ${names(added)}` : ""}${removed.length ? ` · drops ${names(removed)}` : ""}`;
    }
    case "installation.upgrade_cancelled":
      return `Upgrade of ${str(d.slug)} to ${str(d.to)} cancelled; stays on ${str(d.from)}`;
    case "installation.rolled_back":
      return `${str(d.slug)} rolled back ${str(d.from)} → ${str(d.to)}`;
    case "installation.config_changed": {
      const keys = [...list(d.configKeys), ...list(d.secretKeys).map((k) => `${k} (secret)`)];
      return `${str(d.slug)} configuration changed${keys.length ? `: ${names(keys, 4)}` : ""}`;
    }
    case "installation.permissions_changed": {
      const granted = list(d.granted);
      const revoked = list(d.revoked);
      return `${str(d.slug)} permissions${granted.length ? ` · granted ${names(granted)}` : ""}${revoked.length ? ` · revoked ${names(revoked)}` : ""}`;
    }
    case "installation.enabled_changed":
      return `${str(d.slug)} ${d.enabled ? "enabled" : "disabled"}`;
    case "installation.uninstalled":
      return `${str(d.slug)} ${str(d.version)} uninstalled`;
    case "execution.started":
      return `${str(d.slug)}.${str(d.action)} started on ${shortId(str(d.executor))}${Number(d.attempt) > 1 ? ` · attempt ${str(d.attempt)}` : ""}`;
    case "execution.succeeded": {
      const calls = Number(d.networkCalls) || 0;
      return `${str(d.slug)}.${str(d.action)} succeeded in ${formatDuration(Number(d.durationMs))}${calls ? ` · ${calls} network call${calls === 1 ? "" : "s"}` : ""}`;
    }
    case "execution.failed": {
      const what = `${str(d.slug)}.${str(d.action)}`;
      const message = truncate(str(d.message), 120);
      if (d.status === "timed_out") return `${what} timed out after ${formatDuration(Number(d.durationMs))}${d.step ? ` at step ${str(d.step)}` : ""}`;
      if (d.status === "killed_memory") return `${what} ran out of memory${d.step ? ` at step ${str(d.step)}` : ""}`;
      return `${what} failed${d.step ? ` at step ${str(d.step)}` : ""}: ${message || str(d.errorCode)}`;
    }
    case "execution.denied":
      return `${str(d.slug)}.${str(d.action)} denied: ${truncate(str(d.reason), 120) || str(d.reasonCode)}`;
    case "execution.reclaimed":
      return `${str(d.slug)}.${str(d.action)} taken back from ${d.executor ? shortId(str(d.executor)) : "a lost executor"} · ${d.outcome === "requeued" ? `requeued (attempt ${str(d.attempt)})` : "marked failed"}`;
    case "execution.step.started":
      return `${stepLabel(d)} started`;
    case "execution.step.succeeded":
      return `${stepLabel(d)} succeeded in ${formatDuration(Number(d.durationMs))}`;
    case "execution.step.failed": {
      const handled = d.handled === "continue" ? " · the workflow went on" : d.handled === "fallback" ? " · fallback used" : "";
      const verb = d.status === "timed_out" ? "timed out" : d.status === "killed_memory" ? "ran out of memory" : "failed";
      return `${stepLabel(d)} ${verb}: ${truncate(str(d.message), 100) || str(d.errorCode)}${handled}`;
    }
    case "execution.step.skipped":
      return `${stepLabel(d)} skipped: ${truncate(str(d.reason), 100)}`;
    case "SNIPPET_CREATED":
      return `Snippet “${truncate(str(d.title), 80)}” created (${str(d.language)}, ${str(d.size)} bytes)`;
    case "SNIPPET_UPDATED":
      return `Snippet saved as version ${str(d.version)}${list(d.fields).length ? ` (${names(d.fields)})` : ""}`;
    case "SNIPPET_DELETED":
      return `Snippet deleted at version ${str(d.version)}`;
    case "PREVIEW_SESSION_CREATED":
      return `Preview created with ${str(d.preset)}${list(d.deps).length ? ` · ${names(d.deps)}` : ""}`;
    case "PREVIEW_DEP_INJECTED":
      return `${str(d.depId)} ${str(d.version)} injected${d.autoInjected ? " (detected in the code)" : " (core)"}`;
    case "PREVIEW_SESSION_OPENED":
      return `Preview opened${d.via === "share" ? " from a share link" : ""}`;
    case "PREVIEW_SHARE_REVOKED":
      return "Preview share link revoked";
    case "PREVIEW_CSP_VIOLATION":
      return `Preview blocked by its CSP: ${str(d.directive)} ${truncate(str(d.blockedUri), 80)}`;
    case "TASK_MATERIALIZED_FROM_SNIPPET":
      return `Task ${shortId(str(d.taskId))} made from snippet version ${str(d.snippetVersion)}${d.approvalId ? " after approval" : ""}`;
    case "SNIPPET_USED_IN_TASK":
      return `Snippet version ${str(d.snippetVersion)} used in task ${shortId(str(d.taskId))}`;
    case "policy.evaluated": {
      const what = d.slug ? `${str(d.what)} of ${str(d.slug)}${d.action ? `.${str(d.action)}` : ""}` : str(d.what);
      const verdict = d.decision === "require_approval" ? "needs approval" : d.decision === "deny" ? "denied" : "allowed";
      return `Policy: ${what} ${verdict} (${str(d.securityLevel)}, ${str(d.reasonCode).replace(/_/g, " ")}${d.ruleId ? `, rule ${str(d.ruleId)}` : ""})`;
    }
    case "policy.rule_changed": {
      const parts = [list(d.added).length ? `+${names(d.added)}` : "", list(d.removed).length ? `−${names(d.removed)}` : "", list(d.changed).length ? `~${names(d.changed)}` : ""].filter(Boolean);
      const via = d.via === "trust" ? " · a progressive-trust recommendation accepted" : d.via === "yaml" ? " · edited as YAML" : "";
      return `Policy rules v${str(d.version)} (${str(d.ruleCount)} rule${Number(d.ruleCount) === 1 ? "" : "s"})${parts.length ? `: ${parts.join(" ")}` : ""}${via}`;
    }
    case "approval.requested": {
      const what = d.slug ? `${str(d.slug)}${d.action ? `.${str(d.action)}` : ""}` : str(d.kind);
      return `Approval requested: ${str(d.kind)} ${what} (${str(d.securityLevel)}${d.approver === "admin" ? ", an admin must decide" : ""})`;
    }
    case "approval.decided": {
      const what = d.slug ? `${str(d.slug)}${d.action ? `.${str(d.action)}` : ""}` : str(d.kind);
      const verb = d.decision === "approve" ? "approved" : d.decision === "deny" ? "denied" : "put on hold";
      return `${str(d.kind)} ${what} ${verb}${d.comment ? `: ${truncate(str(d.comment), 100)}` : ""}`;
    }
    case "approval.expired": {
      const what = d.slug ? `${str(d.slug)}${d.action ? `.${str(d.action)}` : ""}` : str(d.kind);
      return `Approval for ${str(d.kind)} ${what} expired undecided`;
    }
    case "executor.started":
      return `Executor ${shortId(str(d.executorId))} started on ${str(d.host)} (pid ${str(d.pid)}) · ${str(d.slots)} slot${Number(d.slots) === 1 ? "" : "s"}`;
    case "executor.stopped":
      return `Executor ${shortId(str(d.executorId))} stopped: ${truncate(str(d.reason), 100)}`;
    case "executor.lost": {
      const requeued = Number(d.requeued) || 0;
      const failed = Number(d.failed) || 0;
      const work = requeued || failed ? ` · ${requeued} requeued, ${failed} failed` : "";
      return `Executor ${shortId(str(d.executorId))} lost: ${truncate(str(d.reason), 100)}${work}`;
    }
    default: {
      // Types without a sentence of their own: the most telling scalar fields first.
      const rank = (k: string) => {
        const i = PREFERRED_KEYS.indexOf(k);
        return i < 0 ? PREFERRED_KEYS.length : i;
      };
      const parts = Object.entries(d)
        .filter(([, v]) => v === null || ["string", "number", "boolean"].includes(typeof v))
        .sort(([a], [b]) => rank(a) - rank(b))
        .slice(0, 3)
        .map(([k, v]) => `${k}: ${truncate(str(v), 40)}`);
      return parts.join(" · ") || "—";
    }
  }
}

/** The domain of an event type (`token` for `token.created`), used to pick an icon. */
export function eventDomain(type: string): string {
  return type.split(".")[0] ?? type;
}

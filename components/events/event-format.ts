// How events read to people: one-line summaries per type, severity colours, actor names,
// and where a subject lives in the app. Pure; used by server and client components.
import type { EventRecord } from "@/lib/events/event-record";
import type { BadgeTone } from "@/components/ui/badge";

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
  agent: "/agents",
  installation: "/agents",
  execution: "/agents",
  approval: "/approvals",
  snippet: "/snippets",
  preview: "/snippets",
  settings: "/settings",
};

/** The page a subject belongs to, or null when the app has no page for that kind. */
export function subjectHref(subject: { type: string; id: string } | null): string | null {
  if (!subject) return null;
  return SUBJECT_PAGES[subject.type] ?? null;
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const PREFERRED_KEYS = ["name", "slug", "title", "version", "from", "to", "status", "decision", "reason"];
const SETTING_LABELS: Record<string, string> = { signupEnabled: "Self-service sign-up" };
const FAILURE_REASONS: Record<string, string> = { bad_credentials: "wrong email or password", disabled: "account disabled", rate_limited: "too many attempts" };

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
    case "setting.changed": {
      const key = str(d.key);
      if (typeof d.to === "boolean") return `${SETTING_LABELS[key] ?? key} turned ${d.to ? "on" : "off"}`;
      return `${SETTING_LABELS[key] ?? key}: ${str(d.from)} → ${str(d.to)}`;
    }
    case "note.recorded": {
      const tags = Array.isArray(d.tags) && d.tags.length ? `  ${d.tags.map((t) => `#${str(t)}`).join(" ")}` : "";
      return truncate(str(d.message), 160) + tags;
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

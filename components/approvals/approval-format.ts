// How approvals read to people: security levels and statuses with their colours, what is
// asked in one line, who asked, who may decide, and how long is left. Pure; server and client.
import type { BadgeTone } from "@/components/ui/badge";
import type { ApprovalView } from "./approval-types";

export interface SecurityLevelMeta {
  label: string;
  tone: BadgeTone;
  /** The risk level of the registry that maps onto it. */
  risk: string;
  summary: string;
}

export const SECURITY_LEVEL_META: Record<string, SecurityLevelMeta> = {
  SAFE: { label: "Safe", tone: "success", risk: "low", summary: "Low risk: runs without asking." },
  MODERATE: { label: "Moderate", tone: "warning", risk: "medium", summary: "Medium risk: runs and is logged." },
  RESTRICTED: { label: "Restricted", tone: "danger", risk: "high", summary: "High risk: needs someone's approval." },
  DANGEROUS: { label: "Dangerous", tone: "security", risk: "critical", summary: "Critical risk: needs an administrator's approval; the full request is recorded." },
};

export function securityLevelMeta(level: string): SecurityLevelMeta {
  return SECURITY_LEVEL_META[level] ?? { label: level, tone: "neutral", risk: "unknown", summary: "" };
}

export const STATUS_META: Record<string, { label: string; tone: BadgeTone }> = {
  pending: { label: "Pending", tone: "info" },
  approved: { label: "Approved", tone: "success" },
  denied: { label: "Denied", tone: "danger" },
  expired: { label: "Expired", tone: "neutral" },
};

export function approvalStatusMeta(status: string) {
  return STATUS_META[status] ?? { label: status, tone: "neutral" as BadgeTone };
}

export const KIND_LABELS: Record<string, string> = {
  invoke: "Run",
  install: "Install",
  upgrade: "Upgrade",
  publish: "Publish",
  materialize_task: "Create tasks",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** "unit-converter.convert" for a run; "Install crm-sync 1.2.0" for the rest. */
export function approvalTitle(a: Pick<ApprovalView, "kind" | "capability" | "request">): string {
  const c = a.capability;
  if (!c) return kindLabel(a.kind);
  if (a.kind === "invoke" || a.kind === "materialize_task") return c.action ? `${c.slug}.${c.action}` : c.slug;
  if (a.kind === "upgrade") return `Upgrade ${c.slug}${a.request.fromVersion ? ` ${a.request.fromVersion} →` : " to"} ${c.version ?? ""}`.trim();
  if (a.kind === "publish") return `Publish ${c.slug}${c.version ? ` ${c.version}` : ""}${a.request.visibility ? ` (${a.request.visibility})` : ""}`;
  return `${kindLabel(a.kind)} ${c.slug}${c.version ? ` ${c.version}` : ""}`;
}

export function requesterLabel(r: ApprovalView["requester"]): string {
  const who = r.name || r.email || (r.id ? r.id : "someone");
  return r.via === "token" ? `${who} (API token)` : who;
}

export function approverLabel(approver: string): string {
  return approver === "admin" ? "an administrator" : "an administrator, or a member if the organisation allows it";
}

/** "23h left", "12m left", "expires now"; null once past. */
export function timeLeft(expiresAt: string, nowMs: number): string | null {
  const s = Math.round((Date.parse(expiresAt) - nowMs) / 1000);
  if (s <= 0) return null;
  if (s < 60) return "under a minute left";
  if (s < 3600) return `${Math.floor(s / 60)}m left`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m left`;
  const d = Math.floor(s / 86_400);
  return `${d} day${d === 1 ? "" : "s"} left`;
}

/** Less than this left before expiry: the time is shown as a warning. */
export const EXPIRY_WARNING_MS = 2 * 3600_000;

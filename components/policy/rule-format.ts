// How an organisation rule reads to people: its effect as a badge, its match as short
// "field: values" parts, and the defaults by security level that apply when no rule
// matches. Pure, shared by the rules editor and the approval inbox (a trust
// recommendation is a rule too).
import type { BadgeTone } from "@/components/ui/badge";
import type { OrgRule } from "@/lib/policy/rules";

/** Versions per page of the rules history (the page's first load and "Load older versions"). */
export const HISTORY_PAGE_SIZE = 20;

export interface EffectMeta {
  label: string;
  tone: BadgeTone;
  summary: string;
}

export const EFFECT_META: Record<OrgRule["effect"], EffectMeta> = {
  allow: { label: "Allow", tone: "success", summary: "Runs without asking anyone." },
  deny: { label: "Deny", tone: "danger", summary: "Refused before anything runs." },
  require_approval: { label: "Needs approval", tone: "warning", summary: "Waits in the approval inbox until someone decides." },
};

export function approverLabel(rule: Pick<OrgRule, "effect" | "approver">): string | null {
  if (rule.effect !== "require_approval") return null;
  if (rule.approver === "admin") return "by an admin";
  if (rule.approver === "any") return "by anyone allowed to approve";
  return "approver per the organisation setting";
}

export interface MatchPart {
  key: string;
  label: string;
  values: string[];
}

const MATCH_LABELS: Record<keyof OrgRule["match"], string> = {
  what: "what",
  capability: "capability",
  action: "action",
  agent: "agent",
  risk: "risk",
  permission: "any permission of",
  permissionsWithin: "only permissions within",
  domain: "any domain of",
  domainsWithin: "only domains within",
};

const MATCH_ORDER = Object.keys(MATCH_LABELS) as (keyof OrgRule["match"])[];

/** The match as labelled parts in a fixed order; empty when the rule matches every request. */
export function matchParts(match: OrgRule["match"]): MatchPart[] {
  const out: MatchPart[] = [];
  for (const key of MATCH_ORDER) {
    const value = match[key];
    if (value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).map(String);
    out.push({ key, label: MATCH_LABELS[key], values: values.length ? values : ["(none)"] });
  }
  return out;
}

/** One line for screen readers and titles: "what invoke; capability slack-*". */
export function matchSentence(match: OrgRule["match"]): string {
  const parts = matchParts(match);
  return parts.length ? parts.map((p) => `${p.label} ${p.values.join(" or ")}`).join("; ") : "every request";
}

export interface DefaultRow {
  level: "SAFE" | "MODERATE" | "RESTRICTED" | "DANGEROUS";
  risk: "low" | "medium" | "high" | "critical";
  outcome: string;
  detail: string;
  tone: BadgeTone;
}

/** What happens when no rule matches (lib/policy/README.md, step 3). */
export const DEFAULTS_BY_LEVEL: DefaultRow[] = [
  { level: "SAFE", risk: "low", outcome: "Runs", detail: "Reads or computes within the agent; nothing leaves it.", tone: "success" },
  { level: "MODERATE", risk: "medium", outcome: "Runs and is logged", detail: "Reaches outside services in limited ways or costs money; every run is in the audit log.", tone: "info" },
  { level: "RESTRICTED", risk: "high", outcome: "Needs approval", detail: "Waits in the inbox; members may decide other people's requests when the organisation allows it, admins always.", tone: "warning" },
  { level: "DANGEROUS", risk: "critical", outcome: "Needs an admin's approval", detail: "Waits for an admin (never the requester), and the full request is recorded.", tone: "danger" },
];

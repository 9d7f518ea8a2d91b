// One organisation rule, readable: its id, effect badge (and approver), description and
// what it matches, as "field: value" chips. Used by the rules editor's list and by the
// approval inbox for a progressive-trust recommendation.
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import type { OrgRule } from "@/lib/policy/rules";
import { approverLabel, EFFECT_META, matchParts, matchSentence } from "./rule-format";

export function EffectBadge({ rule }: { rule: Pick<OrgRule, "effect" | "approver"> }) {
  const meta = EFFECT_META[rule.effect];
  const approver = approverLabel(rule);
  return (
    <Badge tone={meta.tone} dot title={approver ? `${meta.summary} Approval ${approver}.` : meta.summary}>
      {meta.label}
      {rule.effect === "require_approval" && rule.approver === "admin" && <span className="font-normal">· admin</span>}
    </Badge>
  );
}

export function MatchChips({ match, className }: { match: OrgRule["match"]; className?: string }) {
  const parts = matchParts(match);
  if (!parts.length) {
    return <p className={cx("text-[12.5px] text-fg-muted", className)}>Matches every request</p>;
  }
  return (
    <ul aria-label={`Matches ${matchSentence(match)}`} className={cx("flex flex-wrap gap-1.5", className)}>
      {parts.map((p) => (
        <li key={p.key} className="inline-flex max-w-full items-baseline gap-1 rounded-md border border-border bg-surface-2/70 px-1.5 py-0.5 text-[12px]">
          <span className="text-fg-subtle">{p.label}</span>
          <span className="truncate font-mono text-[11.5px] text-fg">{p.values.join(" | ")}</span>
        </li>
      ))}
    </ul>
  );
}

export function RuleCard({ rule, index, aside, className }: { rule: OrgRule; index?: number; aside?: ReactNode; className?: string }) {
  const approver = approverLabel(rule);
  return (
    <div className={cx("flex items-start gap-3", className)}>
      {index !== undefined && (
        <span aria-hidden className="mt-0.5 grid size-6 shrink-0 place-items-center rounded-md bg-surface-2 font-mono text-[11.5px] text-fg-muted tabular-nums">
          {index + 1}
        </span>
      )}
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <code className="font-mono text-[13px] font-medium break-all text-fg">{rule.id}</code>
          <EffectBadge rule={rule} />
          {approver && rule.approver !== "admin" && <span className="text-[12px] text-fg-subtle">{approver}</span>}
        </div>
        {rule.description && <p className="mt-1 text-[13px] text-fg-muted">{rule.description}</p>}
        <MatchChips match={rule.match} className="mt-2" />
      </div>
      {aside && <div className="flex shrink-0 items-center gap-1">{aside}</div>}
    </div>
  );
}

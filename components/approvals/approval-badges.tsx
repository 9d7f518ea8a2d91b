// Small badges of the approval inbox: the security level (SAFE green, MODERATE amber,
// RESTRICTED red, DANGEROUS violet, the same colours as the risk levels they map from),
// the status, and the "held" marker.
import { ClockIcon, ShieldAlertIcon, ShieldCheckIcon, ShieldIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { approvalStatusMeta, securityLevelMeta } from "./approval-format";

export function SecurityLevelBadge({ level, className }: { level: string; className?: string }) {
  const meta = securityLevelMeta(level);
  const Icon = level === "SAFE" ? ShieldCheckIcon : level === "MODERATE" ? ShieldIcon : ShieldAlertIcon;
  return (
    <span data-testid="security-level" data-level={level} className="inline-flex">
      <Badge tone={meta.tone} className={className} title={meta.summary}>
        <Icon className="size-3" />
        {level}
      </Badge>
    </span>
  );
}

export function ApprovalStatusBadge({ status, className }: { status: string; className?: string }) {
  const meta = approvalStatusMeta(status);
  return (
    <span data-testid="approval-status" data-status={status} className="inline-flex">
      <Badge tone={meta.tone} dot className={className}>
        {meta.label}
      </Badge>
    </span>
  );
}

export function HeldBadge({ note }: { note?: string | null }) {
  return (
    <span data-testid="approval-held" className="inline-flex">
      <Badge tone="warning" title={note ? `On hold: ${note}` : "On hold: someone paused it to look closer"}>
        <ClockIcon className="size-3" />
        Held
      </Badge>
    </span>
  );
}

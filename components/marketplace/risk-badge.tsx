import { ShieldAlertIcon, ShieldCheckIcon, ShieldIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { riskMeta } from "./format";

export function RiskIcon({ risk, className = "size-3.5" }: { risk: string; className?: string }) {
  const Icon = risk === "low" ? ShieldCheckIcon : risk === "medium" ? ShieldIcon : ShieldAlertIcon;
  return <Icon className={className} />;
}

/** "Medium risk" in the risk's colour, with its shield. */
export function RiskBadge({ risk, suffix = " risk", className }: { risk: string; suffix?: string; className?: string }) {
  const meta = riskMeta(risk);
  return (
    <Badge tone={meta.tone} className={className} title={meta.summary}>
      <RiskIcon risk={risk} className="size-3" />
      {meta.label}
      {suffix}
    </Badge>
  );
}

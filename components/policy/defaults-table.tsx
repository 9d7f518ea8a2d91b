// What the gate does when no organisation rule matches: the defaults by security level,
// and the few things no rule changes (kill switch, public publishing). `compact` stacks
// each level for narrow columns instead of a table.
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Badge } from "@/components/ui/badge";
import { DEFAULTS_BY_LEVEL } from "./rule-format";

export function DefaultsTable({ caption = "Defaults by security level", compact = false }: { caption?: string; compact?: boolean }) {
  return (
    <div>
      {compact ? <DefaultsList caption={caption} /> : <DefaultsGrid caption={caption} />}
      <ul className="mt-3 list-disc space-y-1 pl-5 text-[12.5px] text-fg-muted">
        <li>A request&apos;s risk is the highest of the capability&apos;s declared risk and its permissions&apos; risks; creating a task from a plan is at least high.</li>
        <li>The kill switch beats every rule: while it is on, anything that writes outside the agent is denied.</li>
        <li>Publishing to the public marketplace always waits for an admin; a deny rule can still refuse it.</li>
      </ul>
    </div>
  );
}

function DefaultsList({ caption }: { caption: string }) {
  return (
    <ul aria-label={caption} className="divide-y divide-border rounded-lg border border-border">
      {DEFAULTS_BY_LEVEL.map((row) => (
        <li key={row.level} className="px-3 py-2.5">
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="mr-1 font-mono text-[12px] font-semibold text-fg">{row.level}</span>
            <RiskBadge risk={row.risk} />
            <Badge tone={row.tone}>{row.outcome}</Badge>
          </div>
          <p className="mt-1 text-[12.5px] text-fg-muted">{row.detail}</p>
        </li>
      ))}
    </ul>
  );
}

function DefaultsGrid({ caption }: { caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-surface-2/70 text-[12px] text-fg-subtle">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Security level
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Risk
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              What happens
            </th>
          </tr>
        </thead>
        <tbody>
          {DEFAULTS_BY_LEVEL.map((row) => (
            <tr key={row.level} className="border-t border-border align-top">
              <th scope="row" className="px-3 py-2.5 font-mono text-[12px] font-semibold text-fg">
                {row.level}
              </th>
              <td className="px-3 py-2.5">
                <RiskBadge risk={row.risk} />
              </td>
              <td className="px-3 py-2.5">
                <Badge tone={row.tone}>{row.outcome}</Badge>
                <p className="mt-1 text-[12.5px] text-fg-muted">{row.detail}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

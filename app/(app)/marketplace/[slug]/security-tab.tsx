// The security report of the shown version, computed when it was published: a verdict,
// findings, permissions requested vs. abilities actually used, domains, dynamic code,
// size and dependencies. It describes what a static look can see; it never ran the code.
import { AlertIcon, CheckCircleIcon, CodeIcon, ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { formatBytes } from "@/components/marketplace/format";
import { GlobeIcon } from "@/components/marketplace/marketplace-icons";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { PanelEmpty } from "./overview-tab";
import { SectionTitle } from "./section-title";

const ANALYSIS: Record<string, string> = {
  code: "Static analysis of the code (a token scan that ignores strings and comments)",
  manifest: "Derived from the manifest: the HTTP calls it declares",
  none: "Nothing to analyse: no code and no HTTP calls",
};

export function SecurityTab({ detail }: { detail: CapabilityDetail }) {
  const r = detail.securityReport;
  if (!r) return <PanelEmpty icon={<ShieldCheckIcon />} title="No report yet" description="The security report is computed when a version is published." />;
  const clean = r.verdict === "clean";
  const warnings = r.findings.filter((f) => f.severity === "warning");
  const used = new Set(r.permissions.used);
  const unused = new Set(r.permissions.unused);
  const analysed = r.analysis !== "none";

  return (
    <div className="space-y-6" data-testid="security-report" data-verdict={r.verdict}>
      <Card className={cx("flex items-start gap-4 px-5 py-4", clean ? "border-success/30" : "border-warning/35")}>
        <span className={cx("grid size-11 shrink-0 place-items-center rounded-xl", clean ? "bg-success-soft text-success" : "bg-warning-soft text-warning")}>
          {clean ? <ShieldCheckIcon className="size-6" /> : <ShieldAlertIcon className="size-6" />}
        </span>
        <div className="min-w-0">
          <p className="text-[15px] font-semibold text-fg">{clean ? "Clean: nothing unexpected found" : `${warnings.length} warning${warnings.length === 1 ? "" : "s"} to read before installing`}</p>
          <p className="mt-0.5 text-[13px] text-fg-muted">
            Computed when version {detail.version?.version} was published. {ANALYSIS[r.analysis] ?? r.analysis}.
          </p>
        </div>
      </Card>

      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Permissions used" value={analysed ? `${r.permissions.used.length} of ${r.permissions.requested.length}` : `${r.permissions.requested.length} requested`} warn={r.permissions.usedWithoutPermission.length > 0} />
        <Stat label="Domains" value={String(r.domains.length)} />
        <Stat label="Dynamic code" value={r.dynamicCode.length ? `${r.dynamicCode.length} use${r.dynamicCode.length === 1 ? "" : "s"}` : "None"} warn={r.dynamicCode.length > 0} />
        <Stat label="Size" value={formatBytes(r.sizeBytes)} hint={r.sourceBytes !== null ? `${formatBytes(r.sourceBytes)} of code` : undefined} />
      </dl>

      {r.findings.length > 0 && (
        <section aria-labelledby="findings-title">
          <SectionTitle id="findings-title">Findings</SectionTitle>
          <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-surface shadow-card" data-testid="security-findings">
            {r.findings.map((f, i) => (
              <li key={i} className="flex items-start gap-3 px-4 py-3">
                {f.severity === "warning" ? <AlertIcon className="mt-0.5 size-4 shrink-0 text-warning" /> : <CheckCircleIcon className="mt-0.5 size-4 shrink-0 text-info" />}
                <div className="min-w-0 flex-1">
                  <p className="text-[13.5px] text-fg">{f.message}</p>
                  <p className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 font-mono text-[11.5px] text-fg-subtle">
                    <span>{f.code}</span>
                    {f.location && <span>at {f.location}</span>}
                    {f.permission && <span>{f.permission}</span>}
                  </p>
                </div>
                <Badge tone={f.severity === "warning" ? "warning" : "info"}>{f.severity === "warning" ? "Warning" : "Info"}</Badge>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="perm-use-title">
        <SectionTitle id="perm-use-title" description="What the capability asks for, against what the analysis saw it use. A permission it never uses is one you can safely withhold.">
          Permissions requested vs. used
        </SectionTitle>
        {r.permissions.requested.length === 0 && r.permissions.usedWithoutPermission.length === 0 ? (
          <p className="text-[13px] text-fg-muted">It requests no permissions.</p>
        ) : (
          <table className="w-full overflow-hidden rounded-xl border border-border bg-surface text-left text-[13px] shadow-card">
            <thead className="bg-surface-2/70 text-[11.5px] tracking-wide text-fg-subtle uppercase">
              <tr>
                <th className="px-4 py-2 font-medium">Permission</th>
                <th className="px-4 py-2 font-medium">Requested</th>
                <th className="px-4 py-2 font-medium">Seen in use</th>
              </tr>
            </thead>
            <tbody>
              {r.permissions.requested.map((p) => (
                <tr key={p} className="border-t border-border">
                  <td className="px-4 py-2 font-mono text-[12.5px] text-fg">{p}</td>
                  <td className="px-4 py-2 text-success">Yes</td>
                  <td className="px-4 py-2">
                    {used.has(p) ? <span className="text-success">Used</span> : unused.has(p) ? <span className="text-warning">Never used</span> : <span className="text-fg-subtle">Not observable</span>}
                  </td>
                </tr>
              ))}
              {r.permissions.usedWithoutPermission.map((p) => (
                <tr key={`x-${p}`} className="border-t border-border bg-danger-soft/40">
                  <td className="px-4 py-2 font-mono text-[12.5px] text-fg">{p}</td>
                  <td className="px-4 py-2 text-danger">No</td>
                  <td className="px-4 py-2 text-danger">Used without asking: the call will be refused</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {r.abilities.length > 0 && (
        <section aria-labelledby="abilities-title">
          <SectionTitle id="abilities-title">Host abilities it calls</SectionTitle>
          <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-surface text-[13px] shadow-card">
            {r.abilities.map((a, i) => (
              <li key={i} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
                <code className="font-mono text-[12.5px] font-medium text-fg">{a.ability}</code>
                <span className="text-fg-muted">{a.permission ? <code className="font-mono text-[12px]">{a.permission}</code> : "no permission needed"}</span>
                {a.lines.length > 0 && <span className="ml-auto font-mono text-[11.5px] text-fg-subtle">line{a.lines.length === 1 ? "" : "s"} {a.lines.join(", ")}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="sec-domains-title">
          <SectionTitle id="sec-domains-title">Domains it can reach</SectionTitle>
          {r.domains.length === 0 ? (
            <p className="text-[13px] text-fg-muted">None: it cannot reach the network.</p>
          ) : (
            <ul className="space-y-1.5">
              {r.domains.map((d) => (
                <li key={d} className="flex items-center gap-2 font-mono text-[12.5px] text-fg">
                  <GlobeIcon className="size-3.5 text-info" />
                  {d}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="dyn-title">
          <SectionTitle id="dyn-title">Dynamic code</SectionTitle>
          {r.dynamicCode.length === 0 ? (
            <p className="flex items-center gap-1.5 text-[13px] text-success">
              <CheckCircleIcon className="size-4" />
              No eval, new Function or dynamic import.
            </p>
          ) : (
            <ul className="space-y-1.5">
              {r.dynamicCode.map((d, i) => (
                <li key={i} className="flex items-center gap-2 text-[13px] text-warning">
                  <CodeIcon className="size-3.5" />
                  <code className="font-mono text-[12.5px]">{d.kind}</code>
                  <span className="text-fg-subtle">line {d.line}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {r.dependencies.length > 0 && (
        <section aria-labelledby="sec-deps-title">
          <SectionTitle id="sec-deps-title">Dependencies</SectionTitle>
          <ul className="flex flex-wrap gap-2">
            {r.dependencies.map((d) => (
              <li key={d.slug}>
                <Badge mono>
                  {d.slug} {d.version}
                  {d.optional ? " (optional)" : ""}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Stat({ label, value, hint, warn = false }: { label: string; value: string; hint?: string; warn?: boolean }) {
  return (
    <div className="rounded-xl border border-border bg-surface px-4 py-3 shadow-card">
      <dt className="text-[12px] text-fg-subtle">{label}</dt>
      <dd className={cx("mt-1 text-[17px] font-semibold tracking-tight tabular-nums", warn ? "text-warning" : "text-fg")}>{value}</dd>
      {hint && <dd className="text-[11.5px] text-fg-subtle">{hint}</dd>}
    </div>
  );
}

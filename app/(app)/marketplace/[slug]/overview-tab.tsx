import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { riskMeta } from "@/components/marketplace/format";
import { PlayIcon } from "@/components/icons";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { SectionTitle } from "./section-title";

type Field = CapabilityDetail["actions"][number]["inputs"][number];

export function OverviewTab({ detail, actionNeeds, onShowPermissions, onTryExample }: { detail: CapabilityDetail; actionNeeds: Record<string, string[]>; onShowPermissions: () => void; onTryExample?: (index: number) => void }) {
  const permissionRisk = new Map(detail.permissions.map((p) => [p.name, p.risk]));
  return (
    <div className="space-y-8">
      <section aria-labelledby="about-title">
        <SectionTitle id="about-title">About</SectionTitle>
        <div className="space-y-3 text-[14px] leading-relaxed text-fg">
          {(detail.description || detail.summary).split(/\n{2,}/).map((para, i) => (
            <p key={i} className="whitespace-pre-line">
              {para}
            </p>
          ))}
        </div>
        {detail.tags.length > 0 && (
          <div className="mt-4 flex flex-wrap gap-1.5">
            {detail.tags.map((t) => (
              <Badge key={t}>#{t}</Badge>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="actions-title">
        <SectionTitle id="actions-title" aside={<span className="text-[12.5px] text-fg-subtle">{detail.actions.length} action{detail.actions.length === 1 ? "" : "s"}</span>}>
          Actions
        </SectionTitle>
        {detail.actions.length === 0 ? (
          <p className="text-[13px] text-fg-muted">This capability declares no actions.</p>
        ) : (
          <div className="space-y-4">
            {detail.actions.map((a) => {
              const needs = actionNeeds[a.id] ?? [];
              return (
                <Card key={a.id} className="overflow-hidden" data-testid={`action-${a.id}`}>
                  <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-4 py-3">
                    <div className="min-w-0">
                      <h3 className="flex flex-wrap items-center gap-2 text-[14px] font-semibold text-fg">
                        {a.name}
                        <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[11.5px] font-normal text-fg-muted">{a.id}</code>
                      </h3>
                      {a.description && <p className="mt-0.5 text-[13px] text-fg-muted">{a.description}</p>}
                    </div>
                    {needs.length > 0 && (
                      <button type="button" onClick={onShowPermissions} className="flex flex-wrap items-center gap-1 text-left" title="Permissions this action needs">
                        <span className="mr-0.5 text-[11.5px] text-fg-subtle">needs</span>
                        {needs.map((p) => (
                          <Badge key={p} mono tone={riskMeta(permissionRisk.get(p) ?? "high").tone}>
                            {p}
                          </Badge>
                        ))}
                      </button>
                    )}
                  </div>
                  <div className="grid divide-y divide-border md:grid-cols-2 md:divide-x md:divide-y-0">
                    <FieldTable title="Inputs" fields={a.inputs} empty="No inputs" />
                    <FieldTable title="Outputs" fields={a.outputs} empty="No declared outputs" />
                  </div>
                </Card>
              );
            })}
          </div>
        )}
      </section>

      {detail.examples.length > 0 && (
        <section aria-labelledby="examples-title">
          <SectionTitle id="examples-title">Examples</SectionTitle>
          <div className="space-y-3">
            {detail.examples.map((ex, i) => (
              <Card key={i} className="overflow-hidden">
                <div className="flex items-center gap-2 border-b border-border px-4 py-2.5 text-[13px]">
                  <PlayIcon className="size-3.5 text-fg-subtle" />
                  <span className="font-medium text-fg">{ex.name ?? `Example ${i + 1}`}</span>
                  {ex.action && <code className="font-mono text-[11.5px] text-fg-subtle">{ex.action}</code>}
                  {onTryExample && (
                    <Button size="xs" variant="secondary" className="ml-auto" icon={<PlayIcon className="size-3" />} onClick={() => onTryExample(i)} data-testid={`example-try-${i}`} aria-label={`Try ${ex.name ?? `example ${i + 1}`}`}>
                      Try
                    </Button>
                  )}
                </div>
                <div className={cx("grid divide-border", ex.expectedOutput !== null ? "md:grid-cols-2 md:divide-x" : "")}>
                  <JsonBlock label="Input" value={ex.input} />
                  {ex.expectedOutput !== null && <JsonBlock label="Expected output" value={ex.expectedOutput} />}
                </div>
              </Card>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

function FieldTable({ title, fields, empty }: { title: string; fields: Field[]; empty: string }) {
  return (
    <div className="min-w-0">
      <p className="px-4 pt-3 pb-1.5 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">{title}</p>
      {fields.length === 0 ? (
        <p className="px-4 pb-3 text-[13px] text-fg-subtle">{empty}</p>
      ) : (
        <table className="w-full text-left text-[13px]">
          <thead className="sr-only">
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.name} className="border-t border-border/70 align-top first:border-t-0">
                <td className="py-2 pr-2 pl-4 whitespace-nowrap">
                  <code className="font-mono text-[12.5px] font-medium text-fg">{f.name}</code>
                  {f.required && (
                    <span className="ml-1 text-danger" title="Required">
                      *
                    </span>
                  )}
                </td>
                <td className="px-2 py-2 whitespace-nowrap">
                  <Badge mono>{f.type}</Badge>
                </td>
                <td className="py-2 pr-4 pl-2 text-fg-muted">
                  {f.description ?? <span className="text-fg-subtle">—</span>}
                  {f.enum && <span className="mt-0.5 block font-mono text-[11.5px] text-fg-subtle">one of {f.enum.join(", ")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="min-w-0 border-border not-first:border-t md:not-first:border-t-0">
      <p className="px-4 pt-3 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">{label}</p>
      <pre className="overflow-x-auto px-4 pt-1.5 pb-3 font-mono text-[12px] leading-relaxed text-fg">{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

export function PanelEmpty({ icon, title, description }: { icon: React.ReactNode; title: string; description: string }) {
  return (
    <div className="rounded-xl border border-dashed border-border-strong/70">
      <EmptyState icon={icon} title={title} description={description} className="py-10" />
    </div>
  );
}

"use client";
// Filters for the timeline. Every change goes to the URL (see TimelineView), which reloads
// the list and reconnects the live stream with the same filters.
import { useState, type FormEvent, type ReactNode } from "react";
import { severityMeta } from "@/components/events/event-format";
import { ChevronDownIcon, FilterIcon, XIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/input";
import { Popover } from "@/components/ui/popover";
import { ACTOR_KINDS, countActiveFilters, SEVERITY_VALUES, type TimelineFilters } from "./timeline-filters";

export interface FilterBarProps {
  filters: TimelineFilters;
  eventTypes: string[];
  onChange: (patch: Partial<TimelineFilters>) => void;
  onClear: () => void;
}

const chipBase = "inline-flex h-7 items-center gap-1.5 rounded-md border px-2.5 text-[12.5px] font-medium transition-colors";
const chipOff = "border-border bg-surface text-fg-muted hover:border-border-strong hover:text-fg";
const chipOn = "border-accent/40 bg-accent-soft text-accent-soft-fg";

function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function TimelineFilterBar({ filters, eventTypes, onChange, onClear }: FilterBarProps) {
  const active = countActiveFilters(filters);
  const textChips: { key: keyof TimelineFilters; label: string; value: string }[] = [
    { key: "streamType", label: "Stream type", value: filters.streamType },
    { key: "streamId", label: "Stream", value: filters.streamId },
    { key: "actorId", label: "Actor", value: filters.actorId },
    { key: "correlationId", label: "Correlation", value: filters.correlationId },
  ];
  return (
    <div className="space-y-2" role="group" aria-label="Filters">
      <div className="flex flex-wrap items-center gap-2">
        <TypeFilter selected={filters.type} eventTypes={eventTypes} onChange={(type) => onChange({ type })} />

        <Divider />
        <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Severity">
          {SEVERITY_VALUES.map((s) => {
            const on = filters.severity.includes(s);
            const meta = severityMeta(s);
            return (
              <button key={s} type="button" aria-pressed={on} onClick={() => onChange({ severity: toggle(filters.severity, s) })} className={cx(chipBase, on ? chipOn : chipOff)} data-testid={`filter-severity-${s}`}>
                <span aria-hidden className={cx("size-2 rounded-full", s === "info" ? "bg-info" : meta.bar)} />
                {meta.label}
              </button>
            );
          })}
        </div>

        <Divider />
        <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Actor kind">
          {ACTOR_KINDS.map((a) => {
            const on = filters.actorType.includes(a.value);
            return (
              <button key={a.value} type="button" aria-pressed={on} onClick={() => onChange({ actorType: toggle(filters.actorType, a.value) })} className={cx(chipBase, on ? chipOn : chipOff)} data-testid={`filter-actor-${a.value}`}>
                {a.label}
              </button>
            );
          })}
        </div>

        <Divider />
        <MoreFilters filters={filters} onChange={onChange} />

        {active > 0 && (
          <Button size="sm" variant="ghost" onClick={onClear} className="ml-auto" data-testid="filters-clear">
            Clear filters
          </Button>
        )}
      </div>
      {textChips.some((c) => c.value) && (
        <div className="flex flex-wrap items-center gap-1.5">
          {textChips
            .filter((c) => c.value)
            .map((c) => (
              <span key={c.key} className="inline-flex h-6 max-w-full items-center gap-1 rounded-md border border-accent/30 bg-accent-soft pr-0.5 pl-2 text-xs text-accent-soft-fg">
                <span className="font-medium">{c.label}:</span>
                <code className="truncate font-mono text-[11.5px]" title={c.value}>
                  {c.value}
                </code>
                <button type="button" aria-label={`Remove ${c.label} filter`} onClick={() => onChange({ [c.key]: "" })} className="grid size-5 place-items-center rounded hover:bg-accent/15">
                  <XIcon className="size-3" />
                </button>
              </span>
            ))}
        </div>
      )}
    </div>
  );
}

function Divider() {
  return <span aria-hidden className="mx-0.5 hidden h-5 w-px bg-border sm:block" />;
}

function TypeFilter({ selected, eventTypes, onChange }: { selected: string[]; eventTypes: string[]; onChange: (types: string[]) => void }) {
  const groups = new Map<string, string[]>();
  for (const t of eventTypes) {
    const domain = t.split(".")[0] ?? t;
    groups.set(domain, [...(groups.get(domain) ?? []), t]);
  }
  // Types in the URL that this build does not know (newer events) still show, so they can be removed.
  const unknown = selected.filter((t) => !eventTypes.includes(t));
  if (unknown.length) groups.set("other", unknown);
  const label = selected.length === 0 ? "All event types" : selected.length === 1 ? selected[0] : `${selected.length} event types`;
  return (
    <Popover
      data-testid="filter-type-button"
      buttonClassName={cx(chipBase, selected.length ? chipOn : chipOff)}
      button={
        <>
          <FilterIcon className="size-3.5" />
          <span className={cx(selected.length === 1 && "font-mono text-[12px]")}>{label}</span>
          <ChevronDownIcon className="size-3.5 opacity-60" />
        </>
      }
      panelClassName="w-72"
    >
      {(close) => (
        <div>
          <div className="max-h-80 overflow-y-auto p-1.5">
            {[...groups.entries()].map(([domain, types]) => (
              <fieldset key={domain} className="mb-1 last:mb-0">
                <legend className="px-2 pt-1.5 pb-1 text-[11px] font-semibold tracking-wide text-fg-subtle uppercase">{domain}</legend>
                {types.map((t) => (
                  <label key={t} className="flex cursor-pointer items-center gap-2.5 rounded-md px-2 py-1.5 hover:bg-surface-2">
                    <Checkbox checked={selected.includes(t)} onChange={() => onChange(toggle(selected, t))} />
                    <span className="font-mono text-[12px] text-fg">{t}</span>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
          <div className="flex items-center justify-between border-t border-border px-2 py-1.5">
            <Button size="xs" variant="ghost" onClick={() => onChange([])} disabled={selected.length === 0}>
              Clear
            </Button>
            <Button size="xs" variant="secondary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      )}
    </Popover>
  );
}

function MoreFilters({ filters, onChange }: { filters: TimelineFilters; onChange: (patch: Partial<TimelineFilters>) => void }) {
  const count = [filters.streamType, filters.streamId, filters.actorId, filters.correlationId].filter(Boolean).length;
  return (
    <Popover
      data-testid="filter-more-button"
      buttonClassName={cx(chipBase, count ? chipOn : chipOff)}
      button={
        <>
          Stream &amp; correlation
          {count > 0 && <span className="rounded bg-accent px-1 text-[10.5px] text-accent-fg">{count}</span>}
          <ChevronDownIcon className="size-3.5 opacity-60" />
        </>
      }
      panelClassName="w-80"
    >
      {(close) => <MoreFiltersForm filters={filters} onApply={(patch) => { onChange(patch); close(); }} />}
    </Popover>
  );
}

function MoreFiltersForm({ filters, onApply }: { filters: TimelineFilters; onApply: (patch: Partial<TimelineFilters>) => void }) {
  const [values, setValues] = useState({ streamType: filters.streamType, streamId: filters.streamId, actorId: filters.actorId, correlationId: filters.correlationId });
  const set = (k: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ streamType: values.streamType.trim(), streamId: values.streamId.trim(), actorId: values.actorId.trim(), correlationId: values.correlationId.trim() });
  };
  return (
    <form onSubmit={submit} className="space-y-3 p-3.5">
      <div className="grid grid-cols-[1fr_1.4fr] gap-2">
        <SmallField label="Stream type">
          <Input inputSize="sm" value={values.streamType} onChange={set("streamType")} placeholder="user" autoFocus />
        </SmallField>
        <SmallField label="Stream id">
          <Input inputSize="sm" value={values.streamId} onChange={set("streamId")} placeholder="usr_…" className="font-mono" />
        </SmallField>
      </div>
      <SmallField label="Actor id">
        <Input inputSize="sm" value={values.actorId} onChange={set("actorId")} placeholder="usr_… or agt_…" className="font-mono" />
      </SmallField>
      <SmallField label="Correlation id">
        <Input inputSize="sm" value={values.correlationId} onChange={set("correlationId")} placeholder="req_…" className="font-mono" data-testid="filter-correlation-input" />
      </SmallField>
      <div className="flex justify-end gap-2 pt-1">
        <Button size="sm" variant="ghost" onClick={() => setValues({ streamType: "", streamId: "", actorId: "", correlationId: "" })}>
          Reset
        </Button>
        <Button size="sm" variant="primary" type="submit">
          Apply
        </Button>
      </div>
    </form>
  );
}

function SmallField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="block">
      <span className="mb-1 block text-xs font-medium text-fg-muted">{label}</span>
      {children}
    </label>
  );
}

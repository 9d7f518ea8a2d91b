"use client";
// Consent to permissions: one checkbox per requested permission (explained, with its
// risk), and, as soon as something is withheld, which actions that disables. Used when
// installing, upgrading and changing what an installation may do.
import { AlertIcon } from "@/components/icons";
import { byRiskDesc } from "@/components/marketplace/format";
import { PermissionRow, type PermissionInfoView } from "@/components/marketplace/permission-row";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";

export interface ActionNeeds {
  id: string;
  name: string;
  needs: string[];
}

/** Actions that need a permission not in `granted`, with what they miss. */
export function disabledActions(actions: ActionNeeds[], granted: ReadonlySet<string>): { action: ActionNeeds; missing: string[] }[] {
  return actions.flatMap((action) => {
    const missing = action.needs.filter((p) => !granted.has(p));
    return missing.length ? [{ action, missing }] : [];
  });
}

export function PermissionChecklist({ permissions, granted, onChange, actions, idPrefix, testIdPrefix = "permission-checkbox-", badge, disabled }: { permissions: PermissionInfoView[]; granted: ReadonlySet<string>; onChange: (next: Set<string>) => void; actions: ActionNeeds[]; idPrefix: string; testIdPrefix?: string; badge?: (name: string) => React.ReactNode; disabled?: boolean }) {
  const sorted = [...permissions].sort(byRiskDesc);
  const toggle = (name: string, on: boolean) => {
    const next = new Set(granted);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  const off = disabledActions(actions, granted);
  const grantedCount = permissions.filter((p) => granted.has(p.name)).length;
  return (
    <div>
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-[12.5px] text-fg-muted" aria-live="polite">
          Granting <span className="font-medium text-fg tabular-nums">{grantedCount}</span> of {permissions.length}
        </p>
        {permissions.length > 1 && (
          <div className="flex gap-1">
            <Button size="xs" variant="ghost" disabled={disabled} onClick={() => onChange(new Set(permissions.map((p) => p.name)))}>
              Grant all
            </Button>
            <Button size="xs" variant="ghost" disabled={disabled} onClick={() => onChange(new Set())}>
              None
            </Button>
          </div>
        )}
      </div>
      <ul className="space-y-1.5">
        {sorted.map((p) => {
          const checked = granted.has(p.name);
          const id = `${idPrefix}-${p.name}`;
          const losing = !checked ? actions.filter((a) => a.needs.includes(p.name)) : [];
          return (
            <li key={p.name}>
              <PermissionRow
                permission={p}
                htmlFor={id}
                muted={!checked}
                aside={badge?.(p.name)}
                control={<Checkbox id={id} checked={checked} disabled={disabled} onChange={(e) => toggle(p.name, e.target.checked)} aria-label={`Grant ${p.label} (${p.name})`} data-testid={`${testIdPrefix}${p.name}`} />}
              >
                {!checked && (
                  <span className="mt-1 block text-[12px] font-medium text-warning">
                    {losing.length ? `Withheld: ${losing.map((a) => a.name).join(", ")} will be disabled` : "Withheld: no action depends on it"}
                  </span>
                )}
              </PermissionRow>
            </li>
          );
        })}
      </ul>
      {off.length > 0 && (
        <div className={cx("mt-3 rounded-lg border px-3 py-2.5 text-[12.5px]", off.length === actions.length ? "border-danger/25 bg-danger-soft" : "border-warning/25 bg-warning-soft")} data-testid="disabled-actions-preview">
          <p className={cx("flex items-center gap-1.5 font-medium", off.length === actions.length ? "text-danger" : "text-warning")}>
            <AlertIcon className="size-3.5" />
            {off.length === actions.length ? "Every action will be disabled" : `${off.length} of ${actions.length} action${actions.length === 1 ? "" : "s"} will be disabled`}
          </p>
          <ul className="mt-1 space-y-0.5 text-fg-muted">
            {off.map(({ action, missing }) => (
              <li key={action.id}>
                <span className="font-medium text-fg">{action.name}</span> needs <code className="font-mono text-[11.5px]">{missing.join(", ")}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

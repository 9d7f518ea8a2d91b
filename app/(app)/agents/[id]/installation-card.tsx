"use client";
// One installation on the agent page: capability and pinned version, its flags (disabled,
// yanked, deprecated, needs consent, upgrade available), granted and withheld permissions,
// actions (the disabled ones greyed with the reason), configuration (secrets only as set /
// not set), and the changes one can make to it.
import Link from "next/link";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { AlertIcon, CheckIcon, LockIcon, PlayIcon, XIcon } from "@/components/icons";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { riskMeta, typeLabel } from "@/components/marketplace/format";
import { ArrowUpCircleIcon, BanIcon, SlidersIcon, TrashIcon, UndoIcon } from "@/components/marketplace/marketplace-icons";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { ShieldIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/relative-time";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { UpdateInstallationResult } from "@/lib/agents/update-installation";
import { ConfigDialog } from "./config-dialog";
import { PermissionsDialog } from "./permissions-dialog";
import { UninstallDialog } from "./uninstall-dialog";
import { UpgradeDialog } from "./upgrade-dialog";

type Open = "config" | "permissions" | "upgrade" | "uninstall" | null;

export function InstallationCard({
  agentId,
  inst,
  siblings,
  onChanged,
  onReload,
  onRun,
}: {
  agentId: string;
  inst: InstallationView;
  siblings: InstallationView[];
  onChanged: (inst: InstallationView) => void;
  onReload: () => Promise<void>;
  /** Opens the Run panel with this action (`slug.action`) picked. */
  onRun?: (action: string) => void;
}) {
  const toast = useToast();
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState<"enable" | "rollback" | "cancel" | null>(null);
  const url = `/api/agents/${encodeURIComponent(agentId)}/installations/${encodeURIComponent(inst.id)}`;
  const name = inst.capability.name;

  async function patch(kind: "enable" | "rollback" | "cancel", body: object, success: (r: UpdateInstallationResult) => string) {
    setBusy(kind);
    try {
      const r = await apiFetch<UpdateInstallationResult>(url, { method: "PATCH", json: body });
      onChanged(r.installation);
      if (r.installedDependencies?.length) await onReload();
      toast.success(success(r));
    } catch (err) {
      toast.error(`${name}: the change was refused`, errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  const requiredDependents = inst.dependents.filter((d) => !d.optional);
  const disabledActions = inst.actions.filter((a) => a.disabled);
  const nameOf = (slug: string) => siblings.find((s) => s.capability.slug === slug)?.capability.name ?? slug;

  return (
    <li
      data-testid="installation"
      data-slug={inst.capability.slug}
      data-enabled={inst.enabled}
      className={cx("overflow-hidden rounded-xl border bg-surface shadow-card", inst.yanked ? "border-danger/35" : inst.needsConsent ? "border-warning/40" : "border-border")}
    >
      <div className="flex flex-wrap items-start gap-3 px-4 pt-4 pb-3">
        <CapabilityIcon icon={inst.capability.icon} className={cx(!inst.enabled && "opacity-50 grayscale")} />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link href={`/marketplace/${inst.capability.slug}`} className={cx("text-[15px] font-semibold tracking-tight hover:underline", inst.enabled ? "text-fg" : "text-fg-muted")}>
              {name}
            </Link>
            <Badge mono title="Pinned: it stays on this exact version until someone upgrades it">
              <LockIcon className="size-2.5" />v{inst.version.version}
            </Badge>
            <RiskBadge risk={inst.version.risk} />
            {!inst.enabled && (
              <Badge tone="neutral">
                <span data-testid="flag-disabled">Disabled</span>
              </Badge>
            )}
            {inst.yanked && (
              <Badge tone="danger" title="Its publisher yanked this version: it keeps working, but upgrade when you can">
                <span data-testid="flag-yanked">⚠ Yanked</span>
              </Badge>
            )}
            {inst.deprecated && (
              <Badge tone="warning">
                <span data-testid="flag-deprecated">Deprecated</span>
              </Badge>
            )}
            {inst.needsConsent && (
              <Badge tone="warning">
                <span data-testid="flag-needs-consent">Needs consent</span>
              </Badge>
            )}
            {inst.upgradeAvailable && !inst.needsConsent && inst.latestVersion && <Badge tone="info">{inst.latestVersion} available</Badge>}
          </div>
          <p className="mt-0.5 text-[12.5px] text-fg-subtle">
            {typeLabel(inst.capability.type)} · installed <RelativeTime iso={inst.createdAt} />
            {inst.requiredBy && (
              <>
                {" "}
                · installed as a dependency of <span className="font-medium text-fg-muted">{nameOf(inst.requiredBy.slug)}</span>
              </>
            )}
          </p>
        </div>
        <label className="flex items-center gap-2 text-[12.5px] font-medium text-fg-muted">
          {inst.enabled ? "Enabled" : "Disabled"}
          <Switch checked={inst.enabled} disabled={busy === "enable"} onChange={(enabled) => patch("enable", { enabled }, () => (enabled ? `${name} enabled` : `${name} disabled: its actions cannot run`))} aria-label={`${name} enabled`} />
        </label>
      </div>

      {inst.pendingUpgrade && (
        <div className="mx-4 mb-3 flex flex-wrap items-start gap-3 rounded-lg border border-warning/30 bg-warning-soft px-3 py-2.5 text-[13px]" data-testid="pending-upgrade">
          <AlertIcon className="mt-0.5 size-4 shrink-0 text-warning" />
          <div className="min-w-0 flex-1">
            <p className="font-medium text-fg">
              Version {inst.pendingUpgrade.version} waits for your consent
            </p>
            <p className="mt-0.5 text-fg-muted">
              It asks for {inst.pendingUpgrade.permissionDiff.added.length} new permission{inst.pendingUpgrade.permissionDiff.added.length === 1 ? "" : "s"} (<code className="font-mono text-[12px]">{inst.pendingUpgrade.permissionDiff.added.join(", ")}</code>). Version {inst.version.version} keeps working meanwhile.
            </p>
          </div>
          <div className="flex items-center gap-1.5">
            <Button size="sm" variant="primary" onClick={() => setOpen("upgrade")} data-testid="review-upgrade">
              Review upgrade
            </Button>
            <Button size="sm" variant="ghost" loading={busy === "cancel"} onClick={() => patch("cancel", { cancelUpgrade: true }, () => `Upgrade of ${name} cancelled; it stays on ${inst.version.version}`)} data-testid="cancel-upgrade">
              Cancel upgrade
            </Button>
          </div>
        </div>
      )}
      {inst.yanked && (
        <div className="mx-4 mb-3 flex items-start gap-2 rounded-lg border border-danger/25 bg-danger-soft px-3 py-2 text-[13px] text-fg-muted">
          <AlertIcon className="mt-0.5 size-4 shrink-0 text-danger" />
          <span>
            The publisher yanked version {inst.version.version}. It keeps working here, but nobody can install it any more.
            {inst.upgradeAvailable && inst.latestVersion ? ` Upgrade to ${inst.latestVersion} when you can.` : ""}
          </span>
        </div>
      )}

      <div className="grid border-t border-border md:grid-cols-3 md:divide-x md:divide-border">
        <Column title="Permissions" aside={`${inst.grantedPermissions.length} of ${inst.requestedPermissions.length} granted`}>
          {inst.permissions.length === 0 ? (
            <p className="text-[12.5px] text-fg-subtle">Needs no permissions.</p>
          ) : (
            <ul className="space-y-1">
              {inst.permissions.map((p) => (
                <li key={p.name} data-testid={p.granted ? "granted-permission" : "withheld-permission"} data-permission={p.name} className="flex items-start gap-2 text-[12.5px]" title={p.explanation}>
                  {p.granted ? <CheckIcon className="mt-0.5 size-3.5 shrink-0 text-success" /> : <XIcon className="mt-0.5 size-3.5 shrink-0 text-fg-subtle" />}
                  <span className="min-w-0 flex-1">
                    <span className={cx(p.granted ? "text-fg" : "text-fg-muted line-through decoration-fg-subtle/60")}>{p.label}</span>{" "}
                    <code className="font-mono text-[11px] text-fg-subtle">{p.name}</code>
                    {!p.granted && <span className="ml-1.5 text-[11px] font-medium text-warning">withheld</span>}
                  </span>
                  <span aria-hidden title={`${riskMeta(p.risk).label} risk`} className={cx("mt-1.5 size-1.5 shrink-0 rounded-full", riskMeta(p.risk).bar)} />
                </li>
              ))}
            </ul>
          )}
        </Column>
        <Column title="Actions" aside={disabledActions.length ? `${disabledActions.length} disabled` : undefined}>
          {inst.actions.length === 0 ? (
            <p className="text-[12.5px] text-fg-subtle">No actions.</p>
          ) : (
            <ul className="space-y-1.5">
              {inst.actions.map((a) => {
                const off = a.disabled || !inst.enabled;
                return (
                  <li key={a.id} data-testid="action" data-action={a.id} data-disabled={a.disabled} className={cx("text-[12.5px]", off && "opacity-60")}>
                    <span className="flex items-center gap-1.5">
                      {a.disabled ? <BanIcon className="size-3.5 shrink-0 text-fg-subtle" /> : <span aria-hidden className={cx("size-1.5 shrink-0 rounded-full", inst.enabled ? "bg-success" : "bg-fg-subtle")} />}
                      <span className={cx("font-medium", a.disabled ? "text-fg-muted" : "text-fg")}>{a.name}</span>
                      <code className="font-mono text-[11px] text-fg-subtle">{a.id}</code>
                      {onRun && !off && (
                        <Button
                          size="xs"
                          variant="ghost"
                          className="ml-auto h-5 px-1.5 text-[11.5px]"
                          icon={<PlayIcon className="size-3" />}
                          onClick={() => onRun(`${inst.capability.slug}.${a.id}`)}
                          aria-label={`Run ${a.name}`}
                          data-testid="run-action-button"
                        >
                          Run
                        </Button>
                      )}
                    </span>
                    {a.disabled && (
                      <span className="mt-0.5 block pl-5 text-[11.5px] text-fg-subtle" data-testid="action-disabled-reason">
                        Disabled: needs <code className="font-mono">{a.missingPermissions.join(", ")}</code> (withheld)
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Column>
        <Column title="Configuration">
          {inst.configuration.length === 0 ? (
            <p className="text-[12.5px] text-fg-subtle">Nothing to configure.</p>
          ) : (
            <dl className="space-y-1.5 text-[12.5px]">
              {inst.configuration.map((f) => {
                const secret = inst.secrets.find((s) => s.key === f.key);
                const value = inst.config[f.key];
                return (
                  <div key={f.key} className="flex items-start justify-between gap-2" data-testid="config-value" data-key={f.key}>
                    <dt className="min-w-0 text-fg-muted">
                      {f.type === "secret" && <LockIcon className="mr-1 inline size-3 text-security" />}
                      {f.label}
                    </dt>
                    <dd className="min-w-0 text-right">
                      {f.type === "secret" ? (
                        secret?.set ? (
                          <Badge tone="success">set</Badge>
                        ) : (
                          <Badge tone={f.required ? "warning" : "neutral"}>not set</Badge>
                        )
                      ) : value === undefined || value === null || value === "" ? (
                        <span className="text-fg-subtle">{f.required ? "missing" : "—"}</span>
                      ) : (
                        <code className="font-mono text-[11.5px] break-all text-fg">{String(value)}</code>
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
          )}
          {inst.dependents.length > 0 && (
            <p className="mt-3 border-t border-border pt-2 text-[11.5px] text-fg-subtle">
              Needed by {inst.dependents.map((d) => `${d.name} (${d.range}${d.optional ? ", optional" : ""})`).join(", ")}
            </p>
          )}
        </Column>
      </div>

      <div className="flex flex-wrap items-center gap-1.5 border-t border-border bg-surface-2/50 px-3 py-2">
        {inst.configuration.length > 0 && (
          <Button size="sm" variant="ghost" icon={<SlidersIcon className="size-3.5" />} onClick={() => setOpen("config")} data-testid="edit-config">
            Configure
          </Button>
        )}
        {inst.permissions.length > 0 && (
          <Button size="sm" variant="ghost" icon={<ShieldIcon className="size-3.5" />} onClick={() => setOpen("permissions")} data-testid="edit-permissions">
            Permissions
          </Button>
        )}
        {(inst.upgradeAvailable || inst.needsConsent) && (
          <Button size="sm" variant="ghost" icon={<ArrowUpCircleIcon className="size-3.5" />} onClick={() => setOpen("upgrade")} data-testid="upgrade-button">
            {inst.needsConsent && inst.pendingUpgrade ? `Upgrade to ${inst.pendingUpgrade.version}` : `Upgrade${inst.latestVersion ? ` to ${inst.latestVersion}` : ""}`}
          </Button>
        )}
        {inst.previousVersion && (
          <Button
            size="sm"
            variant="ghost"
            icon={<UndoIcon className="size-3.5" />}
            loading={busy === "rollback"}
            disabled={inst.previousVersion.yanked}
            title={inst.previousVersion.yanked ? `${inst.previousVersion.version} was yanked: it cannot be restored` : `Go back to ${inst.previousVersion.version}, as before the last upgrade`}
            onClick={() => patch("rollback", { rollback: true }, (r) => `${name} rolled back to ${r.installation.version.version}`)}
            data-testid="rollback-button"
          >
            Roll back to {inst.previousVersion.version}
          </Button>
        )}
        <Button size="sm" variant="danger-ghost" className="ml-auto" icon={<TrashIcon className="size-3.5" />} onClick={() => setOpen("uninstall")} data-testid="uninstall-button">
          Uninstall
        </Button>
      </div>

      {open === "config" && <ConfigDialog open onClose={() => setOpen(null)} url={url} inst={inst} onSaved={(i) => { onChanged(i); setOpen(null); }} />}
      {open === "permissions" && <PermissionsDialog open onClose={() => setOpen(null)} url={url} inst={inst} onSaved={(i) => { onChanged(i); setOpen(null); }} />}
      {open === "upgrade" && <UpgradeDialog open onClose={() => setOpen(null)} url={url} inst={inst} onUpgraded={async (r) => { setOpen(null); onChanged(r.installation); if (r.installedDependencies?.length) await onReload(); }} />}
      {open === "uninstall" && <UninstallDialog open onClose={() => setOpen(null)} url={url} inst={inst} requiredBy={requiredDependents} onUninstalled={async () => { setOpen(null); await onReload(); }} />}
    </li>
  );
}

function Column({ title, aside, children }: { title: string; aside?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 border-border px-4 py-3 not-first:border-t md:not-first:border-t-0">
      <p className="mb-2 flex items-baseline justify-between gap-2 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">
        {title}
        {aside && <span className="font-normal tracking-normal normal-case">{aside}</span>}
      </p>
      {children}
    </div>
  );
}

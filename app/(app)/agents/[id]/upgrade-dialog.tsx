"use client";
// Upgrading an installation (or completing one that waits for consent): pick the target
// version, read the permission diff (added ones marked by risk, removed ones struck, kept
// ones plain), consent to the target's permissions, and fill in only the configuration
// the new version adds. Sending the consent completes the upgrade; settings that still fit
// carry over. The diff is computed here from the two versions; the server checks it again.
import { useEffect, useMemo, useState } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { ApprovalWait, isApprovalPending, type ApprovalPending } from "@/components/marketplace/install/approval-wait";
import { ConfigFields, configErrorsFromApi, draftToPayload, initialDraft, type ConfigDraft, type ConfigFieldSpec } from "@/components/agents/config-fields";
import { PermissionChecklist } from "@/components/agents/permission-checklist";
import { riskMeta } from "@/components/marketplace/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Label } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { UpdateInstallationResult } from "@/lib/agents/update-installation";
import type { Manifest } from "@/lib/registry/manifest-schema";
import type { VersionRecord } from "@/lib/registry/version-record";

interface PermissionCatalogItem {
  name: string;
  label: string;
  explanation: string;
  risk: string;
}

export function UpgradeDialog({ open, onClose, url, inst, onUpgraded }: { open: boolean; onClose: () => void; url: string; inst: InstallationView; onUpgraded: (r: UpdateInstallationResult) => void }) {
  const [pending, setPending] = useState(false);
  const [waiting, setWaiting] = useState<ApprovalPending | null>(null);
  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} size="lg" title={inst.pendingUpgrade ? `Review the upgrade of ${inst.capability.name}` : `Upgrade ${inst.capability.name}`} description={`From ${inst.version.version}. Nothing changes until you confirm; you can roll back in one click afterwards.`} data-testid="upgrade-dialog">
      {open && !waiting && <UpgradeForm url={url} inst={inst} onCancel={onClose} onUpgraded={onUpgraded} onApprovalPending={setWaiting} pending={pending} setPending={setPending} />}
      {open && waiting && <ApprovalWait pending={waiting} what={`upgrading ${inst.capability.name}`} />}
    </Dialog>
  );
}

function UpgradeForm({
  url,
  inst,
  onCancel,
  onUpgraded,
  onApprovalPending,
  pending,
  setPending,
}: {
  url: string;
  inst: InstallationView;
  onCancel: () => void;
  onUpgraded: (r: UpdateInstallationResult) => void;
  onApprovalPending: (p: ApprovalPending) => void;
  pending: boolean;
  setPending: (p: boolean) => void;
}) {
  const toast = useToast();
  const slug = encodeURIComponent(inst.capability.slug);
  const [versions, setVersions] = useState<VersionRecord[] | null>(null);
  const [catalog, setCatalog] = useState<Map<string, PermissionCatalogItem> | null>(null);
  const [target, setTarget] = useState<string>(inst.pendingUpgrade?.version ?? inst.latestVersion ?? "");
  const [manifests, setManifests] = useState<Record<string, Manifest>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [granted, setGranted] = useState<Set<string> | null>(null);
  const [draft, setDraft] = useState<ConfigDraft>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  // Versions newer than the installed one (publish order is semver order), and the catalog.
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      apiFetch<{ items: VersionRecord[] }>(`/api/capabilities/${slug}/versions?limit=200`, { signal: controller.signal }),
      apiFetch<{ items: PermissionCatalogItem[] }>("/api/permissions", { signal: controller.signal }),
    ])
      .then(([v, p]) => {
        const index = v.items.findIndex((x) => x.version === inst.version.version);
        const newer = (index < 0 ? v.items : v.items.slice(0, index)).filter((x) => x.status !== "yanked");
        setVersions(newer);
        setCatalog(new Map(p.items.map((x) => [x.name, x])));
        setTarget((t) => (newer.some((x) => x.version === t) ? t : (newer[0]?.version ?? "")));
      })
      .catch((err) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(err));
      });
    return () => controller.abort();
  }, [slug, inst.version.version]);

  // The target's manifest, for its configuration schema.
  useEffect(() => {
    if (!target || manifests[target]) return;
    const controller = new AbortController();
    apiFetch<VersionRecord & { manifest: Manifest }>(`/api/capabilities/${slug}/versions/${encodeURIComponent(target)}`, { signal: controller.signal })
      .then((v) => setManifests((m) => ({ ...m, [target]: v.manifest })))
      .catch((err) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(err));
      });
    return () => controller.abort();
  }, [slug, target, manifests]);

  const targetVersion = versions?.find((v) => v.version === target);
  const manifest = manifests[target];
  const diff = useMemo(() => {
    if (!targetVersion) return null;
    const from = new Set(inst.requestedPermissions);
    const to = new Set(targetVersion.permissions);
    return { added: targetVersion.permissions.filter((p) => !from.has(p)), removed: inst.requestedPermissions.filter((p) => !to.has(p)), kept: targetVersion.permissions.filter((p) => from.has(p)) };
  }, [targetVersion, inst.requestedPermissions]);

  // Configuration to ask for: fields that are new or retyped, or required and without a value.
  const newFields: ConfigFieldSpec[] = useMemo(() => {
    if (!manifest) return [];
    const before = new Map(inst.configuration.map((f) => [f.key, f]));
    return manifest.configuration
      .map((f): ConfigFieldSpec => ({ key: f.key, label: f.label ?? f.key, type: f.type, required: f.required, description: f.description ?? null, helpUrl: f.help_url ?? null, default: f.type === "secret" ? null : ((f.default as string | number | boolean | undefined) ?? null) }))
      .filter((f) => {
        const old = before.get(f.key);
        const has = f.type === "secret" ? inst.secrets.some((s) => s.key === f.key && s.set) : inst.config[f.key] !== undefined;
        return !old || old.type !== f.type || (f.required && f.default === null && !has);
      });
  }, [manifest, inst.configuration, inst.config, inst.secrets]);
  const dropped = manifest ? inst.configuration.filter((f) => !manifest.configuration.some((n) => n.key === f.key)).map((f) => f.key) : [];

  // Default consent: what is still granted, plus everything new (unchecking is the choice).
  const defaultGrant = useMemo(() => (diff ? new Set([...diff.kept.filter((p) => inst.grantedPermissions.includes(p)), ...diff.added]) : null), [diff, inst.grantedPermissions]);
  const grant = granted ?? defaultGrant ?? new Set<string>();
  const [draftFor, setDraftFor] = useState("");
  if (manifest && draftFor !== target) {
    setDraftFor(target);
    setDraft(initialDraft(newFields));
  }

  const describe = (name: string): PermissionCatalogItem => catalog?.get(name) ?? { name, label: name, explanation: "", risk: "high" };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!targetVersion || !diff) return;
    setFormError(null);
    const { payload, errors: found } = draftToPayload(newFields, draft, { mode: "install" });
    if (Object.keys(found).length) {
      setErrors(found);
      return;
    }
    setPending(true);
    try {
      const r = await apiFetch<UpdateInstallationResult | ApprovalPending>(url, {
        method: "PATCH",
        json: { upgradeTo: target, grantedPermissions: targetVersion.permissions.filter((p) => grant.has(p)), config: payload.config, secrets: payload.secrets },
      });
      // The policy asks a person first (202): nothing changes until it is approved.
      if (isApprovalPending(r)) {
        onApprovalPending(r);
        return;
      }
      toast.success(`${inst.capability.name} upgraded to ${r.installation.version.version}`, inst.version.version ? `You can roll back to ${inst.version.version} in one click.` : undefined);
      onUpgraded(r);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const byKey = configErrorsFromApi(err.errors);
        setErrors(byKey);
        const rest = err.errors.filter((x) => !/^(config|secrets)\./.test(x.path));
        setFormError(rest.length ? rest.map((x) => `${x.path}: ${x.message}`).join("; ") : null);
      } else setFormError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  if (loadError) return <Alert tone="danger">{loadError}</Alert>;
  if (!versions || !catalog) {
    return (
      <div className="space-y-3" aria-busy="true">
        <Skeleton className="h-9 w-48" />
        <Skeleton className="h-20 w-full" />
        <Skeleton className="h-14 w-full" />
      </div>
    );
  }
  if (versions.length === 0) return <Alert tone="info">There is no newer version you can install.</Alert>;

  return (
    <form onSubmit={submit} noValidate>
      {formError && <Alert tone="danger" className="mb-4">{formError}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor={`upgrade-target-${inst.id}`} className="mb-1.5">
            Upgrade to
          </Label>
          <Select
            id={`upgrade-target-${inst.id}`}
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              setGranted(null);
              setErrors({});
            }}
            className="w-56"
            disabled={pending}
            data-testid="upgrade-target"
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.status === "deprecated" ? " · deprecated" : ""}
                {v.reviewState === "in_review" ? " · in review" : ""}
              </option>
            ))}
          </Select>
        </div>
        {targetVersion && <p className="pb-2 text-[12.5px] text-fg-muted">Published {new Date(targetVersion.publishedAt).toLocaleDateString()}</p>}
      </div>
      {targetVersion && <p className="mt-3 rounded-lg bg-surface-2 px-3 py-2 text-[13px] whitespace-pre-line text-fg-muted">{targetVersion.changelog}</p>}

      {diff && (
        <section className="mt-5" aria-labelledby={`diff-${inst.id}`} data-testid="permission-diff">
          <h3 id={`diff-${inst.id}`} className="mb-2 text-[14px] font-semibold text-fg">
            What changes in permissions
          </h3>
          {diff.added.length === 0 && diff.removed.length === 0 ? (
            <p className="text-[13px] text-fg-muted">The same permissions as {inst.version.version}: no new consent is needed.</p>
          ) : (
            <ul className="space-y-1 text-[13px]">
              {diff.added.map((p) => (
                <li key={p} className="flex items-center gap-2" data-testid="diff-added">
                  <Badge tone={riskMeta(describe(p).risk).tone === "success" ? "warning" : riskMeta(describe(p).risk).tone}>+ added</Badge>
                  <code className="font-mono text-[12.5px] text-fg">{p}</code>
                  <span className="text-fg-muted">{describe(p).label}</span>
                </li>
              ))}
              {diff.removed.map((p) => (
                <li key={p} className="flex items-center gap-2" data-testid="diff-removed">
                  <Badge tone="neutral">− removed</Badge>
                  <code className="font-mono text-[12.5px] text-fg-muted line-through">{p}</code>
                </li>
              ))}
              {diff.kept.length > 0 && <li className="text-[12.5px] text-fg-subtle">Kept: {diff.kept.join(", ")}</li>}
            </ul>
          )}
        </section>
      )}

      {targetVersion && targetVersion.permissions.length > 0 && (
        <section className="mt-5">
          <h3 className="mb-2 text-[14px] font-semibold text-fg">Consent for {target}</h3>
          <PermissionChecklist
            permissions={targetVersion.permissions.map(describe)}
            granted={grant}
            onChange={setGranted}
            actions={[]}
            idPrefix={`up-${inst.id}`}
            testIdPrefix="upgrade-permission-checkbox-"
            badge={(name) => (diff?.added.includes(name) ? <Badge tone="warning">New</Badge> : null)}
            disabled={pending}
          />
        </section>
      )}

      {manifest && (newFields.length > 0 || dropped.length > 0) && (
        <section className="mt-5">
          <h3 className="mb-1 text-[14px] font-semibold text-fg">Configuration</h3>
          <p className="mb-3 text-[12.5px] text-fg-muted">
            Settings that still fit carry over.
            {dropped.length > 0 && ` No longer used and dropped: ${dropped.join(", ")}.`}
          </p>
          {newFields.length > 0 && (
            <ConfigFields
              fields={newFields}
              draft={draft}
              onChange={(key, value) => {
                setDraft((d) => ({ ...d, [key]: value }));
                setErrors((x) => ({ ...x, [key]: "" }));
              }}
              errors={errors}
              idPrefix={`up-cfg-${inst.id}`}
              disabled={pending}
            />
          )}
        </section>
      )}

      <DialogFooter>
        <Button variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={pending} disabled={!targetVersion || !manifest} data-testid="upgrade-submit">
          {diff?.added.length ? "Consent & upgrade" : "Upgrade"}
        </Button>
      </DialogFooter>
    </form>
  );
}

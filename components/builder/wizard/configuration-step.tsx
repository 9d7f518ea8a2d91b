"use client";
// Step 3, Configuration: the keys an installer enters (label, type — a secret's default is
// masked —, required, help URL), the permissions picked from the catalog with their
// explanations and the capability's resulting risk computed as you pick, and the domains
// its HTTP calls may reach.
import { useEffect, useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { PlusIcon, XIcon } from "@/components/icons";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { newKey, type BuilderConfig, type BuilderState } from "@/lib/builder/draft/draft-state";
import { CONFIG_TYPES } from "@/lib/registry/manifest-schema";
import { capabilityRisk, PERMISSION_NAMES, type Permission, type RiskLevel } from "@/lib/registry/permissions";
import { errorAt, type Problem } from "./field-errors";
import { moveItem } from "./fields-table";

interface CatalogItem {
  name: string;
  label: string;
  explanation: string;
  risk: RiskLevel;
  group: string;
}

function usePermissionCatalog(): { items: CatalogItem[] | null; error: string | null } {
  const [items, setItems] = useState<CatalogItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    apiFetch<{ items: CatalogItem[] }>("/api/permissions")
      .then((r) => live && setItems(r.items))
      .catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, []);
  return { items, error };
}

const known = new Set<string>(PERMISSION_NAMES);

export function ConfigurationStep({ state, errors, implied, onChange }: { state: BuilderState; errors: Problem[]; implied: { permissions: string[]; domains: string[] }; onChange: (s: BuilderState) => void }) {
  const catalog = usePermissionCatalog();
  const [domain, setDomain] = useState("");
  const setConfig = (configuration: BuilderConfig[]) => onChange({ ...state, configuration });
  const setRow = (i: number, patch: Partial<BuilderConfig>) => setConfig(state.configuration.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const effective = [...new Set([...state.permissions, ...implied.permissions])].filter((p): p is Permission => known.has(p));
  const risk = capabilityRisk(effective);
  const groups = catalog.items ? [...new Set(catalog.items.map((i) => i.group))] : [];

  const addDomain = () => {
    const d = domain.trim().toLowerCase();
    if (!d || state.allowedDomains.includes(d)) return;
    onChange({ ...state, allowedDomains: [...state.allowedDomains, d] });
    setDomain("");
  };

  return (
    <div className="space-y-8">
      <section aria-labelledby="config-heading" className="space-y-3">
        <div>
          <h3 id="config-heading" className="text-[14px] font-semibold text-fg">Configuration keys</h3>
          <p className="text-[12.5px] text-fg-muted">What an installer enters: API keys (as secrets, stored encrypted), account ids, options.</p>
        </div>
        {state.configuration.length === 0 ? (
          <p className="rounded-lg border border-dashed border-border px-3 py-4 text-center text-[12.5px] text-fg-subtle">No configuration: the capability needs nothing from the installer.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-border">
            <table className="w-full min-w-[760px] text-[12.5px]">
              <thead>
                <tr className="text-left text-fg-muted">
                  <th className="px-2 py-1.5 font-medium">Key</th>
                  <th className="px-2 py-1.5 font-medium">Label</th>
                  <th className="px-2 py-1.5 font-medium">Type</th>
                  <th className="px-2 py-1.5 font-medium">Required</th>
                  <th className="px-2 py-1.5 font-medium">Help URL</th>
                  <th className="px-2 py-1.5 font-medium">Default</th>
                  <th className="px-2 py-1.5">
                    <span className="sr-only">Row actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.configuration.map((c, i) => {
                  const p = `configuration[${i}]`;
                  const label = c.name || `key ${i + 1}`;
                  return (
                    <tr key={c.key} className="border-t border-border align-top">
                      <td className="px-2 py-1.5">
                        <Input inputSize="sm" aria-label={`Configuration key ${i + 1}`} data-path={`${p}.key`} className="font-mono" value={c.name} placeholder="API_KEY" invalid={Boolean(errorAt(errors, `${p}.key`))} title={errorAt(errors, `${p}.key`)} onChange={(e) => setRow(i, { name: e.target.value })} />
                      </td>
                      <td className="px-2 py-1.5">
                        <Input inputSize="sm" aria-label={`Label of ${label}`} data-path={`${p}.label`} value={c.label} onChange={(e) => setRow(i, { label: e.target.value })} />
                      </td>
                      <td className="px-2 py-1.5">
                        <Select selectSize="sm" className="min-w-[6.5rem]" aria-label={`Type of ${label}`} data-path={`${p}.type`} value={c.type} onChange={(e) => setRow(i, { type: e.target.value as BuilderConfig["type"] })}>
                          {CONFIG_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </Select>
                      </td>
                      <td className="px-2 py-1.5 text-center">
                        <Checkbox aria-label={`${label} is required`} checked={c.required} onChange={(e) => setRow(i, { required: e.target.checked })} />
                      </td>
                      <td className="px-2 py-1.5">
                        <Input inputSize="sm" type="url" aria-label={`Help URL of ${label}`} data-path={`${p}.help_url`} value={c.helpUrl} placeholder="https://…" invalid={Boolean(errorAt(errors, `${p}.help_url`))} title={errorAt(errors, `${p}.help_url`)} onChange={(e) => setRow(i, { helpUrl: e.target.value })} />
                      </td>
                      <td className="px-2 py-1.5">
                        <Input inputSize="sm" type={c.type === "secret" ? "password" : "text"} autoComplete="off" aria-label={`Default of ${label}`} data-path={`${p}.default`} value={c.default} invalid={Boolean(errorAt(errors, `${p}.default`))} title={errorAt(errors, `${p}.default`)} onChange={(e) => setRow(i, { default: e.target.value })} />
                      </td>
                      <td className="px-2 py-1.5 whitespace-nowrap">
                        <Button size="xs" variant="ghost" aria-label={`Move ${label} up`} disabled={i === 0} onClick={() => setConfig(moveItem(state.configuration, i, i - 1))}>
                          ↑
                        </Button>
                        <Button size="xs" variant="danger-ghost" aria-label={`Remove ${label}`} onClick={() => setConfig(state.configuration.filter((_, j) => j !== i))} icon={<XIcon className="size-3.5" />} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {state.configuration.map((c, i) => {
              const msg = errorAt(errors, `configuration[${i}]`);
              return msg ? (
                <p key={c.key} className="px-3 pb-1 text-[12px] text-danger">
                  {c.name || `key ${i + 1}`}: {msg}
                </p>
              ) : null;
            })}
          </div>
        )}
        <Button
          size="sm"
          variant="secondary"
          icon={<PlusIcon className="size-3.5" />}
          onClick={() => setConfig([...state.configuration, { key: newKey(), name: "", label: "", type: "string", required: false, description: "", helpUrl: "", default: "" }])}
        >
          Add configuration key
        </Button>
      </section>

      <section aria-labelledby="perm-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div>
            <h3 id="perm-heading" className="text-[14px] font-semibold text-fg">Permissions</h3>
            <p className="text-[12.5px] text-fg-muted">What the capability may do. Installers see these before they agree.</p>
          </div>
          <div className="flex items-center gap-2 text-[12.5px] text-fg-muted" data-testid="capability-risk" role="status" aria-live="polite">
            Resulting risk <RiskBadge risk={risk} />
          </div>
        </div>
        {implied.permissions.some((p) => !state.permissions.includes(p)) && (
          <p className="text-[12.5px] text-fg-muted">
            Implied by the logic: {implied.permissions.filter((p) => !state.permissions.includes(p)).map((p) => <code key={p} className="mr-1 font-mono">{p}</code>)}
          </p>
        )}
        {catalog.error && <Alert tone="danger" title="Could not load the permission catalog">{catalog.error}</Alert>}
        {!catalog.items && !catalog.error && <Skeleton className="h-40 w-full" />}
        {catalog.items && (
          <div className="grid gap-4 md:grid-cols-2">
            {groups.map((g) => (
              <fieldset key={g} className="rounded-lg border border-border p-3">
                <legend className="px-1 text-[12px] font-semibold tracking-wide text-fg-muted uppercase">{g}</legend>
                <ul className="space-y-2">
                  {catalog.items!.filter((i) => i.group === g).map((p) => {
                    const id = `perm-${p.name}`;
                    const checked = state.permissions.includes(p.name);
                    return (
                      <li key={p.name} className="flex gap-2">
                        <Checkbox
                          id={id}
                          data-path={`permissions.${p.name}`}
                          checked={checked}
                          aria-describedby={`${id}-x`}
                          onChange={(e) => onChange({ ...state, permissions: e.target.checked ? [...state.permissions, p.name] : state.permissions.filter((x) => x !== p.name) })}
                        />
                        <div className="min-w-0">
                          <label htmlFor={id} className="flex flex-wrap items-center gap-1.5 text-[13px] font-medium text-fg">
                            {p.label} <code className="font-mono text-[11.5px] text-fg-subtle">{p.name}</code> <RiskBadge risk={p.risk} suffix="" />
                          </label>
                          <p id={`${id}-x`} className="text-[12px] text-fg-muted">
                            {p.explanation}
                          </p>
                        </div>
                      </li>
                    );
                  })}
                </ul>
              </fieldset>
            ))}
          </div>
        )}
        {errorAt(errors, "permissions") && <p className="text-[12.5px] text-danger">{errorAt(errors, "permissions")}</p>}
      </section>

      <section aria-labelledby="domains-heading" className="space-y-3">
        <div>
          <h3 id="domains-heading" className="text-[14px] font-semibold text-fg">Allowed domains</h3>
          <p className="text-[12.5px] text-fg-muted">Hosts its HTTP calls may reach (e.g. api.example.com or *.example.com). Hosts used by the logic are added for you.</p>
        </div>
        <ul className="flex flex-wrap gap-2" aria-label="Allowed domains">
          {state.allowedDomains.map((d, i) => (
            <li key={d} className="flex items-center gap-1 rounded-full border border-border bg-surface-2 py-0.5 pr-1 pl-2.5 font-mono text-[12px]" data-path={`allowed_domains[${i}]`} tabIndex={-1}>
              {d}
              <button type="button" aria-label={`Remove ${d}`} onClick={() => onChange({ ...state, allowedDomains: state.allowedDomains.filter((x) => x !== d) })} className="grid size-5 place-items-center rounded-full hover:bg-surface-3">
                <XIcon className="size-3" />
              </button>
            </li>
          ))}
          {implied.domains.filter((d) => !state.allowedDomains.includes(d)).map((d) => (
            <li key={`implied-${d}`} className="rounded-full border border-dashed border-border px-2.5 py-0.5 font-mono text-[12px] text-fg-muted" title="used by the logic">
              {d}
            </li>
          ))}
        </ul>
        <form
          className="flex max-w-md gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            addDomain();
          }}
        >
          <Input aria-label="Domain to allow" placeholder="api.example.com" value={domain} onChange={(e) => setDomain(e.target.value)} className="font-mono" />
          <Button type="submit" variant="secondary" disabled={!domain.trim()}>
            Add domain
          </Button>
        </form>
        {state.allowedDomains.map((d, i) => {
          const msg = errorAt(errors, `allowed_domains[${i}]`);
          return msg ? (
            <p key={d} className="text-[12.5px] text-danger">
              {d}: {msg}
            </p>
          ) : null;
        })}
      </section>
    </div>
  );
}

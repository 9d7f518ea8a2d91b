import { LockIcon, SettingsIcon } from "@/components/icons";
import { ExternalLinkIcon } from "@/components/marketplace/marketplace-icons";
import { Badge } from "@/components/ui/badge";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { PanelEmpty } from "./overview-tab";
import { SectionTitle } from "./section-title";

export function ConfigurationTab({ detail }: { detail: CapabilityDetail }) {
  const fields = detail.configuration;
  if (fields.length === 0) {
    return <PanelEmpty icon={<SettingsIcon />} title="Nothing to configure" description={`${detail.name} works as soon as it is installed: it asks for no settings, keys or tokens.`} />;
  }
  const secrets = fields.filter((f) => f.type === "secret").length;
  return (
    <section aria-labelledby="config-title">
      <SectionTitle
        id="config-title"
        description={
          secrets > 0
            ? "What you enter when you install it. Secrets are encrypted at rest (AES-256-GCM), never shown again after saving and never written to the audit log."
            : "What you enter when you install it."
        }
      >
        {fields.length} setting{fields.length === 1 ? "" : "s"}
        {secrets > 0 && `, ${secrets} secret${secrets === 1 ? "" : "s"}`}
      </SectionTitle>
      <ul className="divide-y divide-border overflow-hidden rounded-xl border border-border bg-surface shadow-card">
        {fields.map((f) => (
          <li key={f.key} className="flex flex-wrap items-start gap-x-4 gap-y-1 px-4 py-3" data-testid={`config-${f.key}`}>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2">
                {f.type === "secret" && <LockIcon className="size-3.5 text-security" />}
                <span className="text-[13.5px] font-medium text-fg">{f.label}</span>
                <code className="font-mono text-[11.5px] text-fg-subtle">{f.key}</code>
              </p>
              {f.description && <p className="mt-0.5 text-[12.5px] text-fg-muted">{f.description}</p>}
              {f.helpUrl && (
                <a href={f.helpUrl} target="_blank" rel="noreferrer noopener" className="mt-1 inline-flex items-center gap-1 text-[12.5px] font-medium text-accent hover:underline">
                  Where do I find this?
                  <ExternalLinkIcon className="size-3" />
                </a>
              )}
            </div>
            <div className="flex shrink-0 items-center gap-1.5">
              {f.type === "secret" ? <Badge tone="security">Secret</Badge> : <Badge mono>{f.type}</Badge>}
              {f.required ? <Badge tone="warning">Required</Badge> : <Badge>Optional</Badge>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { LockIcon, ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { CapabilityIcon } from "@/components/marketplace/capability-icon";
import { ExternalLinkIcon, GlobeIcon } from "@/components/marketplace/marketplace-icons";
import { RiskSpectrum } from "@/components/marketplace/permission-row";
import { RiskBadge } from "@/components/marketplace/risk-badge";
import { VerifiedMark } from "@/components/marketplace/verified-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { useToast } from "@/components/ui/toast";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";

export function CapabilitySidebar({ detail, onShowSecurity, onShowPermissions }: { detail: CapabilityDetail; onShowSecurity: () => void; onShowPermissions: () => void }) {
  const report = detail.securityReport;
  const secrets = detail.configuration.filter((c) => c.type === "secret").length;
  return (
    <aside className="space-y-4" aria-label="At a glance">
      <Card className="divide-y divide-border text-[13px]">
        <Row label="Risk">
          <div className="space-y-2">
            <RiskBadge risk={detail.risk} />
            {detail.permissions.length > 0 && <RiskSpectrum permissions={detail.permissions} />}
            <button type="button" onClick={onShowPermissions} className="block text-[12.5px] font-medium text-accent hover:underline">
              {detail.permissions.length ? `${detail.permissions.length} permission${detail.permissions.length === 1 ? "" : "s"} requested` : "Needs no permissions"}
            </button>
          </div>
        </Row>
        {report && (
          <Row label="Security">
            <button type="button" onClick={onShowSecurity} className="inline-flex items-center gap-1.5 font-medium hover:underline" data-testid="sidebar-verdict">
              {report.verdict === "clean" ? <ShieldCheckIcon className="size-4 text-success" /> : <ShieldAlertIcon className="size-4 text-warning" />}
              <span className={report.verdict === "clean" ? "text-success" : "text-warning"}>{report.verdict === "clean" ? "Clean report" : `${report.findings.filter((f) => f.severity === "warning").length} warnings`}</span>
            </button>
          </Row>
        )}
        <Row label="Network">
          {detail.allowedDomains.length ? (
            <ul className="space-y-1">
              {detail.allowedDomains.map((d) => (
                <li key={d} className="flex items-center gap-1.5 font-mono text-[12px] break-all text-fg">
                  <GlobeIcon className="size-3.5 shrink-0 text-info" />
                  {d}
                </li>
              ))}
            </ul>
          ) : (
            <span className="text-fg-muted">Works offline</span>
          )}
        </Row>
        <Row label="Setup">
          <span className="text-fg-muted">
            {detail.configuration.length === 0 ? (
              "Nothing to configure"
            ) : (
              <>
                {detail.configuration.length} setting{detail.configuration.length === 1 ? "" : "s"}
                {secrets > 0 && (
                  <span className="ml-1 inline-flex items-center gap-1 text-security">
                    <LockIcon className="size-3" />
                    {secrets} secret{secrets === 1 ? "" : "s"}
                  </span>
                )}
              </>
            )}
          </span>
        </Row>
        {detail.version && (
          <Row label="Content hash">
            <div className="flex items-center gap-1">
              <code className="min-w-0 truncate font-mono text-[11.5px] text-fg-muted" title={detail.version.contentHash}>
                {detail.version.contentHash.replace(/^sha256:/, "").slice(0, 16)}…
              </code>
              <CopyButton value={detail.version.contentHash} size="xs" variant="ghost" label="Copy" />
            </div>
          </Row>
        )}
        <Row label="Publisher">
          <div className="space-y-1.5">
            <span className="flex items-center gap-1 font-medium text-fg">
              {detail.publisher.name}
              {detail.publisher.verified && <VerifiedMark />}
            </span>
            {detail.author && detail.author !== detail.publisher.name && <p className="text-[12px] text-fg-muted">Author: {detail.author}</p>}
            {detail.viewer.isAdmin && <VerifyPublisher publisher={detail.publisher} />}
          </div>
        </Row>
        {(detail.license || detail.homepage) && (
          <Row label="More">
            <div className="space-y-1">
              {detail.license && <p className="text-fg-muted">License: {detail.license}</p>}
              {detail.homepage && (
                <a href={detail.homepage} target="_blank" rel="noreferrer noopener" className="inline-flex items-center gap-1 font-medium text-accent hover:underline">
                  Homepage <ExternalLinkIcon className="size-3" />
                </a>
              )}
            </div>
          </Row>
        )}
      </Card>

      <Card data-testid="used-with">
        <h2 className="border-b border-border px-4 py-2.5 text-[13px] font-semibold text-fg">Used with</h2>
        {detail.usedWith.length === 0 ? (
          <p className="px-4 py-3 text-[12.5px] text-fg-muted">No agent has it installed alongside other capabilities yet.</p>
        ) : (
          <ul className="py-1.5">
            {detail.usedWith.map((u) => (
              <li key={u.slug}>
                <Link href={`/marketplace/${u.slug}`} className="flex items-center gap-2.5 px-4 py-1.5 hover:bg-surface-2">
                  <CapabilityIcon icon={u.icon} size="sm" />
                  <span className="min-w-0 flex-1 truncate text-[13px] font-medium text-fg">{u.name}</span>
                  <span className="shrink-0 text-[11.5px] text-fg-subtle">
                    {u.agents} agent{u.agents === 1 ? "" : "s"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </aside>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="px-4 py-3">
      <p className="mb-1.5 text-[11.5px] font-medium tracking-wide text-fg-subtle uppercase">{label}</p>
      {children}
    </div>
  );
}

function VerifyPublisher({ publisher }: { publisher: CapabilityDetail["publisher"] }) {
  const router = useRouter();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  async function toggle() {
    setPending(true);
    try {
      await apiFetch(`/api/publishers/${encodeURIComponent(publisher.id)}/verification`, { method: "POST", json: { verified: !publisher.verified } });
      toast.success(publisher.verified ? `${publisher.name} is no longer verified` : `${publisher.name} is now a verified publisher`);
      router.refresh();
    } catch (err) {
      toast.error("Could not change the badge", errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <Button size="xs" variant="ghost" className="-ml-2 flex" loading={pending} onClick={toggle} data-testid="toggle-verified">
      {publisher.verified ? "Revoke verified badge" : "Grant verified badge"}
    </Button>
  );
}

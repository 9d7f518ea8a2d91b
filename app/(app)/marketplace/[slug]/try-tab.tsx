"use client";
// The "Try it" tab: the capability's shown version, its actions, examples and
// configuration handed to the panel. Workflows and built-ins get the explanation instead.
import { TryPanel } from "@/components/marketplace/try/try-panel";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";

export function TryTab({ detail, initialExample }: { detail: CapabilityDetail; initialExample: number | null }) {
  return (
    <TryPanel
      key={detail.version?.version ?? "draft"}
      slug={detail.slug}
      name={detail.name}
      version={detail.version?.version ?? null}
      unsupported={detail.type === "workflow" || detail.type === "builtin" || detail.isBuiltin}
      actions={detail.actions}
      examples={detail.examples}
      configuration={detail.configuration}
      initialExample={initialExample}
    />
  );
}

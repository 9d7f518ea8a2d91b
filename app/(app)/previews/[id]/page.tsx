// /previews/<id>: one preview in the app: the sandboxed rendering with its console, errors
// and injected dependencies, and the share link (copy, revoke).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { getPreview, type PreviewView } from "@/lib/previews/preview-sessions";
import { requireUser } from "../../get-current-user";
import { PreviewShare } from "@/components/previews/preview-share";
import { PreviewFrame } from "@/components/previews/preview-frame";

export const metadata: Metadata = { title: "Preview" };

export default async function PreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  if (!/^prv_[0-9a-z]{26}$/.test(id)) notFound();
  let view: PreviewView;
  try {
    view = await getPreview(getPrisma(), id, { userId: user.id, role: user.role, actor: { type: "user", id: user.id } });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        eyebrow="Preview"
        title={view.title || "Untitled preview"}
        description={`${view.preset} · ${view.kind} · ${view.size.toLocaleString("en")} bytes · opened ${view.openedCount}×`}
      />
      <PreviewShare previewId={view.previewId} shareUrl={view.shareUrl} expiresAt={view.expiresAt} revokedAt={view.revokedAt} />
      <PreviewFrame frameUrl={view.frameUrl} injectedDeps={view.injectedDeps} title={view.title || "Preview"} height={480} />
    </div>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { actionNeeds } from "@/lib/agents/action-permissions";
import { readInstalledManifest } from "@/lib/agents/installed-manifest";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { getCapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { getVersion } from "@/lib/registry/get-version";
import { getCurrentUser, requireUser } from "../../get-current-user";
import { CapabilityPageView } from "./capability-page-view";

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const loadDetail = cache(async (slug: string, version: string | undefined, userId: string, role: "admin" | "member") => {
  try {
    return await getCapabilityDetail(getPrisma(), { slug, viewer: { userId, role }, version });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
});

export async function generateMetadata({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }): Promise<Metadata> {
  const user = await getCurrentUser();
  if (!user) return { title: "Marketplace" };
  const detail = await loadDetail(decodeURIComponent((await params).slug), first((await searchParams).version), user.id, user.role);
  return { title: detail ? `${detail.name} · Marketplace` : "Not found" };
}

export default async function CapabilityPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const user = await requireUser();
  const slug = decodeURIComponent((await params).slug);
  const sp = await searchParams;
  const detail = await loadDetail(slug, first(sp.version), user.id, user.role);
  if (!detail) notFound();

  // Which permissions each action needs (the rule the agent page applies), so the consent
  // step can say which actions a withheld permission disables before anything is installed.
  let needs: Record<string, string[]> = {};
  if (detail.version) {
    const version = await getVersion(getPrisma(), { slug, version: detail.version.version, viewer: { userId: user.id, role: user.role } });
    const manifest = readInstalledManifest(version.manifest);
    needs = Object.fromEntries(manifest.actions.map((a) => [a.id, actionNeeds(manifest, a, version.permissions)]));
  }

  return <CapabilityPageView detail={detail} actionNeeds={needs} forAgent={first(sp.agent)?.slice(0, 100) ?? ""} initialTab={first(sp.tab) ?? ""} viewerId={user.id} />;
}

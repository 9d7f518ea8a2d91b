// /builder/<slug> – the wizard on my draft for that capability (?draft=<id>, else my newest
// draft with that slug), else a new draft that starts from the capability's latest version
// (the manifest loaded into the forms; publishing adds a version). Not mine: 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BuilderWizard } from "@/components/builder/wizard/builder-wizard";
import { emptyBuilderState, manifestToState } from "@/lib/builder/draft/draft-state";
import { getDraft } from "@/lib/builder/draft/get-draft";
import { findDraftBySlug } from "@/lib/builder/draft/list-drafts";
import { loadBuilderCapability } from "@/lib/builder/publish/load-builder-capability";
import { getPrisma } from "@/lib/db/prisma";
import { validateManifest } from "@/lib/registry/parse-manifest";
import { requireUser } from "../../get-current-user";

type Params = { slug: string };
type SearchParams = Record<string, string | string[] | undefined>;

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).slug)} · Builder` };
}

export default async function BuilderSlugPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { slug: raw } = await params;
  const slug = decodeURIComponent(raw);
  const sp = await searchParams;
  const db = getPrisma();
  const draftId = typeof sp.draft === "string" ? sp.draft : null;
  const draft = (draftId ? await getDraft(db, { userId: user.id, draftId }).catch(() => null) : null) ?? (await findDraftBySlug(db, { userId: user.id, slug }));
  if (draft) return <BuilderWizard key={draft.id} draft={{ id: draft.id, revision: draft.revision, state: draft.state }} />;

  const cap = await loadBuilderCapability(db, { slug, viewer: { userId: user.id, role: user.role } });
  if (!cap) notFound();
  const report = cap.manifest ? validateManifest(cap.manifest) : null;
  const initial = report?.manifest ? manifestToState(report.manifest) : { ...emptyBuilderState(), basics: { ...emptyBuilderState().basics, slug: cap.slug, name: cap.name } };
  return (
    <BuilderWizard
      key={`cap-${cap.slug}`}
      draft={null}
      initialState={initial}
      notice={cap.latestVersion ? `Editing a new version of ${cap.name} (latest published: ${cap.latestVersion}). Your changes are saved as a draft; publishing adds a version.` : `${cap.name} has no published version yet: publishing creates its first.`}
    />
  );
}

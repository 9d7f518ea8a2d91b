// /builder/new – the capability wizard on a new draft, or on the draft in ?draft=<id>
// (the URL the first autosave switches to, so a reload reopens it). A new one may start on a
// given method and step (`?method=code&step=actions`): deep links, and the editor loads at once.
import type { Metadata } from "next";
import { BuilderWizard } from "@/components/builder/wizard/builder-wizard";
import { BUILDER_METHODS, BUILDER_STEPS, emptyBuilderState, type BuilderMethod, type BuilderStep } from "@/lib/builder/draft/draft-state";
import { getDraft } from "@/lib/builder/draft/get-draft";
import { getPrisma } from "@/lib/db/prisma";
import { requireUser } from "../../get-current-user";

export const metadata: Metadata = { title: "New capability · Builder" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function NewCapabilityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const draftId = typeof sp.draft === "string" ? sp.draft : null;
  const draft = draftId ? await getDraft(getPrisma(), { userId: user.id, draftId }).catch(() => null) : null;
  const method = BUILDER_METHODS.find((m) => m === sp.method) as BuilderMethod | undefined;
  const step = BUILDER_STEPS.find((m) => m === sp.step) as BuilderStep | undefined;
  const initialState = !draft && (method || step) ? { ...emptyBuilderState(method), ...(step ? { step } : {}) } : undefined;
  return (
    <BuilderWizard
      key={draft?.id ?? "new"}
      draft={draft ? { id: draft.id, revision: draft.revision, state: draft.state } : null}
      initialState={initialState}
      notice={draftId && !draft ? "That draft does not exist (or is not yours): this is a new one." : null}
    />
  );
}

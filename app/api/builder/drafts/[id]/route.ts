// GET /api/builder/drafts/:id – one draft with its state · PUT – save it ({ state, expectedRevision }; 409 when stale) · DELETE – remove it
import { apiRoute, json } from "@/lib/http/api-route";
import { deleteDraft } from "@/lib/builder/draft/delete-draft";
import { toCaller } from "@/lib/builder/draft/draft-access";
import { DraftParamsSchema, UpdateDraftSchema } from "@/lib/builder/draft/draft-schemas";
import { getDraft } from "@/lib/builder/draft/get-draft";
import { updateDraft } from "@/lib/builder/draft/update-draft";

export const GET = apiRoute({ scopes: ["capabilities:read"], route: "/api/builder/drafts/:id", params: DraftParamsSchema }, async ({ db, identity, params }) =>
  json(await getDraft(db, { userId: identity.userId, draftId: params.id })),
);

export const PUT = apiRoute({ scopes: ["capabilities:write"], route: "/api/builder/drafts/:id", params: DraftParamsSchema, body: UpdateDraftSchema }, async ({ db, identity, params, body, requestId }) =>
  json(await updateDraft(db, { caller: toCaller(identity, requestId), draftId: params.id, input: body })),
);

export const DELETE = apiRoute({ scopes: ["capabilities:write"], route: "/api/builder/drafts/:id", params: DraftParamsSchema }, async ({ db, identity, params, requestId }) => {
  await deleteDraft(db, { caller: toCaller(identity, requestId), draftId: params.id });
  return new Response(null, { status: 204 });
});

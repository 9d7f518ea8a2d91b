// GET /api/builder/drafts – my capability drafts (summaries) · POST – create one ({ state })
import { apiRoute, json } from "@/lib/http/api-route";
import { createDraft } from "@/lib/builder/draft/create-draft";
import { toCaller } from "@/lib/builder/draft/draft-access";
import { CreateDraftSchema } from "@/lib/builder/draft/draft-schemas";
import { listDrafts } from "@/lib/builder/draft/list-drafts";

export const GET = apiRoute({ scopes: ["capabilities:read"], route: "/api/builder/drafts" }, async ({ db, identity }) =>
  json(await listDrafts(db, { userId: identity.userId })),
);

export const POST = apiRoute({ scopes: ["capabilities:write"], route: "/api/builder/drafts", body: CreateDraftSchema }, async ({ db, identity, body, requestId }) =>
  json(await createDraft(db, { caller: toCaller(identity, requestId), input: body }), { status: 201 }),
);

// POST /api/capabilities/test – run an action of an unpublished manifest (a builder draft or
// a local file) in a throwaway sandbox; nothing is stored and no event is written.
// "test" is a reserved slug (lib/registry/create-capability.ts), so no capability hides here.
import { apiRoute, json } from "@/lib/http/api-route";
import { TestDraftBodySchema, testDraft } from "@/lib/execution/try/try-draft";

export const POST = apiRoute(
  { route: "/api/capabilities/test", scopes: ["capabilities:write"], body: TestDraftBodySchema },
  async ({ db, identity, body }) => json(await testDraft(db, { userId: identity.userId, body })),
);

// GET /api/policy/rules/versions – every saved version of the rules, newest first (paginated)
import { apiRoute, json } from "@/lib/http/api-route";
import { listRuleVersions } from "@/lib/policy/rule-store";
import { PageQuerySchema } from "@/lib/registry/cursor";

export const GET = apiRoute({ route: "/api/policy/rules/versions", scopes: ["approvals:read"], query: PageQuerySchema }, async ({ db, query }) =>
  json(await listRuleVersions(db, query)),
);

// POST /api/policy/evaluate – a dry run of the policy gate with the policy in force (kill
// switch, the organisation's rules, defaults, progressive-trust counts): the decision,
// reason code, reasons, rule and security level. Nothing is executed; the dry run is not
// an action, so it is not evented.
import { apiRoute, json } from "@/lib/http/api-route";
import { PolicyRequestSchema } from "@/lib/policy/gate";
import { evaluateRequest } from "@/lib/policy/evaluate-request";

export const POST = apiRoute({ route: "/api/policy/evaluate", body: PolicyRequestSchema }, async ({ db, body }) => {
  const e = await evaluateRequest(db, body);
  return json({ ...e.decision, rulesVersion: e.rulesVersion });
});

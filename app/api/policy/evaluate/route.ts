// POST /api/policy/evaluate – a dry run of the policy gate: the decision, reason code, reasons
// and rule for a request, with the current kill switch. Nothing is executed or recorded.
// Organisation rules are not stored yet (policy issue), so the decision comes from the kill
// switch and the defaults by security level.
import { apiRoute, json } from "@/lib/http/api-route";
import { evaluatePolicy, PolicyRequestSchema } from "@/lib/policy/gate";
import { getKillSwitch } from "@/lib/policy/kill-switch";

export const POST = apiRoute({ route: "/api/policy/evaluate", body: PolicyRequestSchema }, async ({ db, body }) => {
  const killSwitch = await getKillSwitch(db);
  return json(evaluatePolicy(body, { killSwitch: killSwitch.on, rules: [] }));
});

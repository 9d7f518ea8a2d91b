// GET /api/policy/rules/versions/:version – one saved version of the rules (404 unknown, 422 not a whole number)
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http/api-route";
import { getRuleSetVersion } from "@/lib/policy/rule-store";

const Params = z.object({ version: z.string() });

export const GET = apiRoute({ route: "/api/policy/rules/versions/:version", scopes: ["approvals:read"], params: Params }, async ({ db, params }) => {
  // Checked here rather than by the params schema, which answers 400: a malformed number is a 422.
  if (!/^\d{1,10}$/.test(params.version)) {
    throw new AppError("validation_failed", "the version must be a whole number", { errors: [{ path: "version", message: "expected a version number such as 3" }] });
  }
  return json(await getRuleSetVersion(db, Number(params.version)));
});

// GET /api/policy/rules – the organisation's rules in force (version, rules, YAML) ·
// PUT /api/policy/rules { yaml } | { rules }, comment?, expectedVersion? – save a new version (admins; 422 with every error's path, 409 when stale)
import { z } from "zod";
import { apiRoute, json } from "@/lib/http/api-route";
import { getRuleSet, saveRuleSet } from "@/lib/policy/rule-store";

const BodySchema = z
  .object({
    yaml: z.string().max(1_000_000, "at most 1,000,000 characters").optional(),
    rules: z.unknown().optional(),
    comment: z.string().trim().max(500).nullable().optional(),
    expectedVersion: z.number().int().min(0).optional(),
  })
  .strict();

export const GET = apiRoute({ route: "/api/policy/rules", scopes: ["approvals:read"] }, async ({ db }) => json(await getRuleSet(db)));

export const PUT = apiRoute({ route: "/api/policy/rules", admin: true, scopes: ["admin"], body: BodySchema }, async ({ db, identity, body, requestId }) =>
  json(
    await saveRuleSet(db, {
      yaml: body.yaml,
      rules: body.rules,
      comment: body.comment ?? null,
      expectedVersion: body.expectedVersion,
      actor: identity.actor,
      correlationId: requestId,
    }),
  ),
);

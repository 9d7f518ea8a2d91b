// Zod schemas of what POST /api/agents/:id/invoke accepts. The action is
// "<capability-slug>.<action-id>": slugs and action ids contain no dot, so the first dot splits them.
import { z } from "zod";

const ACTION = /^([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\.([A-Za-z_][A-Za-z0-9_-]{0,63})$/;

export const InvokeBodySchema = z.strictObject({
  action: z.string().max(200).regex(ACTION, 'expected "<capability-slug>.<action-id>", e.g. "text-utils.stats"'),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type InvokeBody = z.infer<typeof InvokeBodySchema>;

/** Splits a validated "<slug>.<action>" reference. */
export function parseActionRef(ref: string): { slug: string; action: string } {
  const m = ACTION.exec(ref);
  if (!m) throw new Error(`not an action reference: ${ref}`);
  return { slug: m[1]!, action: m[2]! };
}

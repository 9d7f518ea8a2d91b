// The messages a preview frame's bootstrap posts to its parent, and the parent's check of
// their shape. Anything in the frame (including hostile user code) can post messages, so
// the parent accepts only these shapes, from its own iframe's window, and treats every
// string as untrusted text (rendered, never interpreted).
import { z } from "zod";
import { PREVIEW_MESSAGE_SOURCE } from "./frame-constants";

const text = (max: number) => z.string().transform((s) => s.slice(0, max));

export const FrameMessageSchema = z.discriminatedUnion("type", [
  z.object({ source: z.literal(PREVIEW_MESSAGE_SOURCE), type: z.literal("console"), level: z.enum(["log", "info", "warn", "error", "debug"]), args: z.array(text(2000)).max(20) }),
  z.object({ source: z.literal(PREVIEW_MESSAGE_SOURCE), type: z.literal("error"), message: text(2000), line: z.number().int(), column: z.number().int() }),
  z.object({ source: z.literal(PREVIEW_MESSAGE_SOURCE), type: z.literal("csp"), directive: text(200), blockedUri: text(500) }),
  z.object({ source: z.literal(PREVIEW_MESSAGE_SOURCE), type: z.literal("ready") }),
]);

export type FrameMessage = z.infer<typeof FrameMessageSchema>;

/**
 * The message, when it comes from `expectedSource` (the iframe's contentWindow) and has one
 * of the known shapes; otherwise null.
 */
export function acceptFrameMessage(event: { source: unknown; data: unknown }, expectedSource: unknown): FrameMessage | null {
  if (!expectedSource || event.source !== expectedSource) return null;
  const r = FrameMessageSchema.safeParse(event.data);
  return r.success ? r.data : null;
}

// Writes the caller's review of a capability (1–5 stars and text): one per user per
// capability, so a second save edits the first. The publisher cannot review their own.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { forbidden } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { findVisibleCapability, type Viewer } from "../registry/capability-access";
import type { ReviewRecord } from "./list-reviews";

export const SaveReviewSchema = z.object({
  rating: z.number().int().min(1, "from 1 to 5 stars").max(5, "from 1 to 5 stars"),
  body: z.string().trim().max(5000).default(""),
});
export type SaveReviewInput = z.infer<typeof SaveReviewSchema>;

export interface SaveReviewOptions {
  slug: string;
  viewer: Viewer;
  actor: Actor;
  input: SaveReviewInput;
  correlationId?: string;
}

export async function saveReview(db: Db, options: SaveReviewOptions): Promise<ReviewRecord & { created: boolean }> {
  return db.$transaction(async (tx) => {
    const cap = await findVisibleCapability(tx, options);
    if (cap.ownerId === options.viewer.userId) throw forbidden("you cannot review your own capability");
    const key = { capabilityId_userId: { capabilityId: cap.id, userId: options.viewer.userId } };
    const existing = await tx.review.findUnique({ where: key, select: { id: true } });
    const row = await tx.review.upsert({
      where: key,
      create: { id: newId("rev"), capabilityId: cap.id, userId: options.viewer.userId, rating: options.input.rating, body: options.input.body },
      update: { rating: options.input.rating, body: options.input.body },
      select: { id: true, rating: true, body: true, createdAt: true, updatedAt: true, user: { select: { id: true, name: true } } },
    });
    const created = !existing;
    await appendEvent(tx, {
      type: "review.saved",
      data: { slug: cap.slug, rating: row.rating, created },
      stream: { type: "capability", id: cap.id },
      subject: { type: "review", id: row.id },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    return {
      id: row.id,
      rating: row.rating,
      body: row.body,
      author: { id: row.user.id, name: row.user.name },
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      created,
    };
  });
}

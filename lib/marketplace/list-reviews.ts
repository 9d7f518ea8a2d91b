// A capability's reviews, most recently written or edited first, with their authors.
import type { Db } from "../db/prisma";
import { findVisibleCapability, type Viewer } from "../registry/capability-access";
import { decodeCursor, encodeCursor } from "../registry/cursor";

export interface ReviewRecord {
  id: string;
  rating: number;
  body: string;
  author: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface ListReviewsOptions {
  slug: string;
  viewer: Viewer | null;
  limit: number;
  cursor?: string;
}

export async function listReviews(db: Db, options: ListReviewsOptions): Promise<{ items: ReviewRecord[]; nextCursor: string | null }> {
  const cap = await findVisibleCapability(db, options);
  return listReviewsOf(db, { capabilityId: cap.id, limit: options.limit, cursor: options.cursor });
}

/** Reviews of a capability the caller has already been allowed to see. */
export async function listReviewsOf(db: Db, options: { capabilityId: string; limit: number; cursor?: string }): Promise<{ items: ReviewRecord[]; nextCursor: string | null }> {
  let after = {};
  if (options.cursor) {
    const [at, id] = decodeCursor("reviews", options.cursor, 2) as [string, string];
    const when = new Date(at);
    after = { OR: [{ updatedAt: { lt: when } }, { updatedAt: when, id: { lt: id } }] };
  }
  const rows = await db.review.findMany({
    where: { capabilityId: options.capabilityId, ...after },
    select: { id: true, rating: true, body: true, createdAt: true, updatedAt: true, user: { select: { id: true, name: true } } },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
  });
  const items = rows.slice(0, options.limit).map((r) => ({
    id: r.id,
    rating: r.rating,
    body: r.body,
    author: { id: r.user.id, name: r.user.name },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor("reviews", [last.updatedAt, last.id]) : null };
}

// The caller's drafts, most recently saved first, as summaries (no state), and the lookup
// /builder/[slug] uses: the caller's newest draft for a slug.
import type { Db } from "../../db/prisma";
import { draftSelect, draftSummary, toDraftRecord, type DraftRecord } from "./draft-record";

export interface DraftSummary {
  id: string;
  slug: string | null;
  name: string;
  method: string;
  revision: number;
  updatedAt: string;
}

export async function listDrafts(db: Db, options: { userId: string; limit?: number }): Promise<{ items: DraftSummary[]; nextCursor: null }> {
  const rows = await db.capabilityDraft.findMany({
    where: { ownerId: options.userId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 200, 200),
    select: draftSelect,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: draftSummary((r.state ?? {}) as Record<string, unknown>).name,
      method: r.method,
      revision: r.revision,
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor: null,
  };
}

export async function findDraftBySlug(db: Db, options: { userId: string; slug: string }): Promise<DraftRecord | null> {
  const row = await db.capabilityDraft.findFirst({ where: { ownerId: options.userId, slug: options.slug }, orderBy: { updatedAt: "desc" }, select: draftSelect });
  return row ? toDraftRecord(row) : null;
}

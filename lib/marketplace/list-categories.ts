// The marketplace's categories with how many capabilities the viewer can see in each
// (every known category, zero counts included, busiest first).
import type { Db } from "../db/prisma";
import type { Viewer } from "../registry/capability-access";
import { CATEGORIES } from "../registry/manifest-schema";

export async function listCategories(db: Db, options: { viewer: Viewer | null }): Promise<{ items: { category: string; count: number }[]; nextCursor: null }> {
  const rows = await db.$queryRaw<{ category: string; n: bigint }[]>`
    SELECT category, count(*) AS n FROM capabilities
    WHERE visibility = 'public' OR owner_id = ${options.viewer?.userId ?? ""}
    GROUP BY category`;
  const counts = new Map(rows.map((r) => [r.category, Number(r.n)]));
  const items = CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  return { items, nextCursor: null };
}

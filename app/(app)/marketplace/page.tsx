import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/prisma";
import { listCategories } from "@/lib/marketplace/list-categories";
import { SearchCapabilitiesQuerySchema, searchCapabilities } from "@/lib/marketplace/search-capabilities";
import { requireUser } from "../get-current-user";
import { paramsFromRecord, parseMarketQuery, queryKey, toApiParams } from "./marketplace-query";
import { MarketplaceView } from "./marketplace-view";

export const metadata: Metadata = { title: "Marketplace" };

export default async function MarketplacePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const params = paramsFromRecord(await searchParams);
  const query = parseMarketQuery(params);
  const viewer = { userId: user.id, role: user.role };
  const db = getPrisma();
  const parsed = SearchCapabilitiesQuerySchema.safeParse(Object.fromEntries(toApiParams(query)));
  // The first page comes with the HTML; if it fails here the client shows the error and a retry.
  const [page, categories] = await Promise.all([
    parsed.success ? searchCapabilities(db, { viewer, query: parsed.data }).catch(() => null) : Promise.resolve(null),
    listCategories(db, { viewer }).catch(() => null),
  ]);
  return (
    <MarketplaceView
      // A navigation to other search parameters starts over; typing only replaces the URL.
      key={queryKey(query)}
      initial={page ? { key: queryKey(query), ...page } : null}
      categories={categories?.items ?? []}
      isAdmin={user.role === "admin"}
      forAgent={params.get("agent")?.slice(0, 100) ?? ""}
    />
  );
}

// The Snippets page: the caller's snippets (searched and filtered by the URL's q, language
// and tag) beside the editor of the one in ?id= (or a new one with ?new=1). Data is read
// through lib/snippets directly; the view is a client component.
import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/prisma";
import { getSnippet } from "@/lib/snippets/get-snippet";
import { listSnippets } from "@/lib/snippets/list-snippets";
import type { Caller } from "@/lib/snippets/snippet-access";
import { ListSnippetsQuerySchema } from "@/lib/snippets/snippet-schemas";
import { requireUser } from "../get-current-user";
import { SNIPPETS_PAGE_SIZE } from "./snippets-page-size";
import { SnippetsView } from "./snippets-view";

export const metadata: Metadata = { title: "Snippets" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SnippetsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const caller: Caller = { userId: user.id, role: user.role, actor: { type: "user", id: user.id } };
  const filters = { q: first(sp.q)?.trim() || undefined, language: first(sp.language) || undefined, tag: first(sp.tag) || undefined };
  const parsed = ListSnippetsQuerySchema.safeParse({ ...filters, limit: String(SNIPPETS_PAGE_SIZE) });
  const db = getPrisma();
  const page = parsed.success ? await listSnippets(db, { caller, query: parsed.data }).catch(() => null) : { items: [], nextCursor: null };
  const id = first(sp.id);
  const selected = id ? await getSnippet(db, { caller, snippetId: id }).catch(() => null) : null;
  return (
    <SnippetsView
      page={page}
      filters={{ q: filters.q ?? "", language: filters.language ?? "", tag: filters.tag ?? "" }}
      invalidFilters={!parsed.success}
      selectedId={id ?? null}
      selected={selected}
      isNew={first(sp.new) === "1"}
    />
  );
}

// The caller's snippets (admins: `all` for everyone's), filtered by language and tag, and
// searched with the migration's full-text index: `capreg_snippet_document(title, tags, code)
// @@ websearch_to_tsquery('simple', q)` (plus word prefixes, so a search-as-you-type box
// finds "chart" in "charts", and the title's trigram index for substrings), ranked with
// ts_rank. Without q the newest change comes first. Keyset-paginated with opaque cursors.
import type { Db } from "../db/prisma";
import { forbidden } from "../errors";
import { decodeCursor, encodeCursor } from "../registry/cursor";
import type { Caller } from "./snippet-access";
import type { SnippetSummary } from "./snippet-record";
import type { ListSnippetsQuery, SnippetLanguage } from "./snippet-schemas";

/** Spelled exactly as the GIN expression index, so the planner uses it. */
const DOCUMENT = `capreg_snippet_document(s.title, s.tags, s.code)`;
const MAX_TERMS = 8;

export interface SnippetListItem extends SnippetSummary {
  /** Search relevance (0 without q). */
  rank: number;
}

/** The words of a query, lowercased: letters and digits only, so safe inside a tsquery. */
export function toPrefixTsquery(q: string): string | null {
  const terms = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  return terms.length ? terms.map((t) => `${t}:*`).join(" & ") : null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface Row {
  id: string;
  title: string;
  language: string;
  tags: string[];
  version: number;
  owner_id: string;
  size: number;
  created_at: Date;
  updated_at: Date;
  rank: number;
  k: string;
}

export async function listSnippets(db: Db, options: { caller: Caller; query: ListSnippetsQuery }): Promise<{ items: SnippetListItem[]; nextCursor: string | null }> {
  const { caller, query } = options;
  if (query.all && caller.role !== "admin") throw forbidden("only administrators can list every snippet");
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ["s.deleted_at IS NULL"];
  if (!query.all) where.push(`s.owner_id = ${p(caller.userId)}`);
  if (query.language) where.push(`s.language = ${p(query.language)}`);
  if (query.tag) where.push(`s.tags @> ARRAY[${p(query.tag)}]::text[]`);

  const q = query.q ?? "";
  let rank = "0::float8";
  let key = "extract(epoch FROM s.updated_at)::float8";
  if (q) {
    const prefix = toPrefixTsquery(q);
    const tsq = `(websearch_to_tsquery('simple', ${p(q)})${prefix ? ` || to_tsquery('simple', ${p(prefix)})` : ""})`;
    const like = p(`%${escapeLike(q.toLowerCase())}%`);
    where.push(`(${DOCUMENT} @@ ${tsq} OR lower(s.title) LIKE ${like})`);
    // A title containing the text verbatim ranks above a match only in the code.
    rank = `(ts_rank(${DOCUMENT}, ${tsq}) + CASE WHEN lower(s.title) LIKE ${like} THEN 1 ELSE 0 END)::float8`;
    key = rank;
  }
  const tag = `snippets:${query.all ? "all" : "mine"}:${q}`;
  const cursor = query.cursor ? decodeCursor(tag, query.cursor, 2) : null;
  const after = cursor ? `WHERE (x.k, x.id) < (${p(Number(cursor[0]))}::float8, ${p(String(cursor[1]))})` : "";
  const sql = `SELECT * FROM (
      SELECT s.id, s.title, s.language, s.tags, s.version, s.owner_id, octet_length(s.code)::int AS size,
        s.created_at, s.updated_at, ${rank} AS rank, ${key} AS k
      FROM snippets s WHERE ${where.join(" AND ")}
    ) x ${after}
    ORDER BY x.k DESC, x.id DESC LIMIT ${p(query.limit + 1)}`;
  const rows = await db.$queryRawUnsafe<Row[]>(sql, ...params);
  const page = rows.slice(0, query.limit);
  const items = page.map(
    (r): SnippetListItem => ({
      id: r.id,
      title: r.title,
      language: r.language as SnippetLanguage,
      tags: r.tags,
      version: r.version,
      ownerId: r.owner_id,
      size: r.size,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      rank: Number(r.rank),
    }),
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(tag, [Number(last.k), last.id]) : null };
}

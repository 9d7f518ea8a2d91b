// Marketplace search: Postgres full text (prefix matches over name, slug, tags, summary,
// description) plus pg_trgm word similarity on the name, so typos still find ("wether" →
// Weather Lookup). Filters (category, type, risk, needs network, publisher, waiting for
// review) and sorts (relevance; installs; rating; newest = most recently created)
// paginate with an opaque keyset cursor (sort keys + id), stable across pages. Installs
// and ratings are counted from real rows. Visible: listed capabilities, plus the
// viewer's own. One statement per search (plus a setting for typo matching), budgeted at
// 20 ms p99 over 10,000 capabilities: see bench/registry.ts.
import { z } from "zod";
import type { Viewer } from "../registry/capability-access";
import { decodeCursor, encodeCursor, PageQuerySchema } from "../registry/cursor";
import { CATEGORIES, MANIFEST_TYPES } from "../registry/manifest-schema";
import { RISK_LEVELS } from "../registry/permissions";
import type { Db } from "../db/prisma";
import { LISTING_VERSION_ORDER, NETWORK_PERMISSIONS, SEARCH_DOCUMENT } from "./listing-sql";

const csvOf = <T extends string>(values: readonly T[], what: string) =>
  z
    .string()
    .max(500)
    .transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { error: () => `expected ${what}: ${values.join(", ")}` })).max(20))
    .optional();

export const SearchCapabilitiesQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
  category: csvOf(CATEGORIES, "one or more (comma-separated) of"),
  type: csvOf(MANIFEST_TYPES, "one or more (comma-separated) of"),
  risk: csvOf(RISK_LEVELS, "one or more (comma-separated) of"),
  network: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  /** A user id, "verified" (verified publishers only) or "me". */
  publisher: z.string().trim().min(1).max(100).optional(),
  /** "in_review": capabilities with a version waiting for an admin (admins: all; others: their own). */
  review: z.literal("in_review").optional(),
  sort: z.enum(["relevance", "installs", "rating", "newest"]).default("relevance"),
});
export type SearchCapabilitiesQuery = z.infer<typeof SearchCapabilitiesQuerySchema>;

export interface CapabilityCard {
  id: string;
  slug: string;
  name: string;
  icon: string;
  summary: string;
  category: string;
  type: string;
  risk: string;
  latestVersion: string | null;
  rating: { average: number | null; count: number };
  installs: number;
  publisher: { id: string; name: string; verified: boolean };
  needsNetwork: boolean;
  tags: string[];
  visibility: "private" | "public";
  isBuiltin: boolean;
  updatedAt: string;
}

export interface SearchCapabilitiesOptions {
  viewer: Viewer | null;
  query: SearchCapabilitiesQuery;
}

const MAX_TERMS = 8;
const WORD_SIMILARITY_THRESHOLD = 0.4;

/** The words of a query, lowercased: letters and digits only, so safe inside a tsquery (`weather:* & lookup:*`). */
export function toTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
}

/** The keyset query of a search (ids and sort keys of one page, plus one to know if there is more). Pure. */
export function buildSearchQuery(options: SearchCapabilitiesOptions): { sql: string; params: unknown[]; tag: string } {
  const { query, viewer } = options;
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const isAdmin = viewer?.role === "admin";

  // Every parameter must be used (an unused one has no type), hence created on first use.
  let viewerParam: string | null = null;
  const viewerId = () => (viewerParam ??= p(viewer!.userId));
  // Who sees what: listed ones, and the viewer's own; admins also everything in review.
  const visible = () => (viewer ? `(c.visibility = 'public' OR c.owner_id = ${viewerId()})` : `c.visibility = 'public'`);
  if (query.review === "in_review") {
    where.push(`c.id IN (SELECT rv.capability_id FROM capability_versions rv WHERE rv.review_state = 'in_review')`);
    if (!isAdmin) where.push(visible());
  } else where.push(visible());

  if (query.category?.length) where.push(`c.category = ANY(${p(query.category)}::text[])`);
  if (query.type?.length) where.push(`c.type = ANY(${p(query.type)}::text[])`);
  if (query.risk?.length) where.push(`c.risk = ANY(${p(query.risk)}::text[])`);
  if (query.publisher === "verified") where.push(`c.owner_id IN (SELECT pu.id FROM users pu WHERE pu.is_verified_publisher)`);
  else if (query.publisher === "me") where.push(viewer ? `c.owner_id = ${viewerId()}` : "false");
  else if (query.publisher) where.push(`c.owner_id = ${p(query.publisher)}`);
  if (query.network !== undefined) where.push(`${query.network ? "" : "NOT "}${needsNetworkSql(p(NETWORK_PERMISSIONS))}`);

  const q = query.q?.toLowerCase() ?? "";
  // Without text every capability is a candidate; with text only the index matches are.
  let from = "capabilities c";
  let score = "0::float8";
  if (q) {
    const qp = p(q);
    const terms = toTerms(q);
    const tsq = terms.length ? terms.map((t) => `${t}:*`).join(" & ") : null;
    const tsquery = tsq ? `(to_tsquery('simple', ${p(tsq)}) || to_tsquery('english', ${p(tsq)}))` : null;
    // Candidates from the indexes alone: full text (an exact GIN match, so the costly
    // document is never rebuilt) and name trigrams, as a union of the rows themselves,
    // so neither an OR that rebuilds the document of every trigram candidate to recheck
    // it nor a join back to the whole table is needed.
    const cols = "id, slug, name, tags, owner_id, visibility, category, type, risk";
    from = `(${tsquery ? `SELECT ${cols} FROM capabilities WHERE ${SEARCH_DOCUMENT.replace(/\bc\./g, "")} @@ ${tsquery} UNION ` : ""}SELECT ${cols} FROM capabilities WHERE ${qp} <% lower(name)) c`;
    // Ranked on the name: typo-tolerant closeness dominates, strict word similarity
    // (aligned to word boundaries) most (plain word similarity ranks "Ether Price Tracker"
    // above "Weather Lookup" for "wether"); then a tag equal to a term; then an exact or
    // prefix match of the whole name. Matches only in summary or description come after
    // those in the name (ts_rank over the whole document would cost 30 ms for a broad
    // query over 10,000 capabilities; these are a few microseconds a row).
    // (Only when ranking by it: a parameter the query does not use has no type.)
    if (query.sort === "relevance") {
      score = `(3 * strict_word_similarity(${qp}, lower(c.name)) + similarity(${qp}, lower(c.name))
        + CASE WHEN c.tags && ${p(terms)}::text[] THEN 0.5 ELSE 0 END
        + CASE WHEN lower(c.name) = ${qp} OR c.slug = ${qp} THEN 1 WHEN starts_with(lower(c.name), ${qp}) THEN 0.5 ELSE 0 END)::float8`;
    }
  }

  const sort = query.sort === "relevance" && !q ? "installs" : query.sort;
  const tag = `search:${sort}:${q}`;
  const cursor = query.cursor ? decodeCursor(tag, query.cursor, 3) : null;
  if (sort === "newest") {
    // Ids are time-ordered: newest first is the primary key backwards, no sort needed.
    if (cursor) where.push(`c.id < ${p(String(cursor[2]))}`);
    const sql = `SELECT c.id, 0::float8 AS k1, 0::float8 AS k2 FROM ${from}
      WHERE ${where.join(" AND ")}
      ORDER BY c.id DESC LIMIT ${p(query.limit + 1)}`;
    return { sql, params, tag };
  }
  if (!q && (sort === "installs" || sort === "rating")) return { sql: rankedByAggregate(sort, where, cursor, p, query.limit + 1), params, tag };
  const [k1, k2, join] = {
    relevance: [score, "0::float8", ""],
    installs: ["coalesce(ins.n, 0)::float8", "0::float8", `LEFT JOIN (SELECT capability_id, count(*) AS n FROM installations GROUP BY capability_id) ins ON ins.capability_id = c.id`],
    rating: ["coalesce(rat.avg, 0)::float8", "coalesce(rat.n, 0)::float8", `LEFT JOIN (SELECT capability_id, avg(rating) AS avg, count(*) AS n FROM reviews GROUP BY capability_id) rat ON rat.capability_id = c.id`],
  }[sort];
  const after = cursor ? `WHERE (s.k1, s.k2, s.id) < (${p(Number(cursor[0]))}::float8, ${p(Number(cursor[1]))}::float8, ${p(String(cursor[2]))})` : "";
  const sql = `SELECT s.id, s.k1, s.k2 FROM (
      SELECT c.id, ${k1} AS k1, ${k2} AS k2 FROM ${from} ${join}
      WHERE ${where.join(" AND ")}
    ) s ${after}
    ORDER BY s.k1 DESC, s.k2 DESC, s.id DESC LIMIT ${p(query.limit + 1)}`;
  return { sql, params, tag };
}

/**
 * Browsing by installs or rating without text: walk the aggregate in order and keep the
 * rows that pass the filters (a primary-key probe each), stopping once the page is full,
 * instead of joining every capability to the aggregate and sorting them all (half the
 * time over 10,000 capabilities). Capabilities without installs (or reviews) follow,
 * newest first, with keys (0, 0).
 */
function rankedByAggregate(sort: "installs" | "rating", where: string[], cursor: (string | number | null)[] | null, p: (v: unknown) => string, limit: number): string {
  const [agg, table] =
    sort === "installs"
      ? ["SELECT capability_id AS id, count(*)::float8 AS k1, 0::float8 AS k2 FROM installations GROUP BY capability_id", "installations"]
      : ["SELECT capability_id AS id, avg(rating)::float8 AS k1, count(*)::float8 AS k2 FROM reviews GROUP BY capability_id", "reviews"];
  const lim = p(limit);
  const cur = cursor ? { k1: Number(cursor[0]), k2: Number(cursor[1]), id: p(String(cursor[2])) } : null;
  const afterRanked = cur ? `WHERE (a.k1, a.k2, a.id) < (${p(cur.k1)}::float8, ${p(cur.k2)}::float8, ${cur.id})` : "";
  // Every ranked row has k1 > 0; the rest come after all of them, by id.
  const afterRest = cur && cur.k1 === 0 && cur.k2 === 0 ? `AND c.id < ${cur.id}` : "";
  return `SELECT s.id, s.k1, s.k2 FROM (
      (SELECT a.id, a.k1, a.k2 FROM (${agg} ORDER BY 2 DESC, 3 DESC, 1 DESC) a
        CROSS JOIN LATERAL (SELECT 1 FROM capabilities c WHERE c.id = a.id AND ${where.join(" AND ")} LIMIT 1) ok
        ${afterRanked}
        ORDER BY a.k1 DESC, a.k2 DESC, a.id DESC LIMIT ${lim})
      UNION ALL
      (SELECT c.id, 0::float8, 0::float8 FROM capabilities c
        WHERE ${where.join(" AND ")} AND NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.capability_id = c.id) ${afterRest}
        ORDER BY c.id DESC LIMIT ${lim})
    ) s ORDER BY s.k1 DESC, s.k2 DESC, s.id DESC LIMIT ${lim}`;
}

/**
 * Whether the capability reaches the network. Declarative and API-connector capabilities
 * always do (their actions are HTTP calls), and a low-risk one never does (every network
 * permission is medium risk or higher); type and risk are the listed version's, on the
 * row. Only the rest (code, workflows) look at their versions: a not yanked version
 * asking for a network permission that the public may install (public and approved)
 * when the capability is listed, or any not yanked one when it is not (its owner's view).
 */
function needsNetworkSql(networkParam: string, alias = "c"): string {
  return `(${alias}.type IN ('declarative', 'api-connector') OR (${alias}.risk <> 'low' AND EXISTS (
    SELECT 1 FROM capability_versions nv WHERE nv.capability_id = ${alias}.id AND nv.status <> 'yanked'
      AND nv.permissions && ${networkParam}::text[]
      AND (${alias}.visibility = 'private' OR (nv.visibility = 'public' AND nv.review_state = 'approved')))))`;
}

// `<%` matches at pg_trgm.word_similarity_threshold (0.6 by default), which misses
// one-letter typos of short words ("wether" ~ "weather" scores 0.5): lower it for this
// query only, inside its own transaction.
const SEARCH_SETTINGS = `SELECT set_config('pg_trgm.word_similarity_threshold', '${WORD_SIMILARITY_THRESHOLD}', true)`;

export async function searchCapabilities(db: Db, options: SearchCapabilitiesOptions): Promise<{ items: CapabilityCard[]; nextCursor: string | null }> {
  const { query } = options;
  const { sql, params, tag } = buildSearchQuery(options);
  // One statement: the page's keys, then the cards of just those rows.
  const cardsSql = cardsOf(`(${sql})`, `$${params.length + 1}`);
  const all = [...params, NETWORK_PERMISSIONS];
  const rows = query.q
    ? (await db.$transaction([db.$queryRawUnsafe(SEARCH_SETTINGS), db.$queryRawUnsafe<CardRow[]>(cardsSql, ...all)]))[1]
    : await db.$queryRawUnsafe<CardRow[]>(cardsSql, ...all);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toCard), nextCursor: rows.length > query.limit && last ? encodeCursor(tag, [last.k1, last.k2, last.id]) : null };
}

interface CardRow {
  id: string;
  k1: number;
  k2: number;
  slug: string;
  name: string;
  icon: string;
  summary: string;
  category: string;
  type: string;
  risk: string;
  tags: string[];
  visibility: "private" | "public";
  is_builtin: boolean;
  updated_at: Date;
  owner_id: string;
  owner_name: string;
  owner_verified: boolean;
  version: string | null;
  needs_network: boolean;
  installs: bigint | number;
  rating_avg: number | null;
  rating_count: bigint | number;
}

/** Cards of the rows (`id`, `k1`, `k2`) a subquery yields, in its order. */
function cardsOf(keys: string, networkParam: string): string {
  return `WITH page AS MATERIALIZED ${keys}
    SELECT page.id, page.k1, page.k2, c.slug, c.name, c.icon, c.summary, c.category, c.type, c.risk, c.tags, c.visibility::text AS visibility, c.is_builtin, c.updated_at,
       u.id AS owner_id, u.name AS owner_name, u.is_verified_publisher AS owner_verified,
       lv.version, ${needsNetworkSql(networkParam)} AS needs_network,
       (SELECT count(*) FROM installations i WHERE i.capability_id = c.id) AS installs,
       rat.avg::float8 AS rating_avg, rat.n AS rating_count
     FROM page
     JOIN capabilities c ON c.id = page.id
     JOIN users u ON u.id = c.owner_id
     LEFT JOIN LATERAL (SELECT v.version FROM capability_versions v WHERE v.capability_id = c.id ORDER BY ${LISTING_VERSION_ORDER} LIMIT 1) lv ON true
     LEFT JOIN LATERAL (SELECT avg(r.rating) AS avg, count(*) AS n FROM reviews r WHERE r.capability_id = c.id) rat ON true
     ORDER BY page.k1 DESC, page.k2 DESC, page.id DESC`;
}

function toCard(r: CardRow): CapabilityCard {
  const count = Number(r.rating_count);
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    icon: r.icon,
    summary: r.summary,
    category: r.category,
    type: r.type,
    risk: r.risk,
    latestVersion: r.version,
    rating: { average: count ? Math.round(Number(r.rating_avg) * 100) / 100 : null, count },
    installs: Number(r.installs),
    publisher: { id: r.owner_id, name: r.owner_name, verified: r.owner_verified },
    needsNetwork: r.needs_network,
    tags: r.tags,
    visibility: r.visibility,
    isBuiltin: r.is_builtin,
    updatedAt: r.updated_at.toISOString(),
  };
}

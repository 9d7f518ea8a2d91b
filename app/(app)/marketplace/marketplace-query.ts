// The marketplace's search and filters as they live in the URL (?q=&category=&type=
// &maxRisk=&network=&publisher=&review=&sort=), so a search can be shared and survives
// reload, and their translation into GET /api/capabilities parameters. Pure.
import type { Risk } from "@/components/marketplace/format";

export const PAGE_SIZE = 24;

export const SORTS = ["relevance", "installs", "rating", "newest"] as const;
export type Sort = (typeof SORTS)[number];
const MAX_RISKS = ["low", "medium", "high"] as const;
const TYPES = ["declarative", "api-connector", "code", "workflow", "builtin"] as const;

export interface MarketQuery {
  q: string;
  category: string;
  type: string;
  /** Up to and including this risk level; "" = any. */
  maxRisk: "" | (typeof MAX_RISKS)[number];
  network: "" | "true" | "false";
  publisher: "" | "verified" | "me";
  review: "" | "in_review";
  sort: "" | Sort;
}

export const EMPTY_QUERY: MarketQuery = { q: "", category: "", type: "", maxRisk: "", network: "", publisher: "", review: "", sort: "" };

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | "" => (value && (allowed as readonly string[]).includes(value) ? (value as T) : "");

export function parseMarketQuery(params: { get(name: string): string | null }): MarketQuery {
  return {
    q: (params.get("q") ?? "").slice(0, 200),
    category: (params.get("category") ?? "").replace(/[^a-z-]/g, "").slice(0, 40),
    type: oneOf(params.get("type"), TYPES),
    maxRisk: oneOf(params.get("maxRisk"), MAX_RISKS),
    network: oneOf(params.get("network"), ["true", "false"] as const),
    publisher: oneOf(params.get("publisher"), ["verified", "me"] as const),
    review: oneOf(params.get("review"), ["in_review"] as const),
    sort: oneOf(params.get("sort"), SORTS),
  };
}

/** Only what is set, in a fixed order, as the page's own query string. */
export function toUrlParams(query: MarketQuery, extra: Record<string, string> = {}): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(EMPTY_QUERY) as (keyof MarketQuery)[]) {
    const v = key === "q" ? query.q.trim() : query[key];
    if (v) p.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p;
}

const RISKS_UP_TO: Record<(typeof MAX_RISKS)[number], Risk[]> = { low: ["low"], medium: ["low", "medium"], high: ["low", "medium", "high"] };

/** GET /api/capabilities parameters for a query (and a page cursor). */
export function toApiParams(query: MarketQuery, cursor?: string | null): URLSearchParams {
  const p = new URLSearchParams();
  if (query.q.trim()) p.set("q", query.q.trim());
  if (query.category) p.set("category", query.category);
  if (query.type) p.set("type", query.type);
  if (query.maxRisk) p.set("risk", RISKS_UP_TO[query.maxRisk].join(","));
  if (query.network) p.set("network", query.network);
  if (query.publisher) p.set("publisher", query.publisher);
  if (query.review) p.set("review", query.review);
  if (query.sort) p.set("sort", query.sort);
  p.set("limit", String(PAGE_SIZE));
  if (cursor) p.set("cursor", cursor);
  return p;
}

export function queryKey(query: MarketQuery): string {
  return toApiParams(query).toString();
}

export function countActiveFilters(query: MarketQuery): number {
  return [query.category, query.type, query.maxRisk, query.network, query.publisher, query.review].filter(Boolean).length;
}

/** Reads a plain searchParams object (as a page receives it) like URLSearchParams. */
export function paramsFromRecord(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(record)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) p.set(k, first);
  }
  return p;
}

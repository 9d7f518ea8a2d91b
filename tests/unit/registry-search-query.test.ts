// The marketplace search SQL is assembled from options: every combination must use each
// parameter it binds (Postgres cannot type an unused one and fails the query) and must
// keep the visibility rule.
import { describe, expect, test } from "vitest";
import { buildSearchQuery, SearchCapabilitiesQuerySchema, toTerms } from "../../lib/marketplace/search-capabilities";
import { encodeCursor } from "../../lib/registry/cursor";

const viewers = [null, { userId: "usr_member", role: "member" as const }, { userId: "usr_admin", role: "admin" as const }];
const filters = ["", "category=finance,data", "type=code&risk=low", "network=true", "network=false", "publisher=verified", "publisher=me", "publisher=usr_x", "review=in_review"];
const texts = ["", "wether", "csv stats", "!!!"];
const sorts = ["relevance", "installs", "rating", "newest"];

describe("buildSearchQuery", () => {
  test("binds exactly the parameters it uses, for every combination", () => {
    let n = 0;
    for (const viewer of viewers)
      for (const f of filters)
        for (const q of texts)
          for (const sort of sorts)
            for (const paged of [false, true]) {
              const query = SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(`${f}&sort=${sort}${q ? `&q=${encodeURIComponent(q)}` : ""}`)));
              const effective = sort === "relevance" && !q ? "installs" : sort;
              if (paged) query.cursor = encodeCursor(`search:${effective}:${q}`, [3.5, 1, "cap_x"]);
              const { sql, params } = buildSearchQuery({ viewer, query });
              const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
              expect([...used].sort((a, b) => a - b), `${f} q=${q} sort=${sort} paged=${paged}`).toEqual(params.map((_, i) => i + 1));
              n++;
            }
    expect(n).toBe(viewers.length * filters.length * texts.length * sorts.length * 2);
  });

  test("only admins looking for reviews skip the visibility rule", () => {
    const q = (qs: string) => SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)));
    expect(buildSearchQuery({ viewer: viewers[1]!, query: q("review=in_review") }).sql).toContain("c.visibility = 'public' OR c.owner_id");
    expect(buildSearchQuery({ viewer: viewers[2]!, query: q("review=in_review") }).sql).not.toContain("c.visibility = 'public'");
    expect(buildSearchQuery({ viewer: null, query: q("") }).sql).toContain("c.visibility = 'public'");
  });

  test("query words are letters and digits only", () => {
    expect(toTerms("Weather's  look-up: 2024!")).toEqual(["weather", "s", "look", "up", "2024"]);
    expect(toTerms("&|!:*()")).toEqual([]);
  });
});

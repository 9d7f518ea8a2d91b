import { startDatabase, loadCatalog } from "./registry";
import { buildSearchQuery, searchCapabilities, SearchCapabilitiesQuerySchema } from "../lib/marketplace/search-capabilities";
const b = await startDatabase(console.log);
try {
  const { viewer } = await loadCatalog(b.db, Number(process.env.N ?? 2000), console.log);
  await b.db.$executeRawUnsafe("ANALYZE");
  for (const qs of (process.env.QS ?? "type=code&risk=low|category=finance&sort=installs|sort=newest|q=wether|network=true&sort=rating").split("|")) {
    const q = SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)));
    for (let i = 0; i < 3; i++) await searchCapabilities(b.db, { viewer, query: q });
    console.log("=====", qs);
    const { sql, params } = buildSearchQuery({ viewer, query: q });
    const [, plan] = await b.db.$transaction([b.db.$queryRawUnsafe(`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true), set_config('enable_nestloop', 'off', true)`), b.db.$queryRawUnsafe<any[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, ...params)]);
    if (process.env.PLAN) console.log(plan.map((r: any) => r["QUERY PLAN"]).join("\n"));
    else console.log(plan.slice(-1).map((r: any) => r["QUERY PLAN"]).join("\n"));
    const times = [];
    for (let i = 0; i < 10; i++) { const t0 = performance.now(); await searchCapabilities(b.db, { viewer, query: q }); times.push(performance.now() - t0); }
    console.log("times", times.map((t) => t.toFixed(1)).join(" "));
  }
  const t0 = performance.now(); for (let i = 0; i < 50; i++) await b.db.$queryRawUnsafe("SELECT 1"); console.log("SELECT 1 avg", ((performance.now() - t0) / 50).toFixed(2));
  const t1 = performance.now(); for (let i = 0; i < 50; i++) await b.db.$transaction([b.db.$queryRawUnsafe("SELECT 1"), b.db.$queryRawUnsafe("SELECT 2")]); console.log("tx of 2 avg", ((performance.now() - t1) / 50).toFixed(2));
} finally { await b.stop(); }
process.exit(0);

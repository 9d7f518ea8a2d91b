// The choices of the executions page's filters: the agents the viewer may see, and the
// capabilities that have run (or are installed) on them. Bounded lists; a value that is
// not offered can still be filtered on through the URL and the API.
import type { Db } from "../../db/prisma";
import type { ExecutionViewer } from "./execution-record";

export interface ExecutionFacets {
  agents: { id: string; name: string }[];
  capabilities: { slug: string; name: string; icon: string }[];
}

const MAX_FACETS = 200;

export async function listExecutionFacets(db: Db, options: { viewer: ExecutionViewer }): Promise<ExecutionFacets> {
  const admin = options.viewer.role === "admin";
  const owner = admin ? null : options.viewer.userId;
  const [agents, capabilities] = await Promise.all([
    db.agent.findMany({ where: owner ? { ownerId: owner } : {}, select: { id: true, name: true }, orderBy: { id: "desc" }, take: MAX_FACETS }),
    db.$queryRawUnsafe<{ slug: string; name: string | null; icon: string | null }[]>(
      `SELECT s.slug, c.name, c.icon FROM (
         SELECT c.slug FROM installations i JOIN agents a ON a.id = i.agent_id JOIN capabilities c ON c.id = i.capability_id
         WHERE $1::text IS NULL OR a.owner_id = $1
         UNION
         SELECT DISTINCT e.capability_slug FROM (
           SELECT e.capability_slug FROM executions e JOIN agents a ON a.id = e.agent_id
           WHERE e.parent_id IS NULL AND ($1::text IS NULL OR a.owner_id = $1)
           ORDER BY e.created_at DESC LIMIT 1000
         ) e
       ) s LEFT JOIN capabilities c ON c.slug = s.slug
       ORDER BY s.slug LIMIT $2`,
      owner,
      MAX_FACETS,
    ),
  ]);
  // Sorted here, by name as people read it, whatever the database's collation.
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "en", { sensitivity: "base" });
  return {
    agents: agents.sort(byName),
    capabilities: capabilities.map((c) => ({ slug: c.slug, name: c.name ?? c.slug, icon: c.icon ?? "🧩" })).sort(byName),
  };
}

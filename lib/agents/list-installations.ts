// The installations of one agent, oldest first, cursor-paginated.
import type { Db } from "../db/prisma";
import { findAgentForCaller, type Caller } from "./agent-access";
import type { ListInstallationsQuery } from "./agent-schemas";
import { loadInstallationViews, type InstallationView } from "./installation-views";

export async function listInstallations(db: Db, options: { caller: Caller; agentId: string; query: ListInstallationsQuery }): Promise<{ items: InstallationView[]; nextCursor: string | null }> {
  const { caller, agentId, query } = options;
  await findAgentForCaller(db, { caller, agentId });
  const rows = await loadInstallationViews(db, { caller, agentId, after: query.cursor, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

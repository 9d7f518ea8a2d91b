// The caller's agents, newest first; administrators may ask for every agent (`all`).
import type { Db } from "../db/prisma";
import { forbidden } from "../errors";
import type { Caller } from "./agent-access";
import { agentRecordSelect, toAgentRecord, type AgentRecord } from "./agent-record";
import type { ListAgentsQuery } from "./agent-schemas";

export async function listAgents(db: Db, options: { caller: Caller; query: ListAgentsQuery }): Promise<{ items: AgentRecord[]; nextCursor: string | null }> {
  const { caller, query } = options;
  if (query.all && caller.role !== "admin") throw forbidden("only administrators can list every agent");
  const rows = await db.agent.findMany({
    where: { AND: [query.all ? {} : { ownerId: caller.userId }, query.cursor ? { id: { lt: query.cursor } } : {}] },
    select: agentRecordSelect,
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const items = rows.slice(0, query.limit).map(toAgentRecord);
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

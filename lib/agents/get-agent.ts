// One agent with all its installations (the agent page). 404 for anyone but its owner
// and administrators.
import type { Db } from "../db/prisma";
import { notFound } from "../errors";
import { findAgentForCaller, type Caller } from "./agent-access";
import { agentRecordSelect, toAgentRecord, type AgentRecord } from "./agent-record";
import { loadInstallationViews, type InstallationView } from "./installation-views";

export async function getAgent(db: Db, options: { caller: Caller; agentId: string }): Promise<AgentRecord & { installations: InstallationView[] }> {
  await findAgentForCaller(db, options);
  const agent = await db.agent.findUnique({ where: { id: options.agentId }, select: agentRecordSelect });
  if (!agent) throw notFound("agent");
  return { ...toAgentRecord(agent), installations: await loadInstallationViews(db, options) };
}

// Renames or re-describes an agent (agent.updated with the changed field names).
import type { Db } from "../db/prisma";
import { appendEvent } from "../events/append-event";
import { lockAgentForCaller, type Caller } from "./agent-access";
import { agentRecordSelect, toAgentRecord, type AgentRecord } from "./agent-record";
import type { UpdateAgentInput } from "./agent-schemas";

export async function updateAgent(db: Db, options: { caller: Caller; agentId: string; input: UpdateAgentInput }): Promise<AgentRecord> {
  const { caller, agentId, input } = options;
  return db.$transaction(async (tx) => {
    const agent = await lockAgentForCaller(tx, { caller, agentId });
    const changed = (["name", "description"] as const).filter((k) => input[k] !== undefined && input[k] !== agent[k]);
    if (changed.length) {
      await tx.agent.update({ where: { id: agentId }, data: Object.fromEntries(changed.map((k) => [k, input[k]])), select: { id: true } });
      await appendEvent(tx, {
        type: "agent.updated",
        data: { fields: changed },
        stream: { type: "agent", id: agentId },
        subject: { type: "agent", id: agentId },
        actor: caller.actor,
        correlationId: caller.correlationId,
      });
    }
    return toAgentRecord(await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: agentRecordSelect }));
  });
}

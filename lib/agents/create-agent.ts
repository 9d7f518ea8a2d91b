// Creates an agent owned by the caller (agent.created in the same transaction).
import type { Db } from "../db/prisma";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import type { Caller } from "./agent-access";
import { agentRecordSelect, toAgentRecord, type AgentRecord } from "./agent-record";
import type { CreateAgentInput } from "./agent-schemas";

export async function createAgent(db: Db, options: { caller: Caller; input: CreateAgentInput }): Promise<AgentRecord> {
  const { caller, input } = options;
  const id = newId("agt");
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.create({ data: { id, ownerId: caller.userId, name: input.name, description: input.description }, select: agentRecordSelect });
    await appendEvent(tx, {
      type: "agent.created",
      data: { name: input.name },
      stream: { type: "agent", id },
      subject: { type: "agent", id },
      actor: caller.actor,
      correlationId: caller.correlationId,
    });
    return toAgentRecord(agent);
  });
}

// Who may see and change an agent: its owner, and administrators. Anyone else gets the
// same 404 as for an agent that does not exist, so ids reveal nothing.
import type { Role } from "../auth/scopes";
import type { Db, Prisma } from "../db/prisma";
import { notFound } from "../errors";
import type { Actor } from "../events/append-event";

/** The authenticated user a use-case acts for. */
export interface Caller {
  userId: string;
  role: Role;
  actor: Actor;
  /** The request id, so every event of one request shares a correlation id. */
  correlationId?: string;
}

export function toCaller(identity: { userId: string; role: Role; actor: Actor }, correlationId?: string): Caller {
  return { userId: identity.userId, role: identity.role, actor: identity.actor, correlationId };
}

export interface AgentRow {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

const select = { id: true, ownerId: true, name: true, description: true, createdAt: true, updatedAt: true } as const;

export function canAccessAgent(caller: Caller, agent: { ownerId: string }): boolean {
  return caller.role === "admin" || agent.ownerId === caller.userId;
}

export async function findAgentForCaller(db: Db | Prisma.TransactionClient, options: { caller: Caller; agentId: string }): Promise<AgentRow> {
  const agent = await db.agent.findUnique({ where: { id: options.agentId }, select });
  if (!agent || !canAccessAgent(options.caller, agent)) throw notFound("agent");
  return agent;
}

/**
 * Inside a transaction: locks the agent row, so changes to one agent's installations are
 * serialised (dependency checks and uninstall refusals then see a stable set).
 */
export async function lockAgentForCaller(tx: Prisma.TransactionClient, options: { caller: Caller; agentId: string }): Promise<AgentRow> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM agents WHERE id = ${options.agentId} FOR UPDATE`;
  if (!rows.length) throw notFound("agent");
  return findAgentForCaller(tx, options);
}

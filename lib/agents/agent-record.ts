// The read shape of an agent, shared by the agent use-cases.
export interface AgentRecord {
  id: string;
  name: string;
  description: string;
  owner: { id: string; name: string };
  installationCount: number;
  createdAt: string;
  updatedAt: string;
}

export const agentRecordSelect = {
  id: true,
  name: true,
  description: true,
  createdAt: true,
  updatedAt: true,
  owner: { select: { id: true, name: true } },
  _count: { select: { installations: true } },
} as const;

export function toAgentRecord(a: { id: string; name: string; description: string; createdAt: Date; updatedAt: Date; owner: { id: string; name: string }; _count: { installations: number } }): AgentRecord {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    owner: a.owner,
    installationCount: a._count.installations,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

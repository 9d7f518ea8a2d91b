// The permission catalog: every permission a capability may request, explained in plain
// language, with its risk. A capability's risk is the highest of its permissions and its
// declared risk. Unknown permission strings are rejected. Pure: no I/O.
import { z } from "zod";

export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RiskLevelSchema = z.enum(RISK_LEVELS);

export interface PermissionInfo {
  label: string;
  explanation: string;
  risk: RiskLevel;
  group: "data" | "network" | "ai" | "file" | "compute" | "integration" | "context";
  /** Writes outside the agent's own sandbox (the policy kill switch stops these). */
  isExternalWrite: boolean;
}

export const PERMISSIONS = {
  "data.read": { group: "data", label: "Read stored data", explanation: "Read values this capability stored earlier in its own key-value store.", risk: "low", isExternalWrite: false },
  "data.write": { group: "data", label: "Write stored data", explanation: "Create and change values in its own key-value store.", risk: "medium", isExternalWrite: true },
  "data.delete": { group: "data", label: "Delete stored data", explanation: "Delete values from its own key-value store.", risk: "medium", isExternalWrite: true },
  "network.http.get": { group: "network", label: "Fetch from the internet", explanation: "Make HTTP GET requests to the domains listed by the capability (never to private or internal addresses).", risk: "medium", isExternalWrite: false },
  "network.http.post": { group: "network", label: "Send data to the internet", explanation: "Make HTTP POST/PUT/PATCH/DELETE requests to the listed domains: it can send your data out and change things on those services.", risk: "high", isExternalWrite: true },
  "network.websocket": { group: "network", label: "Open WebSocket connections", explanation: "Keep two-way connections open to the listed domains.", risk: "high", isExternalWrite: true },
  "ai.call": { group: "ai", label: "Call AI models", explanation: "Send prompts to language models, which may cost money and sends the prompt text to the model provider.", risk: "medium", isExternalWrite: false },
  "ai.embedding": { group: "ai", label: "Create embeddings", explanation: "Turn text into vectors with an embedding model.", risk: "low", isExternalWrite: false },
  "ai.vision": { group: "ai", label: "Use vision models", explanation: "Send images to vision models.", risk: "medium", isExternalWrite: false },
  "file.read": { group: "file", label: "Read uploaded files", explanation: "Read files that were uploaded to the agent.", risk: "medium", isExternalWrite: false },
  "file.write": { group: "file", label: "Create and change files", explanation: "Create, overwrite or change files the agent can reach.", risk: "high", isExternalWrite: true },
  "file.temporary": { group: "file", label: "Use temporary storage", explanation: "Use scratch space that is wiped after each run.", risk: "low", isExternalWrite: false },
  "compute.light": { group: "compute", label: "Light computation", explanation: "Run for up to 1 second per call.", risk: "low", isExternalWrite: false },
  "compute.moderate": { group: "compute", label: "Moderate computation", explanation: "Run for up to 10 seconds per call.", risk: "low", isExternalWrite: false },
  "compute.heavy": { group: "compute", label: "Heavy computation", explanation: "Run for up to 60 seconds per call, using more CPU.", risk: "medium", isExternalWrite: false },
  "integration.email": { group: "integration", label: "Send email", explanation: "Send email in your name through a connected account.", risk: "high", isExternalWrite: true },
  "integration.calendar": { group: "integration", label: "Use your calendar", explanation: "Read and change events in a connected calendar.", risk: "high", isExternalWrite: true },
  "integration.crm": { group: "integration", label: "Use your CRM", explanation: "Read and change customer records in a connected CRM.", risk: "critical", isExternalWrite: true },
  "context.user": { group: "context", label: "Know who you are", explanation: "See the name and email of the person the agent acts for.", risk: "medium", isExternalWrite: false },
  "context.conversation": { group: "context", label: "Read the conversation", explanation: "Read the history of the conversation with the agent.", risk: "high", isExternalWrite: false },
  "context.files": { group: "context", label: "See the conversation's files", explanation: "Read files shared in the conversation.", risk: "high", isExternalWrite: false },
} as const satisfies Record<string, PermissionInfo>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];
export const PermissionSchema = z.enum(PERMISSION_NAMES as [Permission, ...Permission[]], {
  error: (issue) => `unknown permission ${JSON.stringify(issue.input)}; known: ${PERMISSION_NAMES.join(", ")}`,
});

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function maxRisk(levels: Iterable<RiskLevel>): RiskLevel {
  let best: RiskLevel = "low";
  for (const l of levels) if (RANK[l] > RANK[best]) best = l;
  return best;
}

export function compareRisk(a: RiskLevel, b: RiskLevel): number {
  return RANK[a] - RANK[b];
}

/** The capability's risk: the highest of its permissions' and its own declared risk. */
export function capabilityRisk(permissions: readonly Permission[], declared?: RiskLevel): RiskLevel {
  return maxRisk([...permissions.map((p) => PERMISSIONS[p].risk), ...(declared ? [declared] : [])]);
}

export function isExternalWrite(p: Permission): boolean {
  return PERMISSIONS[p].isExternalWrite;
}

/** What an upgrade adds and drops, for consent screens and the approval inbox. */
export function permissionDiff(from: readonly Permission[], to: readonly Permission[]): { added: Permission[]; removed: Permission[]; kept: Permission[] } {
  const a = new Set(from);
  const b = new Set(to);
  return {
    added: to.filter((p) => !a.has(p)),
    removed: from.filter((p) => !b.has(p)),
    kept: to.filter((p) => a.has(p)),
  };
}

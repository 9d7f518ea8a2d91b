// The scopes an API token can carry. A browser session holds every scope its role allows.
import { z } from "zod";

export const SCOPES = {
  "events:read": "Read the audit log and follow it live",
  "events:write": "Record notes in the audit log",
  "tokens:read": "List your API tokens",
  "tokens:write": "Create and revoke your API tokens",
  "capabilities:read": "Browse capabilities and their versions",
  "capabilities:write": "Create, edit and publish capabilities",
  "agents:read": "See agents and their installations",
  "agents:write": "Create agents and manage installations",
  "agents:invoke": "Invoke actions of installed capabilities",
  "snippets:read": "See your snippets, their previews, tasks and audit trail",
  "snippets:write": "Create, edit, delete and preview snippets and make tasks of them",
  "approvals:read": "See approval requests",
  "approvals:decide": "Approve or deny requests",
  admin: "Administer the organisation (settings, users, policy); admins only",
} as const;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
export const ScopeSchema = z.enum(SCOPE_NAMES as [Scope, ...Scope[]]);

export type Role = "admin" | "member";

export function scopesForRole(role: Role): Scope[] {
  return role === "admin" ? SCOPE_NAMES : SCOPE_NAMES.filter((s) => s !== "admin");
}

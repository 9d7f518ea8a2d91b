// Which token scopes reach approvals. Reading: approvals:read, or agents:invoke (an agent
// polls the approval of its own invocation with the token it invoked with; visibility
// still limits members to their own requests). Deciding: approvals:decide.
import { forbidden } from "../../errors";
import type { Scope } from "../../auth/scopes";

export function requireApprovalRead(identity: { scopes: Scope[] }): void {
  if (!identity.scopes.includes("approvals:read") && !identity.scopes.includes("agents:invoke")) {
    throw forbidden("this token needs the approvals:read (or agents:invoke) scope");
  }
}

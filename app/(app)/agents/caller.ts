// The signed-in user as the agents use-cases expect a caller (server components only).
import "server-only";
import type { Caller } from "@/lib/agents/agent-access";
import type { CurrentUser } from "../get-current-user";

export function callerOf(user: CurrentUser): Caller {
  return { userId: user.id, role: user.role, actor: { type: "user", id: user.id } };
}

import type { Metadata } from "next";
import { listAgents } from "@/lib/agents/list-agents";
import { getPrisma } from "@/lib/db/prisma";
import { requireUser } from "../get-current-user";
import { AgentsView } from "./agents-view";
import { AGENTS_PAGE_SIZE } from "./agents-page-size";
import { callerOf } from "./caller";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const all = user.role === "admin" && (await searchParams).all === "true";
  const page = await listAgents(getPrisma(), { caller: callerOf(user), query: { limit: AGENTS_PAGE_SIZE, all } }).catch(() => null);
  return <AgentsView key={String(all)} initial={page} all={all} isAdmin={user.role === "admin"} viewerId={user.id} />;
}

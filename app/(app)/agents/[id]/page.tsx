import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getAgent } from "@/lib/agents/get-agent";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { listActionForms } from "@/lib/execution/records/list-action-forms";
import { getCurrentUser, requireUser, type CurrentUser } from "../../get-current-user";
import { callerOf } from "../caller";
import { AgentView } from "./agent-view";

const loadAgent = cache(async (user: CurrentUser, id: string) => {
  try {
    return await getAgent(getPrisma(), { caller: callerOf(user), agentId: id });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await getCurrentUser();
  const agent = user ? await loadAgent(user, (await params).id) : null;
  return { title: agent ? `${agent.name} · Agents` : "Agents" };
}

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const agent = await loadAgent(user, (await params).id);
  if (!agent) notFound();
  // The Run panel's forms, per installed version; after an upgrade the view asks for a refresh.
  const forms = await listActionForms(getPrisma(), { caller: callerOf(user), agentId: agent.id });
  return <AgentView key={agent.id} initial={agent} viewerId={user.id} forms={forms} />;
}

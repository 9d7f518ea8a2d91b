import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { getExecution } from "@/lib/execution/records/get-execution";
import { getCurrentUser, requireUser, type CurrentUser } from "../../get-current-user";
import { loadPeople } from "../../load-people";
import { ExecutionView } from "./execution-view";

const loadExecution = cache(async (user: CurrentUser, id: string) => {
  try {
    return await getExecution(getPrisma(), { id, viewer: { userId: user.id, role: user.role } });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await getCurrentUser();
  const e = user ? await loadExecution(user, (await params).id) : null;
  return { title: e ? `${e.kind === "step" ? e.action : `${e.capability.slug}.${e.action}`} · Executions` : "Executions" };
}

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  if (id.length > 100) notFound();
  const execution = await loadExecution(user, id);
  if (!execution) notFound();
  const people = await loadPeople(getPrisma());
  return <ExecutionView key={execution.id} initial={execution} people={people} />;
}

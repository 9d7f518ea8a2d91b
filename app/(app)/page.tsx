import type { Metadata } from "next";
import { headers } from "next/headers";
import { getPrisma } from "@/lib/db/prisma";
import { listEvents } from "@/lib/events/list-events";
import { getExecutorHealth } from "@/lib/execution/records/get-executor-health";
import { getHealth } from "@/lib/health";
import { requireUser } from "./get-current-user";
import { loadPeople } from "./load-people";
import { OverviewView } from "./overview-view";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requireUser();
  const db = getPrisma();
  // The chain check walks the whole log, so it streams in separately (see ChainCard).
  const [health, latest, people, tokenCount, executors] = await Promise.all([
    getHealth(db),
    listEvents(db, { limit: 8 }),
    loadPeople(db),
    db.apiToken.count({ where: { userId: user.id, revokedAt: null } }),
    getExecutorHealth(db).catch(() => null),
  ]);
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  return <OverviewView user={user} health={health} latest={latest.items} people={people} tokenCount={tokenCount} origin={origin} executors={executors} />;
}

// /approvals – the Approval Inbox. Reads what the page frames (the viewer's role, the kill
// switch, the filter choices, people's names); the requests themselves are read by the view
// through GET /api/approvals, which applies who may see what.
import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/prisma";
import { listExecutionFacets } from "@/lib/execution/records/list-execution-facets";
import { log } from "@/lib/log";
import { getKillSwitch } from "@/lib/policy/kill-switch";
import { requireUser } from "../get-current-user";
import { loadPeople } from "../load-people";
import { ApprovalsView } from "./approvals-view";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const user = await requireUser();
  const db = getPrisma();
  const [killSwitch, facets, people] = await Promise.all([
    getKillSwitch(db).catch((err: unknown) => {
      log.error("approvals page: kill switch not read", { error: err instanceof Error ? err.message : String(err) });
      return null;
    }),
    listExecutionFacets(db, { viewer: { userId: user.id, role: user.role } }).catch(() => ({ agents: [], capabilities: [] })),
    loadPeople(db).catch(() => ({})),
  ]);
  return <ApprovalsView isAdmin={user.role === "admin"} killSwitch={killSwitch} facets={facets} people={people} />;
}

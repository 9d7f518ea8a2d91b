// /approvals/rules – the organisation's policy rules: read by everyone signed in, edited by
// admins. Loads the rules in force, the first page of their history and the permission
// catalog (for the "Add rule" form) on the server; the view does the rest through the API.
import type { Metadata } from "next";
import { HISTORY_PAGE_SIZE } from "@/components/policy/rule-format";
import { getPrisma } from "@/lib/db/prisma";
import { log } from "@/lib/log";
import { getRuleSet, listRuleVersions } from "@/lib/policy/rule-store";
import { listPermissions } from "@/lib/registry/list-permissions";
import { requireUser } from "../../get-current-user";
import { RulesView } from "./rules-view";

export const metadata: Metadata = { title: "Policy rules" };

export default async function PolicyRulesPage() {
  const user = await requireUser();
  const db = getPrisma();
  const [set, history] = await Promise.all([
    getRuleSet(db).catch((err: unknown) => {
      // The view shows an error with a retry.
      log.error("policy rules page: rules not loaded", { error: err instanceof Error ? err.message : String(err) });
      return null;
    }),
    listRuleVersions(db, { limit: HISTORY_PAGE_SIZE }).catch(() => null),
  ]);
  const permissions = listPermissions().items.map((p) => ({ name: p.name, label: p.label, group: p.group, risk: p.risk }));
  return <RulesView initial={set} initialHistory={history} isAdmin={user.role === "admin"} permissions={permissions} />;
}

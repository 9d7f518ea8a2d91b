// The policy in force, compiled, for the gate's callers. One small query per decision reads
// what can change from another instance (the rules version, the stored kill switch, the
// approver setting); the rules themselves are read and compiled again only when their
// version moved. Nothing lives only in this process: the cache is a pure function of
// those rows, so every instance decides the same way the moment a change commits.
import type { Db } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import { getEnv } from "../env";
import { compilePolicy, type CompiledPolicy } from "./gate";
import type { OrgRule } from "./rules";

export interface LoadedPolicy {
  compiled: CompiledPolicy;
  rulesVersion: number;
  killSwitch: boolean;
  membersMayApproveRestricted: boolean;
}

type Queryable = Pick<Prisma.TransactionClient, "$queryRaw">;

interface HeadRow {
  version: number | null;
  kill_switch: unknown;
  members_may: unknown;
}

let cached: { rulesVersion: number; rules: readonly OrgRule[]; byKey: Map<string, CompiledPolicy> } | null = null;

async function readRules(db: Queryable, version: number): Promise<readonly OrgRule[]> {
  if (version === 0) return [];
  const rows = await db.$queryRaw<{ rules: unknown }[]>`SELECT rules FROM policy_rule_sets WHERE version = ${version}`;
  return (rows[0]?.rules as OrgRule[] | undefined) ?? [];
}

/**
 * The SELECT list that reads the policy head (rules version, stored kill switch, approver
 * setting) as columns policy_version, policy_kill_switch, policy_members_may: a caller
 * that makes a query anyway (the invoke path) adds it to that one and passes the row on.
 */
export const POLICY_HEAD_COLUMNS = `(SELECT max(version) FROM policy_rule_sets) AS policy_version,
  (SELECT value FROM settings WHERE key = 'policy.killSwitch') AS policy_kill_switch,
  (SELECT value FROM settings WHERE key = 'membersMayApproveRestricted') AS policy_members_may`;

export interface PolicyHead {
  policy_version: number | null;
  policy_kill_switch: unknown;
  policy_members_may: unknown;
}

export async function loadPolicy(db: Db | Queryable, known?: PolicyHead): Promise<LoadedPolicy> {
  let head: HeadRow;
  if (known) head = { version: known.policy_version, kill_switch: known.policy_kill_switch, members_may: known.policy_members_may };
  else {
    const rows = await (db as Queryable).$queryRaw<HeadRow[]>`
      SELECT (SELECT max(version) FROM policy_rule_sets) AS version,
             (SELECT value FROM settings WHERE key = 'policy.killSwitch') AS kill_switch,
             (SELECT value FROM settings WHERE key = 'membersMayApproveRestricted') AS members_may`;
    head = rows[0]!;
  }
  const rulesVersion = head.version ?? 0;
  const killSwitch = head.kill_switch === true || getEnv().POLICY_KILL_SWITCH_EXTERNAL_WRITE;
  const membersMayApproveRestricted = head.members_may === true;
  if (!cached || cached.rulesVersion !== rulesVersion) {
    cached = { rulesVersion, rules: await readRules(db as Queryable, rulesVersion), byKey: new Map() };
  }
  const trustThreshold = getEnv().POLICY_TRUST_THRESHOLD;
  const key = `${killSwitch ? 1 : 0}:${membersMayApproveRestricted ? 1 : 0}:${trustThreshold}`;
  let compiled = cached.byKey.get(key);
  if (!compiled) {
    compiled = compilePolicy({ killSwitch, rules: cached.rules, trustThreshold, restrictedApprover: membersMayApproveRestricted ? "any" : "admin" });
    cached.byKey.set(key, compiled);
  }
  return { compiled, rulesVersion, killSwitch, membersMayApproveRestricted };
}

/** Tests that rewrite policy tables behind the app's back. */
export function resetPolicyCache(): void {
  cached = null;
}

// Every command of capreg, in the order `capreg --help` lists them.
import type { Command } from "../command";
import { agentsCreate, agentsList, approvalsApprove, approvalsDeny, approvalsList, install, invoke, uninstall, upgrade } from "./agents";
import { auditTail, auditVerify } from "./audit";
import { login, logout, whoami } from "./auth";
import { discover, init, validate } from "./local";
import { info, publish, search, test } from "./registry";

export const COMMANDS: Command[] = [
  login,
  logout,
  whoami,
  init,
  discover,
  validate,
  test,
  publish,
  search,
  info,
  agentsList,
  agentsCreate,
  install,
  upgrade,
  uninstall,
  invoke,
  approvalsList,
  approvalsApprove,
  approvalsDeny,
  auditTail,
  auditVerify,
];

/** Command groups (`capreg agents`) and their subcommands. */
export const GROUPS: Record<string, string> = {
  agents: "list and create agents",
  approvals: "list, approve and deny approval requests",
  audit: "tail and verify the event log",
};

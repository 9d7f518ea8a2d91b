// For tests whose subject is not the policy (executors, invoke, sandbox): an install the
// policy holds for approval (202) is approved through the real decision by an admin of the
// test database (another user than the requester, so DANGEROUS requests pass too), and the
// installation id is read from the approval's outcome. Not a test file itself.
import { expect } from "vitest";
import { decideApproval } from "../../lib/policy/approvals/decide-approval";
import { makeUser } from "./helpers/app";
import type { TestDatabase } from "./helpers/db";

const approvers = new Map<string, Promise<{ id: string }>>();

/** The install answer's installation id: 201 as it is, 202 once an admin approved it. */
export async function installedId(t: TestDatabase, res: Response): Promise<string> {
  const body = await res.json();
  if (res.status === 201) return body.installation.id as string;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return approveInstall(t, body.approvalId as string);
}

/** Approves an install or upgrade approval as an admin; returns the installation id, failing when the outcome is not ok. */
export async function approveInstall(t: TestDatabase, approvalId: string): Promise<string> {
  if (!approvers.has(t.name)) approvers.set(t.name, makeUser(t, "admin"));
  const admin = await approvers.get(t.name)!;
  await decideApproval(t.db, { id: approvalId, decider: { userId: admin.id, role: "admin", actor: { type: "user", id: admin.id } }, input: { decision: "approve", comment: "approved by the test set-up" } });
  const a = await t.db.approval.findUniqueOrThrow({ where: { id: approvalId }, select: { outcome: true } });
  const outcome = a.outcome as { ok: boolean; installationId?: string } | null;
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true, installationId: expect.any(String) });
  return outcome!.installationId!;
}

// Who may decide an approval. Pure.
//   - admins always, except on their own DANGEROUS request (nobody approves their own);
//   - members only RESTRICTED requests of others whose approver is "any", and only while the
//     organisation setting membersMayApproveRestricted is on;
//   - publish approvals (the public marketplace) are for admins.
// The requester is the user the request acted for (a token's owner, a session's user).
export interface Decider {
  userId: string;
  role: "admin" | "member";
}

export interface DecidableApproval {
  kind: string;
  securityLevel: string;
  approver: string;
  requesterUserId: string | null;
}

export type DecideRight = { ok: true } | { ok: false; why: string };

export function mayDecide(who: Decider, a: DecidableApproval, o: { membersMayApproveRestricted: boolean }): DecideRight {
  const own = a.requesterUserId !== null && a.requesterUserId === who.userId;
  if (a.securityLevel === "DANGEROUS" && own) return { ok: false, why: "nobody approves their own DANGEROUS request: another admin must decide" };
  if (who.role === "admin") return { ok: true };
  if (a.kind === "publish") return { ok: false, why: "publishing to the public marketplace is decided by an admin" };
  if (a.securityLevel !== "RESTRICTED" || a.approver !== "any") return { ok: false, why: `${a.securityLevel} requests are decided by an admin` };
  if (!o.membersMayApproveRestricted) return { ok: false, why: "only admins decide approvals: the organisation does not let members approve RESTRICTED requests" };
  if (own) return { ok: false, why: "members cannot decide their own requests" };
  return { ok: true };
}

// Who may see an approval: admins all; a member their own requests, and — while the
// organisation lets members approve RESTRICTED requests — the RESTRICTED ones open to any
// approver. Anyone else gets the same 404 as for an approval that does not exist.
export function canSeeApproval(
  who: { userId: string; role: "admin" | "member" },
  a: { requesterUserId: string | null; securityLevel: string; approver: string },
  o: { membersMayApproveRestricted: boolean },
): boolean {
  if (who.role === "admin") return true;
  if (a.requesterUserId !== null && a.requesterUserId === who.userId) return true;
  return o.membersMayApproveRestricted && a.securityLevel === "RESTRICTED" && a.approver === "any";
}

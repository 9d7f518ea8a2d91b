// Who may decide and who may see an approval (lib/policy/approvals/authorize.ts, visibility.ts).
import { describe, expect, it } from "vitest";
import { mayDecide } from "@/lib/policy/approvals/authorize";
import { canSeeApproval } from "@/lib/policy/approvals/visibility";

const admin = { userId: "usr_admin", role: "admin" as const };
const admin2 = { userId: "usr_admin2", role: "admin" as const };
const member = { userId: "usr_member", role: "member" as const };
const req = (securityLevel: string, requesterUserId: string | null, o: { kind?: string; approver?: string } = {}) => ({ kind: o.kind ?? "invoke", securityLevel, approver: o.approver ?? "any", requesterUserId });
const on = { membersMayApproveRestricted: true };
const off = { membersMayApproveRestricted: false };

describe("mayDecide", () => {
  it("admins decide everything but their own DANGEROUS request", () => {
    for (const level of ["SAFE", "MODERATE", "RESTRICTED", "DANGEROUS"]) expect(mayDecide(admin, req(level, "usr_someone"), off).ok, level).toBe(true);
    expect(mayDecide(admin, req("RESTRICTED", admin.userId), off).ok).toBe(true);
    const own = mayDecide(admin, req("DANGEROUS", admin.userId, { approver: "admin" }), off);
    expect(own).toEqual({ ok: false, why: expect.stringMatching(/own DANGEROUS/) });
    expect(mayDecide(admin2, req("DANGEROUS", admin.userId, { approver: "admin" }), off).ok).toBe(true);
  });
  it("members never decide DANGEROUS requests nor publish approvals", () => {
    expect(mayDecide(member, req("DANGEROUS", "usr_x", { approver: "any" }), on).ok).toBe(false);
    expect(mayDecide(member, req("RESTRICTED", "usr_x", { kind: "publish" }), on).ok).toBe(false);
  });
  it("members decide RESTRICTED requests of others only with the setting on and approver any", () => {
    expect(mayDecide(member, req("RESTRICTED", "usr_x"), on).ok).toBe(true);
    expect(mayDecide(member, req("RESTRICTED", "usr_x"), off).ok).toBe(false);
    expect(mayDecide(member, req("RESTRICTED", "usr_x", { approver: "admin" }), on).ok).toBe(false);
    expect(mayDecide(member, req("RESTRICTED", member.userId), on)).toEqual({ ok: false, why: expect.stringMatching(/own/) });
  });
});

describe("canSeeApproval", () => {
  it("admins see all, members their own and (setting on) RESTRICTED ones open to any approver", () => {
    expect(canSeeApproval(admin, req("DANGEROUS", "usr_x"), off)).toBe(true);
    expect(canSeeApproval(member, req("DANGEROUS", member.userId), off)).toBe(true);
    expect(canSeeApproval(member, req("RESTRICTED", "usr_x"), off)).toBe(false);
    expect(canSeeApproval(member, req("RESTRICTED", "usr_x"), on)).toBe(true);
    expect(canSeeApproval(member, req("RESTRICTED", "usr_x", { approver: "admin" }), on)).toBe(false);
    expect(canSeeApproval(member, req("DANGEROUS", "usr_x"), on)).toBe(false);
  });
});

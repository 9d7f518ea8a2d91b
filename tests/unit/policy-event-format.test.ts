// Timeline sentences and links of the policy and approval events.
import { describe, expect, it } from "vitest";
import { subjectHref, summarizeEvent } from "@/components/events/event-format";

describe("policy and approval events on the timeline", () => {
  it("says what the gate decided and why", () => {
    expect(summarizeEvent({ type: "policy.evaluated", data: { what: "invoke", slug: "mailer", action: "send", decision: "require_approval", reasonCode: "default_restricted", securityLevel: "RESTRICTED", ruleId: null } })).toBe(
      "Policy: invoke of mailer.send needs approval (RESTRICTED, default restricted)",
    );
    expect(summarizeEvent({ type: "policy.evaluated", data: { what: "install", slug: "crm", decision: "deny", reasonCode: "org_rule_deny", securityLevel: "DANGEROUS", ruleId: "no-crm" } })).toBe(
      "Policy: install of crm denied (DANGEROUS, org rule deny, rule no-crm)",
    );
  });
  it("tells requests, decisions, expiry and rule changes apart", () => {
    expect(summarizeEvent({ type: "approval.requested", data: { kind: "invoke", slug: "mailer", action: "send", securityLevel: "DANGEROUS", approver: "admin" } })).toBe(
      "Approval requested: invoke mailer.send (DANGEROUS, an admin must decide)",
    );
    expect(summarizeEvent({ type: "approval.decided", data: { kind: "invoke", slug: "mailer", action: "send", decision: "deny", comment: "not today" } })).toBe("invoke mailer.send denied: not today");
    expect(summarizeEvent({ type: "approval.decided", data: { kind: "install", slug: "crm", action: null, decision: "hold", comment: null } })).toBe("install crm put on hold");
    expect(summarizeEvent({ type: "approval.expired", data: { kind: "invoke", slug: "mailer", action: "send" } })).toBe("Approval for invoke mailer.send expired undecided");
    expect(summarizeEvent({ type: "policy.rule_changed", data: { version: 3, ruleCount: 2, added: ["trust-x"], removed: [], changed: [], via: "trust" } })).toBe(
      "Policy rules v3 (2 rules): +trust-x · a progressive-trust recommendation accepted",
    );
  });
  it("links approval events to the inbox", () => {
    expect(subjectHref({ type: "agent", id: "agt_1" }, { data: {}, streamType: "approval", streamId: "apr_1" })).toBe("/approvals?id=apr_1");
    expect(subjectHref({ type: "approval", id: "apr_2" })).toBe("/approvals?id=apr_2");
  });
});

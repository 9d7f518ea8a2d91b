// The policy gate: every rule and their order (request checks, kill switch, org rules,
// public publish, defaults by security level, progressive trust).
import { describe, expect, it } from "vitest";
import { compilePolicy, evaluatePolicy, type OrgRule, type PolicyConfig, type PolicyRequest } from "@/lib/policy/gate";
import { OrgRuleSchema } from "@/lib/policy/rules";

const agent = { userId: "usr_1", role: "member" as const, agentId: "agt_1", tokenId: "tok_1" };
const invoke = (cap: Partial<NonNullable<PolicyRequest["capability"]>> = {}, extra: Partial<PolicyRequest> = {}): PolicyRequest => ({
  who: agent,
  what: "invoke",
  capability: { slug: "weather", action: "forecast", permissions: ["network.http.get"], domains: ["api.weather.gov"], ...cap },
  ...extra,
});
const policy = (rules: OrgRule[] = [], extra: Partial<PolicyConfig> = {}): PolicyConfig => ({ killSwitch: false, rules, ...extra });
const rule = (id: string, match: Record<string, unknown>, effect: OrgRule["effect"], more: Partial<OrgRule> = {}): OrgRule => OrgRuleSchema.parse({ id, match, effect, ...more });

describe("request checks: deny by default", () => {
  it("denies an unknown action kind, even with an allow-everything rule", () => {
    const d = evaluatePolicy({ ...invoke(), what: "delete_everything" } as unknown as PolicyRequest, policy([rule("all", {}, "allow")]));
    expect(d).toMatchObject({ decision: "deny", reasonCode: "unknown_action_kind", ruleId: null });
  });
  it("denies unknown permission strings", () => {
    const d = evaluatePolicy(invoke({ permissions: ["network.http.get", "root.shell"] }), policy([rule("all", {}, "allow")]));
    expect(d).toMatchObject({ decision: "deny", reasonCode: "unknown_permission" });
    expect(d.reasons[0]).toContain("root.shell");
  });
  it("denies a missing capability for invoke, install, upgrade and publish", () => {
    for (const what of ["invoke", "install", "upgrade", "publish"] as const) {
      expect(evaluatePolicy({ who: agent, what }, policy([rule("all", {}, "allow")])).reasonCode).toBe("missing_capability");
    }
  });
  it("denies an invoke without action, a publish without visibility, an unknown risk, a nobody", () => {
    expect(evaluatePolicy(invoke({ action: undefined }), policy()).reasonCode).toBe("missing_action");
    expect(evaluatePolicy({ ...invoke(), what: "publish" }, policy()).reasonCode).toBe("missing_visibility");
    expect(evaluatePolicy(invoke({ risk: "extreme" as never }), policy()).reasonCode).toBe("unknown_risk");
    expect(evaluatePolicy({ ...invoke(), who: { userId: null, role: null, agentId: null, tokenId: null } }, policy()).reasonCode).toBe("unknown_requester");
    expect(evaluatePolicy({ ...invoke(), who: { ...agent, role: "owner" as never } }, policy()).reasonCode).toBe("unknown_requester");
    expect(evaluatePolicy(null as unknown as PolicyRequest, policy()).decision).toBe("deny");
  });
});

describe("1. kill switch", () => {
  const writer = invoke({ slug: "mailer", action: "send", permissions: ["integration.email"], domains: [] });
  it("denies an external write even when an org rule allows it and it was approved many times", () => {
    const d = evaluatePolicy({ ...writer, context: { recentApprovals: 50, recentDenials: 0 } }, policy([rule("allow-mailer", { capability: "mailer" }, "allow")], { killSwitch: true }));
    expect(d).toMatchObject({ decision: "deny", reasonCode: "kill_switch", ruleId: null });
    expect(d.recommendation).toBeUndefined();
    expect(d.reasons[0]).toContain("integration.email");
  });
  it("is also forced by the request context", () => {
    expect(evaluatePolicy({ ...writer, context: { killSwitch: true } }, policy([rule("a", {}, "allow")])).reasonCode).toBe("kill_switch");
  });
  it("covers every external-write permission and no read", () => {
    const on = policy([rule("a", {}, "allow")], { killSwitch: true });
    for (const p of ["network.http.post", "data.write", "data.delete", "file.write", "integration.crm", "integration.calendar", "network.websocket"]) {
      expect(evaluatePolicy(invoke({ permissions: ["data.read", p] }), on).reasonCode, p).toBe("kill_switch");
    }
    expect(evaluatePolicy(invoke({ permissions: ["network.http.get", "data.read", "context.user"] }), on)).toMatchObject({ decision: "allow", ruleId: "a" });
  });
  it("also stops installs of writers, but never a revoke", () => {
    const on = policy([], { killSwitch: true });
    expect(evaluatePolicy({ ...writer, what: "install" }, on).reasonCode).toBe("kill_switch");
    expect(evaluatePolicy({ ...writer, what: "revoke" }, on)).toMatchObject({ decision: "allow", reasonCode: "revoke" });
  });
  it("does nothing while off", () => {
    expect(evaluatePolicy(writer, policy([rule("a", {}, "allow")])).decision).toBe("allow");
  });
});

describe("2. organisation rules", () => {
  it("first matching rule wins", () => {
    const rules = [rule("r1", { capability: "other" }, "deny"), rule("r2", { capability: "weather" }, "allow"), rule("r3", { capability: "weather" }, "deny")];
    expect(evaluatePolicy(invoke(), policy(rules))).toMatchObject({ decision: "allow", reasonCode: "org_rule_allow", ruleId: "r2" });
    expect(evaluatePolicy(invoke(), policy([rules[2]!, rules[1]!]))).toMatchObject({ decision: "deny", reasonCode: "org_rule_deny", ruleId: "r3" });
  });
  it("beats the defaults both ways", () => {
    const crm = invoke({ slug: "crm-sync", action: "push", permissions: ["integration.crm"], domains: ["api.crm.io"] });
    expect(evaluatePolicy(crm, policy()).decision).toBe("require_approval");
    expect(evaluatePolicy(crm, policy([rule("ok", { capability: "crm-*" }, "allow")])).decision).toBe("allow");
    expect(evaluatePolicy(invoke(), policy([rule("no", { what: "invoke" }, "deny")])).decision).toBe("deny");
  });
  it("matches capability and action globs", () => {
    const rules = [rule("slack", { capability: "slack-*", action: ["post_*", "react"] }, "deny")];
    expect(evaluatePolicy(invoke({ slug: "slack-bot", action: "post_message" }), policy(rules)).ruleId).toBe("slack");
    expect(evaluatePolicy(invoke({ slug: "slack-bot", action: "react" }), policy(rules)).ruleId).toBe("slack");
    expect(evaluatePolicy(invoke({ slug: "slack-bot", action: "read" }), policy(rules)).ruleId).toBeNull();
    expect(evaluatePolicy(invoke({ slug: "slackbot", action: "post_message" }), policy(rules)).ruleId).toBeNull();
    expect(evaluatePolicy(invoke({ slug: "myslack-bot", action: "post_message" }), policy(rules)).ruleId).toBeNull();
  });
  it("matches on agent, risk and kind", () => {
    const rules = [rule("agent", { agent: "agt_9" }, "deny"), rule("crit", { risk: ["critical"] }, "deny"), rule("inst", { what: ["install", "upgrade"] }, "require_approval")];
    expect(evaluatePolicy({ ...invoke(), who: { ...agent, agentId: "agt_9" } }, policy(rules)).ruleId).toBe("agent");
    expect(evaluatePolicy(invoke(), policy(rules)).ruleId).toBeNull();
    expect(evaluatePolicy(invoke({ permissions: ["integration.crm"] }), policy(rules)).ruleId).toBe("crit");
    expect(evaluatePolicy(invoke({ risk: "critical", permissions: [] }), policy(rules)).ruleId).toBe("crit");
    expect(evaluatePolicy({ ...invoke(), what: "upgrade" }, policy(rules))).toMatchObject({ ruleId: "inst", decision: "require_approval", approver: "any" });
    // A rule naming an agent never matches a request without one.
    expect(evaluatePolicy({ ...invoke(), who: { ...agent, agentId: null } }, policy([rule("a", { agent: "*" }, "deny")])).ruleId).toBeNull();
  });
  it("permission matches any asked permission; permissionsWithin needs all of them covered", () => {
    const anyRule = [rule("net", { permission: "network.*" }, "deny")];
    expect(evaluatePolicy(invoke({ permissions: ["data.read", "network.http.get"] }), policy(anyRule)).ruleId).toBe("net");
    expect(evaluatePolicy(invoke({ permissions: ["data.read"] }), policy(anyRule)).ruleId).toBeNull();
    const within = [rule("reads", { permissionsWithin: ["data.read", "network.http.get"] }, "allow")];
    expect(evaluatePolicy(invoke({ permissions: ["network.http.get"] }), policy(within)).ruleId).toBe("reads");
    expect(evaluatePolicy(invoke({ permissions: ["network.http.get", "network.http.post"] }), policy(within)).ruleId).toBeNull();
  });
  it("domain matches any asked domain (wildcards overlap); domainsWithin needs all covered", () => {
    const deny = [rule("evil", { domain: "*.evil.com" }, "deny")];
    expect(evaluatePolicy(invoke({ domains: ["ok.org", "API.Evil.com"] }), policy(deny)).ruleId).toBe("evil");
    expect(evaluatePolicy(invoke({ domains: ["evil.com"] }), policy(deny)).ruleId).toBeNull();
    // A capability allowed to reach *.com can reach x.evil.com.
    expect(evaluatePolicy(invoke({ domains: ["*.com"] }), policy(deny)).ruleId).toBe("evil");
    const exact = [rule("gov", { domain: "api.weather.gov" }, "deny")];
    expect(evaluatePolicy(invoke({ domains: ["*.weather.gov"] }), policy(exact)).ruleId).toBe("gov");
    const within = [rule("gov-only", { domainsWithin: ["*.gov"] }, "allow")];
    expect(evaluatePolicy(invoke({ domains: ["api.weather.gov"] }), policy(within)).ruleId).toBe("gov-only");
    expect(evaluatePolicy(invoke({ domains: ["api.weather.gov", "x.com"] }), policy(within)).ruleId).toBeNull();
    expect(evaluatePolicy(invoke({ domains: [] }), policy([rule("none", { domainsWithin: [] }, "allow")])).ruleId).toBe("none");
    expect(evaluatePolicy(invoke({ domains: ["a.org"] }), policy([rule("none", { domainsWithin: [] }, "allow")])).ruleId).toBeNull();
  });
  it("require_approval takes the rule's approver, the org setting, and admin for DANGEROUS", () => {
    expect(evaluatePolicy(invoke(), policy([rule("r", {}, "require_approval", { approver: "admin" })])).approver).toBe("admin");
    expect(evaluatePolicy(invoke(), policy([rule("r", {}, "require_approval")], { restrictedApprover: "admin" })).approver).toBe("admin");
    expect(evaluatePolicy(invoke(), policy([rule("r", {}, "require_approval")])).approver).toBe("any");
    const crit = evaluatePolicy(invoke({ permissions: ["integration.crm"] }), policy([rule("r", {}, "require_approval", { approver: "any" })]));
    expect(crit).toMatchObject({ approver: "admin", securityLevel: "DANGEROUS", recordFullRequest: true });
  });
  it("rejects invalid rules instead of skipping them", () => {
    expect(() => compilePolicy({ killSwitch: false, rules: [{ id: "x", match: { permission: ["nope.*"] }, effect: "allow" } as unknown as OrgRule] })).toThrow(/not valid/);
  });
});

describe("3. defaults by security level", () => {
  it("maps risk onto SAFE / MODERATE / RESTRICTED / DANGEROUS", () => {
    expect(evaluatePolicy(invoke({ permissions: ["data.read"], domains: [] }), policy())).toMatchObject({ decision: "allow", reasonCode: "default_safe", securityLevel: "SAFE", recordFullRequest: false });
    expect(evaluatePolicy(invoke(), policy())).toMatchObject({ decision: "allow", reasonCode: "default_moderate", securityLevel: "MODERATE" });
    expect(evaluatePolicy(invoke({ permissions: ["network.http.post"] }), policy())).toMatchObject({ decision: "require_approval", reasonCode: "default_restricted", securityLevel: "RESTRICTED", approver: "any", recordFullRequest: false });
    expect(evaluatePolicy(invoke({ permissions: ["network.http.post"] }), policy([], { restrictedApprover: "admin" })).approver).toBe("admin");
    expect(evaluatePolicy(invoke({ permissions: ["integration.crm"] }), policy())).toMatchObject({ decision: "require_approval", reasonCode: "default_dangerous", securityLevel: "DANGEROUS", approver: "admin", recordFullRequest: true });
  });
  it("takes the higher of the declared risk and the permissions' risk", () => {
    expect(evaluatePolicy(invoke({ risk: "low", permissions: ["network.http.post"] }), policy()).securityLevel).toBe("RESTRICTED");
    expect(evaluatePolicy(invoke({ risk: "critical", permissions: [] }), policy()).securityLevel).toBe("DANGEROUS");
  });
  it("task materialization is at least HIGH: approval", () => {
    expect(evaluatePolicy({ who: agent, what: "materialize_task" }, policy())).toMatchObject({ decision: "require_approval", securityLevel: "RESTRICTED" });
    const withCap = evaluatePolicy({ who: agent, what: "materialize_task", capability: { slug: "task-materialization", permissions: ["data.read"], domains: [] } }, policy());
    expect(withCap).toMatchObject({ decision: "require_approval", securityLevel: "RESTRICTED" });
  });
});

describe("publish to the public marketplace", () => {
  const pub = (visibility: "public" | "private"): PolicyRequest => ({ who: { ...agent, role: "admin" }, what: "publish", capability: { slug: "weather", version: "1.0.0", permissions: ["data.read"], domains: [], visibility } });
  it("always needs an admin's approval, even against an allow rule", () => {
    expect(evaluatePolicy(pub("public"), policy())).toMatchObject({ decision: "require_approval", reasonCode: "publish_public", approver: "admin" });
    const d = evaluatePolicy(pub("public"), policy([rule("allow-all", {}, "allow")]));
    expect(d).toMatchObject({ decision: "require_approval", reasonCode: "publish_public", approver: "admin" });
    expect(d.reasons.join(" ")).toContain("allow-all");
    expect(evaluatePolicy(pub("public"), policy([rule("r", {}, "require_approval", { approver: "any" })])).approver).toBe("admin");
  });
  it("a deny rule still denies it", () => {
    expect(evaluatePolicy(pub("public"), policy([rule("no-pub", { what: "publish" }, "deny")]))).toMatchObject({ decision: "deny", ruleId: "no-pub" });
  });
  it("a private publish is allowed by default", () => {
    expect(evaluatePolicy(pub("private"), policy())).toMatchObject({ decision: "allow", reasonCode: "publish_private" });
  });
});

describe("4. progressive trust", () => {
  const restricted = (approvals: number, denials?: number) => invoke({ slug: "poster", action: "post", permissions: ["network.http.post"], domains: ["hooks.example.com"] }, { context: { recentApprovals: approvals, recentDenials: denials } });
  it("recommends a standing rule exactly at the threshold", () => {
    expect(evaluatePolicy(restricted(4, 0), policy()).recommendation).toBeUndefined();
    const d = evaluatePolicy(restricted(5, 0), policy());
    expect(d.decision).toBe("require_approval");
    expect(d.recommendation?.kind).toBe("standing_rule");
    const rec = d.recommendation!.rule;
    expect(OrgRuleSchema.parse(rec)).toEqual(rec);
    expect(rec).toMatchObject({ effect: "allow", match: { agent: ["agt_1"], capability: ["poster"], action: ["post"], what: ["invoke"], permissionsWithin: ["network.http.post"] } });
    expect(evaluatePolicy(restricted(3, 0), policy([], { trustThreshold: 3 })).recommendation).toBeDefined();
  });
  it("not with a denial, nor with unknown denials", () => {
    expect(evaluatePolicy(restricted(10, 1), policy()).recommendation).toBeUndefined();
    expect(evaluatePolicy(restricted(10), policy()).recommendation).toBeUndefined();
  });
  it("not on allow, not on public publish, not without an agent", () => {
    expect(evaluatePolicy({ ...invoke(), context: { recentApprovals: 9, recentDenials: 0 } }, policy()).recommendation).toBeUndefined();
    expect(evaluatePolicy({ ...restricted(9, 0), who: { ...agent, agentId: null } }, policy()).recommendation).toBeUndefined();
    const pub: PolicyRequest = { who: agent, what: "publish", capability: { slug: "x", permissions: [], domains: [], visibility: "public" }, context: { recentApprovals: 9, recentDenials: 0 } };
    expect(evaluatePolicy(pub, policy()).recommendation).toBeUndefined();
  });
  it("the accepted rule then allows the same request, but not one that asks more", () => {
    const rec = evaluatePolicy(restricted(5, 0), policy()).recommendation!.rule;
    expect(evaluatePolicy(restricted(5, 0), policy([rec]))).toMatchObject({ decision: "allow", ruleId: rec.id });
    const more = invoke({ slug: "poster", action: "post", permissions: ["network.http.post", "integration.email"], domains: ["hooks.example.com"] });
    expect(evaluatePolicy(more, policy([rec])).decision).toBe("require_approval");
    const otherDomain = invoke({ slug: "poster", action: "post", permissions: ["network.http.post"], domains: ["evil.example.org"] });
    expect(evaluatePolicy(otherDomain, policy([rec])).decision).toBe("require_approval");
    expect(evaluatePolicy({ ...restricted(0, 0), who: { ...agent, agentId: "agt_2" } }, policy([rec])).decision).toBe("require_approval");
  });
});

describe("compiled policies", () => {
  it("decide like the plain config and are not changed by evaluation", () => {
    const cfg = policy([rule("a", { capability: "weather" }, "require_approval")]);
    const compiled = compilePolicy(cfg);
    const req = { ...invoke(), context: { recentApprovals: 5, recentDenials: 0 } };
    const first = evaluatePolicy(req, compiled);
    expect(first).toEqual(evaluatePolicy(req, cfg));
    expect(evaluatePolicy(req, compiled)).toEqual(first);
    expect(first.reasons.filter((r) => r.includes("standing")).length).toBe(1);
  });
});

describe("an approved request (context.approved)", () => {
  const restricted = invoke({ slug: "poster", action: "send", permissions: ["network.http.post"], domains: ["api.example.com"] });
  it("runs what needed an approval, keeping why it needed one", () => {
    const d = evaluatePolicy({ ...restricted, context: { approved: true } }, policy());
    expect(d).toMatchObject({ decision: "allow", reasonCode: "approved", securityLevel: "RESTRICTED" });
    expect(d.reasons.join(" ")).toMatch(/needs approval.*approved by a person/);
    expect(d.approver).toBeUndefined();
  });
  it("is still denied by the kill switch: the kill switch beats an approved request", () => {
    expect(evaluatePolicy({ ...restricted, context: { approved: true } }, policy([], { killSwitch: true }))).toMatchObject({ decision: "deny", reasonCode: "kill_switch" });
  });
  it("is still denied by a deny rule added after the approval", () => {
    expect(evaluatePolicy({ ...restricted, context: { approved: true } }, policy([rule("no-posting", { permission: "network.http.post" }, "deny")]))).toMatchObject({ decision: "deny", reasonCode: "org_rule_deny", ruleId: "no-posting" });
  });
  it("does not turn an unknown action into an allow", () => {
    expect(evaluatePolicy({ ...restricted, what: "format_disk", context: { approved: true } } as unknown as PolicyRequest, policy()).decision).toBe("deny");
  });
  it("lets an approved public publish through, and nothing else about publishing changes", () => {
    const publish: PolicyRequest = { who: agent, what: "publish", capability: { slug: "weather", permissions: [], domains: [], visibility: "public" } };
    expect(evaluatePolicy(publish, policy()).reasonCode).toBe("publish_public");
    expect(evaluatePolicy({ ...publish, context: { approved: true } }, policy())).toMatchObject({ decision: "allow", reasonCode: "approved" });
  });
});

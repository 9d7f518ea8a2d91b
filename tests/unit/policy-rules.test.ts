// Organisation rules: the YAML document admins edit, validated with a path per error.
import { describe, expect, it } from "vitest";
import { parseRulesYaml, validateRules } from "@/lib/policy/rules";

describe("parseRulesYaml", () => {
  it("reads a rules document, single values as lists", () => {
    const { rules, errors } = parseRulesYaml(`
rules:
  - id: no-crm
    description: nobody touches the CRM without an admin
    match: { permission: integration.crm }
    effect: require_approval
    approver: admin
  - id: slack-ok
    match:
      capability: SLACK-*
      action: [post_message]
      agent: agt_1
      domainsWithin: ["*.slack.com"]
    effect: allow
`);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({ id: "no-crm", effect: "require_approval", approver: "admin", match: { permission: ["integration.crm"] } });
    expect(rules[1]!.match).toEqual({ capability: ["slack-*"], action: ["post_message"], agent: ["agt_1"], domainsWithin: ["*.slack.com"] });
  });
  it("accepts a bare list and an empty document", () => {
    expect(parseRulesYaml("- id: a\n  match: {}\n  effect: deny\n").rules).toHaveLength(1);
    expect(parseRulesYaml("   \n")).toEqual({ rules: [], errors: [] });
    expect(parseRulesYaml("rules: []\n")).toEqual({ rules: [], errors: [] });
  });
  it("reports every error with its field path and returns no rules", () => {
    const { rules, errors } = parseRulesYaml(`
rules:
  - id: ok
    match: {}
    effect: allow
  - id: bad one
    match: { permission: [network.*, root.shell], risk: extreme, colour: red }
    effect: maybe
  - id: ok
    match: {}
    effect: allow
    approver: admin
`);
    expect(rules).toEqual([]);
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["rules[1].id", "rules[1].match.permission[1]", "rules[1].match.risk[0]", "rules[1].effect", "rules[2].id", "rules[2].approver"]));
    expect(paths.some((p) => p.startsWith("rules[1].match"))).toBe(true);
    expect(errors.find((e) => e.path === "rules[1].match.permission[1]")!.message).toContain("root.shell");
    expect(errors.find((e) => e.path === "rules[2].id")!.message).toContain("duplicate");
    expect(errors.some((e) => e.message.includes("colour"))).toBe(true);
  });
  it("reports YAML syntax errors with line and column", () => {
    const { rules, errors } = parseRulesYaml("rules:\n  - id: a\n    match: {\n");
    expect(rules).toEqual([]);
    expect(errors[0]!.path).toMatch(/^\(line \d+, column \d+\)$/);
  });
  it("rejects unknown top-level keys and non-lists", () => {
    expect(parseRulesYaml("rules: []\nextra: 1\n").errors).toEqual([{ path: "extra", message: expect.stringContaining("unknown key") }]);
    expect(parseRulesYaml("rules: 3\n").errors[0]!.path).toBe("rules");
    expect(parseRulesYaml("just text").errors[0]!.path).toBe("rules");
  });
});

describe("validateRules", () => {
  it("validates rules given as data", () => {
    expect(validateRules([{ id: "a", match: { what: "install" }, effect: "deny" }]).rules[0]!.match.what).toEqual(["install"]);
    expect(validateRules([{ id: "a", match: { what: "explode" }, effect: "deny" }]).errors[0]!.path).toBe("rules[0].match.what[0]");
    expect(validateRules([{ id: "a", effect: "deny" }]).errors[0]!.path).toBe("rules[0].match");
  });
});

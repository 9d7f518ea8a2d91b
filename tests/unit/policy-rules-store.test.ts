// The pure parts of the rules store: the YAML a form save is stored as (re-parses to the
// same rules; comments of untouched rules survive an edit) and the added / removed /
// changed ids of policy.rule_changed (a move counts, only the rules that really moved).
import { describe, expect, it } from "vitest";
import { diffRules, patchRulesSource, renderRulesYaml } from "@/lib/policy/rule-store";
import { parseRulesYaml, validateRules, type OrgRule } from "@/lib/policy/rules";

function rules(input: unknown[]): OrgRule[] {
  const r = validateRules(input);
  expect(r.errors).toEqual([]);
  return r.rules;
}

const A = { id: "a", match: { permission: "integration.crm" }, effect: "require_approval", approver: "admin" };
const B = { id: "b", description: "Slack: fine", match: { capability: ["slack-*"], risk: ["medium", "high"], domainsWithin: ["*.slack.com"] }, effect: "allow" };
const C = { id: "c", match: {}, effect: "deny" };
const D = { id: "d", match: { what: "publish" }, effect: "deny" };

describe("renderRulesYaml", () => {
  it("writes YAML that parses back to the same rules, single values without brackets", () => {
    const set = rules([A, B, C]);
    const text = renderRulesYaml(set);
    expect(parseRulesYaml(text)).toEqual({ rules: set, errors: [] });
    expect(text).toContain("permission: integration.crm");
    expect(text).toContain("risk: [medium, high]");
    expect(text).toContain('domainsWithin: ["*.slack.com"]');
    expect(text).toContain("match: {}");
  });

  it("writes an empty rule set as `rules: []`", () => {
    expect(renderRulesYaml([])).toBe("rules: []\n");
    expect(parseRulesYaml(renderRulesYaml([]))).toEqual({ rules: [], errors: [] });
  });
});

describe("patchRulesSource", () => {
  const source = `# Our policy. Reviewed by security every quarter.
rules:
  # CRM writes are business records.
  - id: a
    match: { permission: integration.crm }
    effect: require_approval
    approver: admin
  # Chat bots may post.
  - id: b
    description: "Slack: fine"
    match:
      capability: slack-*
      risk: [medium, high]
      domainsWithin: ["*.slack.com"]
    effect: allow
`;
  const previous = parseRulesYaml(source).rules;

  it("keeps the comments of untouched rules when one is added, one moved and one deleted", () => {
    const next = rules([D, B]);
    const text = patchRulesSource(source, previous, next)!;
    expect(text).not.toBeNull();
    expect(parseRulesYaml(text).rules).toEqual(next);
    expect(text).toContain("# Our policy. Reviewed by security every quarter.");
    expect(text).toContain("# Chat bots may post.");
    expect(text).not.toContain("# CRM writes are business records.");
    expect(text.indexOf("id: d")).toBeLessThan(text.indexOf("id: b"));
  });

  it("writes a changed rule afresh", () => {
    const next = rules([{ ...A, effect: "deny", approver: undefined }, B]);
    const text = patchRulesSource(source, previous, next)!;
    expect(parseRulesYaml(text).rules).toEqual(next);
    expect(text).toContain("# Chat bots may post.");
  });

  it("works on a bare list and on an empty list", () => {
    const bare = "- id: c\n  match: {}\n  effect: deny # last resort\n";
    const next = rules([A, C]);
    const text = patchRulesSource(bare, rules([C]), next)!;
    expect(parseRulesYaml(text).rules).toEqual(next);
    expect(text).toContain("# last resort");
    const fromEmpty = patchRulesSource("rules: [] # none yet\n", [], rules([C]))!;
    expect(parseRulesYaml(fromEmpty).rules).toEqual(rules([C]));
  });

  it("keeps the document's style of flow collections", () => {
    const padded = "rules:\n  - id: a\n    match: { permission: integration.crm }\n    effect: deny\n";
    const text = patchRulesSource(padded, rules([{ id: "a", match: { permission: "integration.crm" }, effect: "deny" }]), rules([{ id: "a", match: { permission: "integration.crm" }, effect: "deny" }, C]))!;
    expect(text).toContain("match: { permission: integration.crm }");
    const tight = "rules:\n  - id: a\n    match: {permission: integration.crm}\n    effect: deny\n";
    expect(patchRulesSource(tight, rules([{ id: "a", match: { permission: "integration.crm" }, effect: "deny" }]), rules([C, { id: "a", match: { permission: "integration.crm" }, effect: "deny" }]))).toContain("match: {permission: integration.crm}");
  });

  it("gives up (null) when the text does not describe the previous rules", () => {
    expect(patchRulesSource(source, rules([C]), rules([C, D]))).toBeNull();
    expect(patchRulesSource("rules: [", [], rules([C]))).toBeNull();
  });
});

describe("diffRules", () => {
  const ids = (xs: unknown[]) => rules(xs);

  it("names added, removed and content-changed rules", () => {
    expect(diffRules(ids([A, B, C]), ids([A, { ...B, effect: "deny" }, D]))).toEqual({ added: ["d"], removed: ["c"], changed: ["b"] });
    expect(diffRules([], ids([A]))).toEqual({ added: ["a"], removed: [], changed: [] });
    expect(diffRules(ids([A, B]), ids([A, B]))).toEqual({ added: [], removed: [], changed: [] });
  });

  it("counts a move as a change of the moved rule only", () => {
    // d moved from last to first: a, b, c kept their relative order.
    expect(diffRules(ids([A, B, C, D]), ids([D, A, B, C]))).toEqual({ added: [], removed: [], changed: ["d"] });
    // Two rules swapped: one of them moved.
    expect(diffRules(ids([A, B]), ids([B, A])).changed).toHaveLength(1);
    // An insertion does not make the others "changed".
    expect(diffRules(ids([A, B]), ids([C, A, B]))).toEqual({ added: ["c"], removed: [], changed: [] });
  });
});

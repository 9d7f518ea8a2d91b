// The rules editor's pure helpers: each validation error gets the line of the YAML it
// points at (also for bare lists, scalars read as lists, missing fields and syntax
// errors); the "Add rule" form builds a rule the schema accepts; a rule's match reads as
// labelled parts.
import { describe, expect, it } from "vitest";
import { buildRule } from "@/components/policy/add-rule-dialog";
import { matchParts, matchSentence } from "@/components/policy/rule-format";
import { lineStartOffset, locateErrors, splitErrorPath } from "@/components/policy/yaml-error-lines";
import { parseRulesYaml, validateRules } from "@/lib/policy/rules";

describe("locateErrors", () => {
  it("finds the line of every error path", () => {
    const text = `rules:
  - id: ok
    match: {}
    effect: deny
  - id: bad
    match:
      risk: [high, extreme]
      capability: Not A Slug
    effect: maybe
  - id: bad
    match: {}
`;
    const { errors } = parseRulesYaml(text);
    const located = Object.fromEntries(locateErrors(text, errors).map((e) => [e.path, e.line]));
    expect(located).toEqual({
      "rules[1].match.risk[1]": 7,
      "rules[1].match.capability[0]": 8,
      "rules[1].effect": 9,
      // effect is missing: the rule itself.
      "rules[2].effect": 10,
      "rules[2].id": 10,
    });
  });

  it("handles bare lists, syntax errors and paths that lead nowhere", () => {
    const bare = "- id: a\n  match:\n    risk: extreme\n  effect: allow\n";
    expect(locateErrors(bare, parseRulesYaml(bare).errors)).toEqual([{ path: "rules[0].match.risk[0]", message: expect.any(String), line: 3 }]);
    const broken = "rules:\n  - id: a\n    match: {\n";
    const syntax = locateErrors(broken, parseRulesYaml(broken).errors);
    expect(syntax[0]!.line).toBeGreaterThanOrEqual(3);
    expect(locateErrors("", [{ path: "rules[0].id", message: "x" }])).toEqual([{ path: "rules[0].id", message: "x", line: null }]);
  });

  it("splits paths and finds line offsets", () => {
    expect(splitErrorPath("rules[12].match.permission[0]")).toEqual(["rules", 12, "match", "permission", 0]);
    expect(lineStartOffset("a\nbc\nd", 3)).toBe(5);
    expect(lineStartOffset("a", 9)).toBe(1);
  });
});

describe("buildRule (Add rule form)", () => {
  const empty = { id: "", description: "", what: "", capability: "", action: "", permission: "", agent: "", risk: [], domain: "", effect: "allow" as const, approver: "" as const, position: "end" as const, comment: "" };

  it("builds a rule the schema accepts, lists from commas, approver only for approvals", () => {
    const rule = buildRule({ ...empty, id: " crm ", description: " CRM ", what: "invoke", capability: "crm-*, sales-*", permission: "integration.*", risk: ["critical", "high"], effect: "require_approval", approver: "admin" });
    expect(rule).toEqual({ id: "crm", description: "CRM", match: { what: "invoke", capability: ["crm-*", "sales-*"], risk: ["high", "critical"], permission: "integration.*" }, effect: "require_approval", approver: "admin" });
    expect(validateRules([rule]).errors).toEqual([]);
    expect(buildRule({ ...empty, id: "x", approver: "admin" })).toEqual({ id: "x", match: {}, effect: "allow" });
  });
});

describe("matchParts", () => {
  it("labels each field in a fixed order", () => {
    const [rule] = validateRules([{ id: "a", match: { risk: "high", what: "invoke", permissionsWithin: [] }, effect: "allow" }]).rules;
    expect(matchParts(rule!.match).map((p) => [p.label, p.values])).toEqual([
      ["what", ["invoke"]],
      ["risk", ["high"]],
      ["only permissions within", ["(none)"]],
    ]);
    expect(matchSentence({})).toBe("every request");
  });
});

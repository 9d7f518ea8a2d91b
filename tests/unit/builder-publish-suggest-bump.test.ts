// The publish dialog's version suggestion: breaking changes (removed action/input/output,
// new required input, type changes, optional → required) are major; additions (action,
// optional input, output, permission, configuration) minor; anything else patch; the
// first version is what the author typed (or 1.0.0).
import { describe, expect, it } from "vitest";
import { compareShapes, suggestBump, type BumpShape } from "@/lib/builder/publish/suggest-bump";

const base: BumpShape = {
  actions: [{ id: "convert", inputs: [{ name: "km", type: "number", required: true }], outputs: [{ name: "miles", type: "number" }] }],
  permissions: ["compute.light"],
  configuration: [{ key: "UNIT", required: false }],
};
const clone = (): BumpShape => structuredClone(base) as BumpShape;
const latest = { version: "1.4.2", shape: base };

describe("suggestBump", () => {
  it("suggests a patch when nothing a caller sees changed", () => {
    const r = suggestBump(latest, clone());
    expect(r).toMatchObject({ bump: "patch", version: "1.4.3" });
  });

  it.each([
    ["an action removed", (s: BumpShape) => void (s.actions = [])],
    ["an input removed", (s: BumpShape) => void (s.actions[0]!.inputs = [])],
    ["a required input added", (s: BumpShape) => void s.actions[0]!.inputs.push({ name: "precision", type: "integer", required: true })],
    ["an input's type changed", (s: BumpShape) => void (s.actions[0]!.inputs[0]!.type = "string")],
    ["an optional input made required", (s: BumpShape) => {
      s.actions[0]!.inputs.push({ name: "p", type: "integer", required: true });
      const prev = clone();
      prev.actions[0]!.inputs.push({ name: "p", type: "integer", required: false });
      expect(compareShapes(prev, s).bump).toBe("major");
    }],
    ["an output removed", (s: BumpShape) => void (s.actions[0]!.outputs = [])],
    ["an output's type changed", (s: BumpShape) => void (s.actions[0]!.outputs[0]!.type = "string")],
  ])("major: %s", (_name, change) => {
    const next = clone();
    change(next);
    const r = suggestBump(latest, next);
    expect(r.bump).toBe("major");
    expect(r.version).toBe("2.0.0");
    expect(r.reasons.some((x) => x.bump === "major")).toBe(true);
  });

  it.each([
    ["an action added", (s: BumpShape) => void s.actions.push({ id: "back", inputs: [], outputs: [] })],
    ["an optional input added", (s: BumpShape) => void s.actions[0]!.inputs.push({ name: "precision", type: "integer", required: false })],
    ["an output added", (s: BumpShape) => void s.actions[0]!.outputs.push({ name: "feet", type: "number" })],
    ["a permission added", (s: BumpShape) => void (s.permissions = [...s.permissions, "network.http.get"])],
    ["a configuration key added", (s: BumpShape) => void s.configuration.push({ key: "API_KEY", required: true })],
  ])("minor: %s", (_name, change) => {
    const next = clone();
    change(next);
    const r = suggestBump(latest, next);
    expect(r).toMatchObject({ bump: "minor", version: "1.5.0" });
  });

  it("takes the strongest change and names every reason", () => {
    const next = clone();
    next.actions.push({ id: "back", inputs: [], outputs: [] });
    next.actions[0]!.inputs = [];
    const r = suggestBump(latest, next);
    expect(r.bump).toBe("major");
    expect(r.reasons.map((x) => x.message)).toEqual(["input convert.km removed", "action back added"]);
  });

  it("uses the typed version for a first publish, else 1.0.0", () => {
    expect(suggestBump(null, clone(), "0.3.0").version).toBe("0.3.0");
    expect(suggestBump(null, clone(), "not-semver").version).toBe("1.0.0");
  });

  it("bumps from a prerelease's release line", () => {
    expect(suggestBump({ version: "2.0.0-beta.1", shape: base }, clone()).version).toBe("2.0.1");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkManifestText, validateManifest } from "../../lib/registry/parse-manifest";
import { capabilityRisk, permissionDiff } from "../../lib/registry/permissions";

const fixture = (name: string) => readFileSync(`tests/fixtures/manifests/${name}`, "utf8");

describe("the seed's own examples parse", () => {
  test("weather-lookup (declarative YAML) needs its API_KEY", () => {
    const r = checkManifestText(fixture("weather-lookup.yaml"));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.manifest).toMatchObject({ type: "declarative", slug: "weather-lookup", version: "1.0.0", allowed_domains: ["api.weather.com"] });
    expect(r.needsConfig.map((c) => [c.key, c.type])).toEqual([["API_KEY", "secret"]]);
    expect(r.risk).toBe("medium");
    expect(r.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("slack-integration (api-connector JSON): endpoints become actions, oauth2 credentials are asked for", () => {
    const r = checkManifestText(fixture("slack-integration.json"));
    expect(r.errors).toEqual([]);
    expect(r.manifest?.type).toBe("api-connector");
    expect(r.manifest?.actions.map((a) => a.id)).toEqual(["send-message", "list-channels"]);
    expect(r.manifest?.actions[0]?.inputs.map((i) => [i.name, i.required])).toEqual([["channel", true], ["message", true]]);
    expect(r.needsConfig.map((c) => c.key)).toEqual(["CLIENT_ID", "CLIENT_SECRET"]);
    expect(r.manifest?.permissions.sort()).toEqual(["network.http.get", "network.http.post"]);
    expect(r.risk).toBe("high");
  });

  test("invoice-processor (workflow) keeps its step parameters", () => {
    const r = checkManifestText(fixture("invoice-processor.yaml"));
    expect(r.errors).toEqual([]);
    if (r.manifest?.type !== "workflow") throw new Error("expected a workflow");
    expect(r.manifest.workflow.steps.map((s) => s.id)).toEqual(["extract", "analyze", "validate", "store", "notify"]);
    expect(r.manifest.workflow.steps[1]).toMatchObject({ prompt: expect.stringContaining("invoice") });
    expect(r.warnings).toContainEqual({ path: "version", message: "no version given: 0.1.0 assumed" });
  });

  test("currency-converter: the implied network permission is added and said", () => {
    const r = checkManifestText(fixture("currency-converter.yaml"));
    expect(r.errors).toEqual([]);
    expect(r.manifest?.permissions).toEqual(["network.http.get"]);
    expect(r.warnings.map((w) => w.path)).toContain("integration.endpoint");
  });

  test("data-analyzer (code)", () => {
    const r = checkManifestText(fixture("data-analyzer.yaml"));
    expect(r.errors).toEqual([]);
    expect(r.manifest).toMatchObject({ type: "code", runtime: "javascript", permissions: ["data.read", "compute.moderate"] });
    expect(r.risk).toBe("low");
  });
});

describe("bad manifests", () => {
  test("every error is reported with its path, not just the first", () => {
    const r = checkManifestText(fixture("broken/bad-types.yaml"));
    expect(r.valid).toBe(false);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath["slug"]).toMatch(/lowercase/);
    expect(byPath["name"]).toBeDefined();
    expect(byPath["version"]).toMatch(/semantic version/);
    expect(byPath["permissions[1]"]).toMatch(/unknown permission "network.teleport"/);
    expect(byPath["actions[0].inputs[1].type"]).toBe("expected one of string, number, integer, boolean, object, array, file, any");
    expect(r.errors.length).toBeGreaterThanOrEqual(5);
  });

  test("cross-field rules are checked once the shape is right", () => {
    const r = validateManifest({
      slug: "x",
      name: "X",
      version: "1.0.0",
      actions: [{ id: "a", inputs: [{ name: "q" }, { name: "q" }] }, { id: "a" }],
      integration: { endpoint: "https://api.example.com/${config.MISSING}?q=${input.nope}" },
      dependencies: { x: "^1.0.0" },
      examples: [{ input: {} }],
    });
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { path: "integration.endpoint", message: 'unknown configuration key "MISSING"; declare it under configuration' },
        { path: "actions[1].id", message: 'duplicate action id "a"' },
        { path: "actions[0].inputs[1].name", message: 'duplicate input "q"' },
        { path: "dependencies[0].slug", message: "a capability cannot depend on itself" },
        { path: "examples[0].action", message: "name the action this example is for" },
      ]),
    );
  });

  test("a workflow with a cycle or a dangling dependency is refused", () => {
    const r = validateManifest({
      slug: "w",
      name: "W",
      version: "1.0.0",
      type: "workflow",
      workflow: { steps: [{ id: "a", action: "t.x", depends_on: ["b"] }, { id: "b", action: "t.y", depends_on: ["a", "zzz"] }] },
    });
    expect(r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["workflow.steps[1].depends_on[1]", "workflow.steps"]));
    expect(r.errors.find((e) => e.path === "workflow.steps")?.message).toMatch(/cycle: a → b → a|cycle: b → a → b/);
  });

  test("an unknown type names the allowed ones", () => {
    const r = validateManifest({ slug: "t", name: "T", version: "1.0.0", type: "magic" });
    expect(r.errors).toEqual([{ path: "type", message: expect.stringContaining("declarative, api-connector, code, workflow, builtin") }]);
  });

  test("YAML syntax errors give line and column", () => {
    const r = checkManifestText(fixture("broken/syntax.yaml"));
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.path).toMatch(/^\(line \d+, column \d+\)$/);
  });

  test("URLs must be http(s) with a fixed host", () => {
    const r = validateManifest({ slug: "u", name: "U", version: "1.0.0", actions: [{ id: "a", integration: { endpoint: "https://${input.host}/x" } }] });
    expect(r.errors).toContainEqual({ path: "actions[0].integration.endpoint", message: "expected an absolute http(s) URL whose host has no template" });
    const f = validateManifest({ slug: "u", name: "U", version: "1.0.0", actions: [{ id: "a", integration: { endpoint: "file:///etc/passwd" } }] });
    expect(f.valid).toBe(false);
  });
});

describe("risk and permission diffs", () => {
  test("a capability's risk is the highest of its permissions and its declared risk", () => {
    expect(capabilityRisk([])).toBe("low");
    expect(capabilityRisk(["data.read", "network.http.post"])).toBe("high");
    expect(capabilityRisk(["data.read"], "critical")).toBe("critical");
  });

  test("permission diff says what an upgrade adds and drops", () => {
    expect(permissionDiff(["data.read", "network.http.get"], ["network.http.get", "network.http.post"])).toEqual({
      added: ["network.http.post"],
      removed: ["data.read"],
      kept: ["network.http.get"],
    });
  });

  test("the content hash ignores key order and spelling of the source", () => {
    const a = validateManifest({ capability: { id: "h", name: "H", version: "1.0.0", type: "builtin" } });
    const b = validateManifest({ type: "builtin", version: "1.0.0", name: "H", slug: "h" });
    expect(a.contentHash).toBe(b.contentHash);
    const c = validateManifest({ type: "builtin", version: "1.0.1", name: "H", slug: "h" });
    expect(c.contentHash).not.toBe(a.contentHash);
  });
});

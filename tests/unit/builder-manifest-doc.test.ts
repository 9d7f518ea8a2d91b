// The manifest panel's text ↔ manifest core: round trips of valid manifests are identical
// text in YAML and JSON, and invalid text gives every error with its path and its line.
import { describe, expect, it } from "vitest";
import { jsonErrorOffset, manifestToText, pathSegments, textToManifest } from "@/lib/builder/manifest-doc/manifest-doc";
import { validateManifest } from "@/lib/registry/parse-manifest";
import type { Manifest } from "@/lib/registry/manifest-schema";

function valid(input: unknown): Manifest {
  const r = validateManifest(input);
  if (!r.manifest) throw new Error(JSON.stringify(r.errors));
  return r.manifest;
}

const codeManifest = valid({
  slug: "csv-stats",
  name: "CSV stats",
  version: "1.2.0",
  type: "code",
  description: "Statistics over CSV.\nTwo lines.",
  permissions: ["network.http.get", "data.read"],
  allowed_domains: ["api.example.com"],
  configuration: [{ key: "API_KEY", type: "secret", required: true }],
  actions: [{ id: "stats", inputs: { csv: { type: "string", required: true }, column: "string" }, outputs: [{ name: "mean", type: "number" }] }],
  source: "export default {\n  actions: {\n    async stats(input, ctx) {\n      return { mean: 1 };\n    },\n  },\n};\n",
});

const connectorManifest = valid({
  slug: "weather",
  name: "Weather",
  version: "0.3.0",
  api: { base_url: "https://api.weather.example.com", auth: { type: "api_key" } },
  endpoints: [{ id: "current", path: "/current", query: { city: "{{input.city}}" }, inputs: [{ name: "city", required: true }] }],
});

describe("manifestToText / textToManifest", () => {
  for (const [label, manifest] of [
    ["code", codeManifest],
    ["api-connector", connectorManifest],
  ] as const) {
    for (const format of ["yaml", "json"] as const) {
      it(`round-trips a valid ${label} manifest as ${format} to identical text`, () => {
        const text = manifestToText(manifest, format);
        const back = textToManifest(text, format);
        expect(back.errors).toEqual([]);
        expect(back.manifest).toEqual(manifest);
        expect(manifestToText(back.manifest!, format)).toBe(text);
      });
    }
  }

  it("writes keys in a fixed order whatever the input order, source last, no YAML aliases", () => {
    const reversed = Object.fromEntries(Object.entries(codeManifest).reverse()) as Manifest;
    const yaml = manifestToText(reversed, "yaml");
    expect(yaml).toBe(manifestToText(codeManifest, "yaml"));
    expect(yaml.startsWith("schema_version: 1\ntype: code\nslug: csv-stats\nname: CSV stats\n")).toBe(true);
    expect(yaml.trimEnd().split("\n").findIndex((l) => l.startsWith("source:"))).toBeGreaterThan(yaml.split("\n").findIndex((l) => l.startsWith("actions:")));
    expect(yaml).toContain("source: |");
    // The connector's actions share their inputs arrays with its endpoints.
    expect(manifestToText(connectorManifest, "yaml")).not.toMatch(/[&*]a\d/);
    expect(Object.keys(JSON.parse(manifestToText(reversed, "json")))[0]).toBe("schema_version");
  });

  it("reports schema errors with their paths and lines in YAML", () => {
    const text = [
      "type: code", // 1
      "slug: Bad Slug", // 2
      "name: X", // 3
      "version: 1.0.0", // 4
      "source: x", // 5
      "actions:", // 6
      "  - id: run", // 7
      "    inputs:", // 8
      "      - name: a", // 9
      "        type: strng", // 10
      "permissions: [network.http.get, made.up]", // 11
    ].join("\n");
    const r = textToManifest(text, "yaml");
    expect(r.manifest).toBeUndefined();
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e]));
    expect(byPath["slug"]).toMatchObject({ line: 2, column: 1 });
    expect(byPath["actions[0].inputs[0].type"]).toMatchObject({ line: 10, column: 9 });
    expect(byPath["actions[0].inputs[0].type"]!.message).toMatch(/expected one of/);
    expect(byPath["permissions[1]"]).toMatchObject({ line: 11 });
    expect(byPath["permissions[1]"]!.message).toMatch(/unknown permission/);
  });

  it("places an error in a map-style field list and a missing field at its parent", () => {
    const text = ["type: code", "slug: s", "name: S", "version: 1.0.0", "source: x", "actions:", "  - id: run", "    inputs:", "      a: string", "      b: nope"].join("\n");
    const r = textToManifest(text, "yaml");
    expect(r.errors).toContainEqual(expect.objectContaining({ path: "actions[0].inputs[1].type", line: 10 }));
    const missing = textToManifest("type: code\nslug: s\nname: S\nversion: 1.0.0\nactions:\n  - id: run\n", "yaml");
    expect(missing.errors).toEqual([expect.objectContaining({ path: "source", line: 1, column: 1 })]);
  });

  it("reports cross-field errors from the registry's checks with their place in JSON", () => {
    const text = JSON.stringify({ type: "code", slug: "s", name: "S", version: "1.0.0", source: "x", actions: [{ id: "a" }, { id: "a" }] }, null, 2);
    const r = textToManifest(text, "json");
    const dup = r.errors.find((e) => e.path === "actions[1].id");
    expect(dup?.message).toMatch(/duplicate action id/);
    expect(dup?.line).toBe(text.split("\n").findIndex((l, i) => i > text.split("\n").findIndex((x) => x.includes('"a"')) && l.includes('"id"')) + 1);
  });

  it("reports syntax errors with line and column", () => {
    const yaml = textToManifest("type: code\nslug: [unclosed\nname: x\n", "yaml");
    expect(yaml.errors[0]).toMatchObject({ path: "(document)" });
    expect(yaml.errors[0]!.line).toBeGreaterThanOrEqual(2);
    const json = textToManifest('{\n  "type": "code",\n  "slug": }\n', "json");
    expect(json.errors[0]!.path).toBe("(document)");
    expect(json.errors[0]!.message).toMatch(/not valid JSON/);
    expect(json.errors[0]!.line).toBe(3);
    expect(textToManifest("  \n", "yaml").errors).toEqual([{ path: "(document)", message: "the document is empty" }]);
  });

  it("passes the registry's warnings through with their places", () => {
    const r = textToManifest("type: code\nslug: s\nname: S\nversion: 1.0.0\nsource: x\nactions:\n  - id: run\npermissions:\n  - network.http.get\n", "yaml");
    expect(r.manifest).toBeDefined();
    expect(r.warnings).toContainEqual(expect.objectContaining({ path: "allowed_domains", message: expect.stringMatching(/ctx.fetch/) }));
  });

  it("finds where JSON text first goes wrong", () => {
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset("[1 2]")).toBe(3);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('{"a": [1, {"b": null}], "c": -1.5e3} x')).toBe(37);
    expect(jsonErrorOffset('{"a": "\\u00e9", "b": [true, false]}')).toBeUndefined();
  });

  it("parses field paths", () => {
    expect(pathSegments("actions[0].inputs[12].type")).toEqual(["actions", 0, "inputs", 12, "type"]);
    expect(pathSegments("(root)")).toBeNull();
  });
});

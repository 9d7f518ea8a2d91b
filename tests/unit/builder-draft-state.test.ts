// The builder state ↔ manifest mapping: empty drafts are one name away from valid, every
// method produces its manifest type, errors carry manifest paths (and flow nodes), old or
// partial drafts still parse, and manifestToState → stateToManifest is a round trip.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  emptyBuilderState,
  manifestToState,
  parseBuilderState,
  parseDefault,
  problemsByStep,
  stateToManifest,
  stepOfPath,
  syncFieldsFromFlow,
  type BuilderState,
} from "@/lib/builder/draft/draft-state";
import type { FlowGraphInput } from "@/lib/builder/flow/flow-types";
import { checkManifestText } from "@/lib/registry/parse-manifest";

function named(state: BuilderState, name = "Unit converter", slug = "unit-converter"): BuilderState {
  return { ...state, basics: { ...state.basics, name, slug } };
}

describe("empty state", () => {
  it("is invalid only for the name and slug", () => {
    const r = stateToManifest(emptyBuilderState());
    expect(r.manifest).toBeUndefined();
    expect(r.errors.map((e) => e.path).sort()).toEqual(["name", "slug"]);
    expect(problemsByStep(r.errors)).toEqual({ basics: 2, actions: 0, configuration: 0, test: 0 });
  });

  it("compiles the starter flow to a manifest once named", () => {
    const r = stateToManifest(named(emptyBuilderState()));
    expect(r.errors).toEqual([]);
    expect(r.manifest?.type).toBe("workflow");
    expect(r.manifest?.slug).toBe("unit-converter");
    expect(r.manifest?.actions[0]).toMatchObject({ id: "run", name: "Run", inputs: [{ name: "value", required: true }], outputs: [{ name: "result" }] });
  });

  it("gives a code draft a starter source that validates", () => {
    const r = stateToManifest(named(emptyBuilderState("code")));
    expect(r.errors).toEqual([]);
    expect(r.manifest?.type).toBe("code");
    expect(r.manifest && "source" in r.manifest ? r.manifest.source : "").toMatch(/run"?\(input, ctx\)/);
  });
});

describe("stateToManifest", () => {
  it("compiles a km → miles flow with a computed transform, errors carrying the node id", () => {
    const s = named(emptyBuilderState());
    const action = s.actions[0]!;
    const flow = {
      nodes: [
        { id: "input", type: "input", position: { x: 0, y: 0 }, data: { fields: [{ name: "km", type: "number", required: true }] } },
        { id: "convert", type: "transform", position: { x: 1, y: 0 }, data: { mappings: [{ target: "miles", expression: "input.km * 0.621371" }] } },
        { id: "output", type: "output", position: { x: 2, y: 0 }, data: { fields: [{ name: "miles", type: "number" }] } },
      ],
      edges: [
        { id: "a", source: "input", target: "convert" },
        { id: "b", source: "convert", target: "output" },
      ],
    } as FlowGraphInput;
    const synced = syncFieldsFromFlow(action, flow);
    expect(synced.inputs.map((f) => [f.name, f.type, f.required])).toEqual([["km", "number", true]]);
    expect(synced.outputs.map((f) => f.name)).toEqual(["miles"]);
    const ok = stateToManifest({ ...s, actions: [synced] });
    expect(ok.errors).toEqual([]);
    expect(ok.manifest?.type).toBe("workflow");

    const broken = { ...flow, nodes: flow.nodes.map((n) => (n.id === "convert" ? { ...n, data: { mappings: [{ target: "miles", expression: "input.km *" }] } } : n)) } as FlowGraphInput;
    const bad = stateToManifest({ ...s, actions: [syncFieldsFromFlow(action, broken)] });
    expect(bad.manifest).toBeUndefined();
    expect(bad.errors.some((e) => e.nodeId === "convert" && e.path.startsWith("actions[0].flow."))).toBe(true);
  });

  it("compiles an HTTP flow to a declarative manifest with its domain and permission", () => {
    const s = named(emptyBuilderState());
    const flow = {
      nodes: [
        { id: "input", type: "input", position: { x: 0, y: 0 }, data: { fields: [{ name: "city", type: "string", required: true }] } },
        { id: "fetch", type: "http", position: { x: 1, y: 0 }, data: { method: "GET", url: "https://api.example.com/w?q=${input.city}", responseMapping: { temp: "main.temp" } } },
        { id: "output", type: "output", position: { x: 2, y: 0 }, data: { fields: [{ name: "temp", type: "number" }] } },
      ],
      edges: [
        { id: "a", source: "input", target: "fetch" },
        { id: "b", source: "fetch", target: "output" },
      ],
    } as FlowGraphInput;
    const r = stateToManifest({ ...s, actions: [syncFieldsFromFlow(s.actions[0]!, flow)] });
    expect(r.errors).toEqual([]);
    expect(r.manifest?.type).toBe("declarative");
    expect(r.manifest?.permissions).toContain("network.http.get");
    expect(r.manifest?.allowed_domains).toContain("api.example.com");
  });

  it("reports form problems at manifest paths, per step", () => {
    const s = named(emptyBuilderState("code"));
    s.actions[0]!.inputs[0]!.type = "number";
    s.actions[0]!.inputs[0]!.default = "ten";
    s.configuration = [{ key: "k", name: "bad key", label: "", type: "string", required: false, description: "", helpUrl: "", default: "" }];
    const r = stateToManifest(s);
    const paths = r.errors.map((e) => e.path);
    expect(paths).toContain("actions[0].inputs[0].default");
    expect(paths).toContain("configuration[0].key");
    expect(stepOfPath("configuration[0].key")).toBe("configuration");
    expect(stepOfPath("actions[0].inputs[0].default")).toBe("actions");
    expect(stepOfPath("version")).toBe("basics");
    expect(stepOfPath("(document)")).toBe("actions");
    expect(stepOfPath("endpoints[0].path")).toBe("actions");
    expect(stepOfPath("examples[0].input")).toBe("test");
  });

  it("turns test cases into examples", () => {
    const s = named(emptyBuilderState("code"));
    s.testCases = [{ id: "t1", name: "ten", action: "run", input: { value: "10" }, expected: { result: "10" } }];
    const r = stateToManifest(s);
    expect(r.manifest?.examples).toEqual([{ action: "run", name: "ten", input: { value: "10" }, expected_output: { result: "10" } }]);
  });

  it("uses an uploaded text with the forms on top", () => {
    const text = readFileSync("tests/fixtures/manifests/weather-lookup.yaml", "utf8");
    const report = checkManifestText(text);
    expect(report.valid).toBe(true);
    const s = manifestToState(report.manifest!, "upload", undefined, text);
    expect(s.method).toBe("upload");
    expect(s.upload.text).toBe(text);
    s.basics.name = "Weather, renamed";
    const r = stateToManifest(s);
    expect(r.errors).toEqual([]);
    expect(r.manifest?.name).toBe("Weather, renamed");
    expect(r.manifest?.type).toBe(report.manifest!.type);
  });
});

describe("manifestToState", () => {
  it("round-trips a code manifest", () => {
    const first = stateToManifest(named(emptyBuilderState("code"))).manifest!;
    const state = manifestToState(first);
    expect(state.method).toBe("code");
    const again = stateToManifest(state);
    expect(again.errors).toEqual([]);
    expect(again.manifest).toEqual(first);
  });

  it("keeps the visual flows of the base state when the panel edits the name", () => {
    const base = named(emptyBuilderState());
    const m = stateToManifest(base).manifest!;
    const edited = manifestToState({ ...m, name: "Renamed" }, "visual", base);
    expect(edited.basics.name).toBe("Renamed");
    expect(edited.actions[0]!.key).toBe(base.actions[0]!.key);
    expect(edited.actions[0]!.flow).toEqual(base.actions[0]!.flow);
    expect(stateToManifest(edited).manifest?.name).toBe("Renamed");
  });
});

describe("parsing", () => {
  it("tolerates partial and broken drafts", () => {
    const s = parseBuilderState({ method: "teleport", basics: { name: 3, slug: "x" }, actions: [{ id: "a", inputs: "nope" }], permissions: "all" });
    expect(s.method).toBe("visual");
    expect(s.basics.name).toBe("");
    expect(s.basics.slug).toBe("x");
    expect(s.actions[0]!.inputs).toEqual([]);
    expect(s.permissions).toEqual([]);
    expect(parseBuilderState(null).step).toBe("basics");
  });

  it("parses defaults by type", () => {
    expect(parseDefault("number", "2.5")).toEqual({ value: 2.5 });
    expect(parseDefault("integer", "2.5").error).toBeDefined();
    expect(parseDefault("boolean", "true")).toEqual({ value: true });
    expect(parseDefault("object", "[1]").error).toBeDefined();
    expect(parseDefault("string", "")).toEqual({});
  });
});

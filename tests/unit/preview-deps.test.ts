// Smart dependency injection (lib/previews/detect-deps.ts) against the declared presets:
// every detection rule, core-first ordering, stability, identifier boundaries, unknown
// presets, and the consistency of the preset data itself.
import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { detectDependencies, usesIdentifier } from "@/lib/previews/detect-deps";
import { allRuntimeDependencies, findPreset, RUNTIME_PRESETS } from "@/lib/previews/presets";

const ids = (presetId: string, code: string) => detectDependencies(presetId, code).map((d) => d.id);

describe("three-webgl-umd", () => {
  test("the seed's example: core first, then OrbitControls", () => {
    const code = "const scene = new THREE.Scene();\nconst controls = new THREE.OrbitControls(camera);";
    expect(ids("three-webgl-umd", code)).toEqual(["three-core", "three-orbit-controls"]);
  });

  test("no addon used: only the core", () => {
    expect(ids("three-webgl-umd", "const scene = new THREE.Scene();")).toEqual(["three-core"]);
    expect(ids("three-webgl-umd", "")).toEqual(["three-core"]);
  });

  const rules: [string, string, string[]][] = [
    ["OrbitControls", "new THREE.OrbitControls(camera, renderer.domElement)", ["three-orbit-controls"]],
    ["GLTFLoader", "new THREE.GLTFLoader().load('data:...')", ["three-gltf-loader"]],
    ["FontLoader", "const loader = new THREE.FontLoader();", ["three-font-loader"]],
    ["Font", "const font = new THREE.Font(json);", ["three-font-loader"]],
    // auto-inject rule: a TextGeometry needs a Font, which only FontLoader makes
    ["TextGeometry", "new THREE.TextGeometry('hi', { font })", ["three-font-loader", "three-text-geometry"]],
    ["TrackballControls", "new THREE.TrackballControls(camera, el)", ["three-trackball-controls"]],
    ["OBJLoader", "new THREE.OBJLoader().parse(text)", ["three-obj-loader"]],
    ["EffectComposer", "const composer = new THREE.EffectComposer(renderer);", ["three-effect-composer"]],
    ["RenderPass", "composer.addPass(new THREE.RenderPass(scene, camera))", ["three-effect-composer"]],
    ["UnrealBloomPass", "new THREE.UnrealBloomPass(size, 1.5, 0.4, 0.85)", ["three-effect-composer"]],
    ["OutputPass", "new THREE.OutputPass()", ["three-effect-composer"]],
    ["ShaderPass", "new THREE.ShaderPass(shader)", ["three-effect-composer"]],
  ];
  test.each(rules)("%s injects its dependency after the core", (_name, code, expected) => {
    expect(ids("three-webgl-umd", code)).toEqual(["three-core", ...expected]);
  });

  test("every pattern of every optional dependency is covered by a rule above", () => {
    const covered = new Set(rules.map(([name]) => name));
    for (const dep of findPreset("three-webgl-umd")!.dependencies.filter((d) => !d.core)) {
      for (const p of dep.patterns) expect(covered.has(p), `${dep.id}: ${p}`).toBe(true);
    }
  });

  test("everything used: sorted by order, whatever order the code mentions them in", () => {
    const code = [
      "new THREE.EffectComposer(renderer)",
      "new THREE.OBJLoader()",
      "new THREE.TrackballControls(c, e)",
      "new THREE.TextGeometry('x', { font })",
      "new THREE.GLTFLoader()",
      "new THREE.OrbitControls(c, e)",
    ].join(";\n");
    const result = detectDependencies("three-webgl-umd", code);
    expect(result.map((d) => d.id)).toEqual([
      "three-core",
      "three-orbit-controls",
      "three-gltf-loader",
      "three-font-loader",
      "three-text-geometry",
      "three-trackball-controls",
      "three-obj-loader",
      "three-effect-composer",
    ]);
    expect(result.map((d) => d.order)).toEqual([...result.map((d) => d.order)].sort((a, b) => a - b));
  });

  test("stable: the same code gives the same list, mentions repeated or reordered", () => {
    const a = ids("three-webgl-umd", "OrbitControls; GLTFLoader; OrbitControls; GLTFLoader");
    const b = ids("three-webgl-umd", "GLTFLoader; OrbitControls");
    expect(a).toEqual(b);
    for (let i = 0; i < 20; i++) expect(ids("three-webgl-umd", "GLTFLoader; OrbitControls")).toEqual(b);
  });

  test("patterns match whole identifiers only", () => {
    expect(ids("three-webgl-umd", "const MyOrbitControlsX = 1; const xGLTFLoader = 2; const Fonts = 3;")).toEqual(["three-core"]);
    expect(ids("three-webgl-umd", "ctx.font = '12px serif'; const fontSize = 3;")).toEqual(["three-core"]);
    expect(ids("three-webgl-umd", "import { OrbitControls } from 'three/addons';")).toEqual(["three-core", "three-orbit-controls"]);
    expect(ids("three-webgl-umd", "const $GLTFLoader = 1; const GLTFLoader_ = 2;")).toEqual(["three-core"]);
  });

  test("works on HTML documents too (the html mode scans the whole document)", () => {
    const html = `<html><body><script>const c = new THREE.OrbitControls(cam, document.body);</script></body></html>`;
    expect(ids("three-webgl-umd", html)).toEqual(["three-core", "three-orbit-controls"]);
  });

  test("returns copies of the declared data with versions", () => {
    const [core] = detectDependencies("three-webgl-umd", "");
    expect(core).toMatchObject({ id: "three-core", core: true, order: 0, global: "THREE", version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });
});

describe("other presets", () => {
  test("html-basic injects nothing, even when the code names a library", () => {
    expect(ids("html-basic", "new THREE.OrbitControls(); new Chart(ctx, {}); d3.select('svg')")).toEqual([]);
  });

  test("chartjs-umd always injects Chart.js", () => {
    expect(ids("chartjs-umd", "")).toEqual(["chartjs"]);
    expect(ids("chartjs-umd", "new Chart(ctx, { type: 'bar' })")).toEqual(["chartjs"]);
  });

  test("d3-umd always injects d3", () => {
    expect(ids("d3-umd", "d3.select('body').append('svg')")).toEqual(["d3"]);
  });

  test("an unknown preset is a 422 naming the field preset", () => {
    let caught: unknown;
    try {
      detectDependencies("three-webgpu", "x");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("validation_failed");
    expect((caught as AppError).errors?.[0]?.path).toBe("preset");
    expect((caught as AppError).errors?.[0]?.message).toContain("three-webgl-umd");
  });
});

describe("preset data", () => {
  test("the presets the issue names exist", () => {
    expect(RUNTIME_PRESETS.map((p) => p.id)).toEqual(expect.arrayContaining(["html-basic", "three-webgl-umd", "chartjs-umd", "d3-umd"]));
  });

  test("ids are unique, orders unique within a preset, auto-inject rules point at the preset's dependencies", () => {
    const presetIds = RUNTIME_PRESETS.map((p) => p.id);
    expect(new Set(presetIds).size).toBe(presetIds.length);
    for (const preset of RUNTIME_PRESETS) {
      const depIds = preset.dependencies.map((d) => d.id);
      expect(new Set(depIds).size, preset.id).toBe(depIds.length);
      const orders = preset.dependencies.map((d) => d.order);
      expect(new Set(orders).size, preset.id).toBe(orders.length);
      for (const targets of Object.values(preset.autoInjectRules ?? {})) for (const t of targets) expect(depIds).toContain(t);
      for (const dep of preset.dependencies) {
        expect(dep.id).toMatch(/^[a-z0-9-]+$/);
        expect(dep.core || dep.patterns.length > 0, `${dep.id} is optional but has no pattern`).toBe(true);
      }
    }
  });

  test("a dependency id means the same thing in every preset that uses it", () => {
    const all = allRuntimeDependencies();
    for (const preset of RUNTIME_PRESETS) for (const dep of preset.dependencies) expect(all.find((d) => d.id === dep.id)).toEqual(dep);
  });

  test("usesIdentifier escapes regex characters", () => {
    expect(usesIdentifier("a.b(c)", "a.b")).toBe(true);
    expect(usesIdentifier("axb", "a.b")).toBe(false);
    expect(usesIdentifier("anything", "")).toBe(false);
  });
});

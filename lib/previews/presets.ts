// Runtime presets for previews: the ONE place presets, their dependencies and the
// auto-inject rules are declared, as plain data. Adding a preset, a dependency or a rule is
// an edit here only: detect-deps.ts reads the rules, scripts/build-preview-runtime.mjs builds
// one browser-global bundle per dependency from `bundle`, and /api/presets lists them.
// Pure data: this file imports nothing (the build script loads it with esbuild).

/** How the build turns an npm module into a classic script that sets a browser global. */
export type RuntimeBundle =
  /** `import * as ns from module` → `window[global] = { ...ns }` (a plain, extensible object, like the old UMD builds). */
  | { kind: "namespace"; module: string; global: string }
  /** `import value from module` → `window[global] = value`. */
  | { kind: "default"; module: string; global: string }
  /** `import { a, b } from module` (per module) → `window[target].a = a; …` (addons attached to a core global). */
  | { kind: "attach"; target: string; modules: { module: string; exports: string[] }[] };

export interface RuntimeDependency {
  /** Stable id, used in URLs, events and the manifest (e.g. "three-orbit-controls"). */
  id: string;
  /** The npm package version the bundle is built from (the build fails when it differs from node_modules). */
  version: string;
  /** Injection order: lower first. Core dependencies come before optional ones regardless. */
  order: number;
  /** Always injected for its preset. */
  core: boolean;
  /** Identifiers whose use in the code injects this dependency (matched as whole identifiers). */
  patterns: string[];
  /** The global the script defines, e.g. "THREE" or "THREE.OrbitControls". */
  global: string;
  /** npm package that provides the code (for the version check). */
  npmPackage: string;
  bundle: RuntimeBundle;
}

export interface RuntimePreset {
  id: string;
  label: string;
  description: string;
  dependencies: RuntimeDependency[];
  /**
   * Extra auto-inject rules: identifier → dependency ids it needs besides the ones whose own
   * `patterns` match (e.g. TextGeometry needs a Font, which only FontLoader makes).
   */
  autoInjectRules?: Record<string, string[]>;
}

const THREE_VERSION = "0.187.0";
const CHARTJS_VERSION = "4.6.1";
const D3_VERSION = "7.9.2";

/** A three.js addon from three/examples/jsm: `paths` maps each file to the exports attached to THREE. */
function threeAddon(id: string, order: number, paths: Record<string, string[]>): RuntimeDependency {
  const modules = Object.entries(paths).map(([path, exports]) => ({ module: `three/examples/jsm/${path}`, exports }));
  const exported = modules.flatMap((m) => m.exports);
  return {
    id,
    version: THREE_VERSION,
    order,
    core: false,
    patterns: exported,
    global: `THREE.${exported[0]}`,
    npmPackage: "three",
    bundle: { kind: "attach", target: "THREE", modules },
  };
}

export const RUNTIME_PRESETS: readonly RuntimePreset[] = [
  {
    id: "html-basic",
    label: "HTML",
    description: "Plain HTML, CSS and JavaScript; nothing is injected.",
    dependencies: [],
  },
  {
    id: "three-webgl-umd",
    label: "three.js (WebGL)",
    description: "three.js as the global THREE; OrbitControls, GLTFLoader, FontLoader, TextGeometry and other addons are injected when the code uses them.",
    dependencies: [
      {
        id: "three-core",
        version: THREE_VERSION,
        order: 0,
        core: true,
        patterns: [],
        global: "THREE",
        npmPackage: "three",
        bundle: { kind: "namespace", module: "three", global: "THREE" },
      },
      threeAddon("three-orbit-controls", 1, { "controls/OrbitControls.js": ["OrbitControls"] }),
      threeAddon("three-gltf-loader", 2, { "loaders/GLTFLoader.js": ["GLTFLoader"] }),
      threeAddon("three-font-loader", 3, { "loaders/FontLoader.js": ["FontLoader", "Font"] }),
      threeAddon("three-text-geometry", 4, { "geometries/TextGeometry.js": ["TextGeometry"] }),
      threeAddon("three-trackball-controls", 5, { "controls/TrackballControls.js": ["TrackballControls"] }),
      threeAddon("three-obj-loader", 6, { "loaders/OBJLoader.js": ["OBJLoader"] }),
      threeAddon("three-effect-composer", 7, {
        "postprocessing/EffectComposer.js": ["EffectComposer"],
        "postprocessing/RenderPass.js": ["RenderPass"],
        "postprocessing/ShaderPass.js": ["ShaderPass"],
        "postprocessing/UnrealBloomPass.js": ["UnrealBloomPass"],
        "postprocessing/OutputPass.js": ["OutputPass"],
      }),
    ],
    // A TextGeometry needs a Font, and only FontLoader makes one.
    autoInjectRules: { TextGeometry: ["three-font-loader"] },
  },
  {
    id: "chartjs-umd",
    label: "Chart.js",
    description: "Chart.js as the global Chart, with every chart type, scale and plugin registered.",
    dependencies: [
      {
        id: "chartjs",
        version: CHARTJS_VERSION,
        order: 0,
        core: true,
        patterns: [],
        global: "Chart",
        npmPackage: "chart.js",
        bundle: { kind: "default", module: "chart.js/auto", global: "Chart" },
      },
    ],
  },
  {
    id: "d3-umd",
    label: "d3",
    description: "d3 as the global d3 (all modules).",
    dependencies: [
      {
        id: "d3",
        version: D3_VERSION,
        order: 0,
        core: true,
        patterns: [],
        global: "d3",
        npmPackage: "d3",
        bundle: { kind: "namespace", module: "d3", global: "d3" },
      },
    ],
  },
];

export const PRESET_IDS = RUNTIME_PRESETS.map((p) => p.id);

export function findPreset(id: string): RuntimePreset | undefined {
  return RUNTIME_PRESETS.find((p) => p.id === id);
}

/** Every dependency of every preset, once (by id), for the build and the manifest. */
export function allRuntimeDependencies(): RuntimeDependency[] {
  const byId = new Map<string, RuntimeDependency>();
  for (const preset of RUNTIME_PRESETS) for (const dep of preset.dependencies) if (!byId.has(dep.id)) byId.set(dep.id, dep);
  return [...byId.values()];
}

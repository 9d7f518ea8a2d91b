// Builds the preview runtime: one minified, browser-global classic script per dependency
// declared in lib/previews/presets.ts (three core → window.THREE, addons attached to it as
// THREE.OrbitControls…, chart.js/auto → window.Chart, d3 → window.d3), from the npm
// packages in node_modules, into .runtime/<depId>.<contenthash>.js, plus
// .runtime/manifest.json { deps: { [id]: { file, version, integrity, bytes } } } whose
// integrity is the sha384 of the exact bytes served. Runs in `npm run build`, from
// scripts/start.ts when the manifest is stale, and in test setup. Never fetches anything.
//
// Usage: node scripts/build-preview-runtime.mjs [--out <dir>] [--quiet]
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const outDir = path.resolve(root, outIndex >= 0 ? args[outIndex + 1] : ".runtime");
const quiet = args.includes("--quiet");

/** presets.ts is the one source of truth; compile it on the fly (it imports nothing). */
async function loadPresets() {
  const result = await esbuild.build({
    entryPoints: [path.join(root, "lib/previews/presets.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    logLevel: "silent",
  });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`;
  return import(url);
}

function installedVersion(pkg) {
  return JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
}

/** The generated entry module for one dependency. */
function entrySource(dep) {
  const b = dep.bundle;
  const g = (name) => `globalThis[${JSON.stringify(name)}]`;
  if (b.kind === "namespace") return `import * as ns from ${JSON.stringify(b.module)};\n${g(b.global)} = Object.assign({}, ns);\n`;
  if (b.kind === "default") return `import value from ${JSON.stringify(b.module)};\n${g(b.global)} = value;\n`;
  if (b.kind === "attach") {
    const lines = [];
    b.modules.forEach((m, i) => {
      lines.push(`import * as m${i} from ${JSON.stringify(m.module)};`);
      for (const name of m.exports) lines.push(`${g(b.target)}[${JSON.stringify(name)}] = m${i}[${JSON.stringify(name)}];`);
    });
    return lines.join("\n") + "\n";
  }
  throw new Error(`${dep.id}: unknown bundle kind ${b.kind}`);
}

/**
 * For addons: `import … from "three"` must use the already loaded window.THREE, not a second
 * copy of three. The shim fails loudly when the core script has not run first.
 */
function globalExternals(dep) {
  const externals = dep.bundle.kind === "attach" ? { three: dep.bundle.target } : {};
  return {
    name: "global-externals",
    setup(build) {
      const names = Object.keys(externals);
      if (!names.length) return;
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
      build.onResolve({ filter }, (a) => ({ path: a.path, namespace: "global-external" }));
      build.onLoad({ filter: /.*/, namespace: "global-external" }, (a) => {
        const global = externals[a.path];
        return {
          contents: `if (!globalThis[${JSON.stringify(global)}]) throw new Error(${JSON.stringify(`${dep.id} needs window.${global}: load its core script first`)});\nmodule.exports = globalThis[${JSON.stringify(global)}];\n`,
          loader: "js",
        };
      });
    },
  };
}

async function buildDependency(dep) {
  const result = await esbuild.build({
    stdin: { contents: entrySource(dep), resolveDir: root, sourcefile: `${dep.id}.entry.js`, loader: "js" },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "eof",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [globalExternals(dep)],
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0].contents);
}

async function main() {
  const started = performance.now();
  const { allRuntimeDependencies } = await loadPresets();
  const deps = allRuntimeDependencies();
  for (const dep of deps) {
    const installed = installedVersion(dep.npmPackage);
    if (installed !== dep.version) {
      throw new Error(`${dep.id}: presets.ts declares ${dep.npmPackage}@${dep.version} but node_modules has ${installed}; update lib/previews/presets.ts`);
    }
  }
  mkdirSync(outDir, { recursive: true });
  const manifest = { generatedAt: new Date().toISOString(), deps: {} };
  const built = await Promise.all(deps.map(async (dep) => ({ dep, bytes: await buildDependency(dep) })));
  for (const { dep, bytes } of built) {
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    const file = `${dep.id}.${hash}.js`;
    writeFileSync(path.join(outDir, file), bytes);
    manifest.deps[dep.id] = {
      file,
      version: dep.version,
      integrity: `sha384-${createHash("sha384").update(bytes).digest("base64")}`,
      bytes: bytes.length,
    };
  }
  // Atomic: a reader sees the old manifest or the new one, never half of one.
  const tmp = path.join(outDir, `manifest.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + "\n");
  renameSync(tmp, path.join(outDir, "manifest.json"));
  const keep = new Set(Object.values(manifest.deps).map((d) => d.file));
  for (const name of readdirSync(outDir)) {
    if (name.endsWith(".js") && !keep.has(name)) rmSync(path.join(outDir, name), { force: true });
  }
  if (!quiet) {
    const total = Object.values(manifest.deps).reduce((n, d) => n + d.bytes, 0);
    for (const [id, d] of Object.entries(manifest.deps)) console.log(`  ${id.padEnd(26)} ${String(d.bytes).padStart(9)} B  ${d.file}`);
    console.log(`preview runtime: ${deps.length} bundles, ${total} bytes, in ${Math.round(performance.now() - started)} ms → ${path.relative(root, outDir) || "."}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

// The preview runtime end to end on the server side: the build script's output (content-hashed
// names, sha384 of the exact bytes, browser globals), GET /runtime/:file (only manifest files,
// immutable, CORS for opaque-origin frames, no traversal), the proxy letting /runtime through
// without a session or page CSP, and GET /api/presets (auth, URLs, integrity, PREVIEW_CDN_BASE).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { getRuntimeManifest, resetRuntimeManifestCache, runtimeScriptUrl, type RuntimeManifest } from "../../lib/previews/runtime-manifest";
import { allRuntimeDependencies, RUNTIME_PRESETS } from "../../lib/previews/presets";
import { detectDependencies } from "../../lib/previews/detect-deps";
import { bearer, call, makeToken, makeUser, sessionCookie, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

const root = path.resolve(import.meta.dirname, "../..");
const sha384 = (b: Uint8Array) => `sha384-${createHash("sha384").update(b).digest("base64")}`;

let manifest: RuntimeManifest;
let runtimeRoute: typeof import("../../app/runtime/[file]/route");

beforeAll(async () => {
  resetRuntimeManifestCache();
  manifest = getRuntimeManifest();
  runtimeRoute = await import("../../app/runtime/[file]/route");
});

const getRuntime = (file: string, method: "GET" | "HEAD" = "GET", headers: Record<string, string> = {}) => {
  const req = new Request(`http://localhost:3000/runtime/${encodeURIComponent(file)}`, { method, headers });
  return runtimeRoute[method](req, { params: Promise.resolve({ file }) });
};

describe("build script", () => {
  let out: string;
  let built: RuntimeManifest;
  beforeAll(() => {
    out = mkdtempSync(path.join(os.tmpdir(), "capreg-runtime-"));
    const r = spawnSync(process.execPath, [path.join(root, "scripts/build-preview-runtime.mjs"), "--out", out, "--quiet"], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    built = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("one bundle per declared dependency; integrity is the sha384 of the file's bytes; the name carries a content hash", () => {
    expect(Object.keys(built.deps).sort()).toEqual(allRuntimeDependencies().map((d) => d.id).sort());
    for (const [id, d] of Object.entries(built.deps)) {
      const bytes = readFileSync(path.join(out, d.file));
      expect(d.file).toMatch(new RegExp(`^${id}\\.[0-9a-f]{16}\\.js$`));
      expect(d.file.split(".")[1]).toBe(createHash("sha256").update(bytes).digest("hex").slice(0, 16));
      expect(d.integrity).toBe(sha384(bytes));
      expect(d.bytes).toBe(bytes.length);
      const pkg = allRuntimeDependencies().find((x) => x.id === id)!;
      expect(d.version).toBe(JSON.parse(readFileSync(path.join(root, "node_modules", pkg.npmPackage, "package.json"), "utf8")).version);
    }
    expect(readdirSync(out).sort()).toEqual(["manifest.json", ...Object.values(built.deps).map((d) => d.file)].sort());
  });

  test("reproducible: a second build gives the same files as the served .runtime/", () => {
    for (const [id, d] of Object.entries(built.deps)) expect(manifest.deps[id]?.file, id).toBe(d.file);
  });

  test("minified: well under half the size of three's unminified ES modules", () => {
    const source = ["three.core.js", "three.module.js"].reduce((n, f) => n + readFileSync(path.join(root, "node_modules/three/build", f)).length, 0);
    expect(built.deps["three-core"]!.bytes).toBeLessThan(source / 2);
    // Newlines survive only inside template literals (GLSL), never as indentation.
    expect(readFileSync(path.join(out, built.deps["three-core"]!.file), "utf8")).not.toMatch(/\n {2}(?:const|function|class) /);
  });

  test("classic scripts set the old UMD globals: THREE (extensible), addons on THREE, Chart with every controller, d3", () => {
    const ctx: Record<string, unknown> = {};
    ctx.window = ctx;
    ctx.self = ctx;
    vm.createContext(ctx);
    const run = (id: string) => vm.runInContext(readFileSync(path.join(out, built.deps[id]!.file), "utf8"), ctx);
    for (const id of ["three-core", ...allRuntimeDependencies().filter((d) => d.id.startsWith("three-") && d.id !== "three-core").map((d) => d.id), "chartjs", "d3"]) run(id);
    const THREE = ctx.THREE as Record<string, unknown>;
    expect(typeof THREE.Scene).toBe("function");
    expect(typeof THREE.WebGLRenderer).toBe("function");
    expect(Object.isExtensible(THREE)).toBe(true);
    for (const dep of allRuntimeDependencies().filter((d) => d.bundle.kind === "attach")) {
      for (const name of dep.patterns) expect(typeof THREE[name], `THREE.${name}`).toBe("function");
    }
    const Chart = ctx.Chart as { registry: { controllers: { get(id: string): unknown } } };
    for (const type of ["bar", "line", "pie", "doughnut", "radar", "scatter", "bubble", "polarArea"]) expect(Chart.registry.controllers.get(type), type).toBeTruthy();
    expect(typeof (ctx.d3 as Record<string, unknown>).select).toBe("function");
    expect(typeof (ctx.d3 as Record<string, unknown>).scaleLinear).toBe("function");
  });

  test("an addon without its core fails loudly instead of bundling a second three", () => {
    const ctx: Record<string, unknown> = {};
    ctx.window = ctx;
    vm.createContext(ctx);
    expect(() => vm.runInContext(readFileSync(path.join(out, built.deps["three-orbit-controls"]!.file), "utf8"), ctx)).toThrow(/needs window\.THREE/);
    expect(built.deps["three-orbit-controls"]!.bytes).toBeLessThan(60_000);
  });
});

describe("GET /runtime/:file", () => {
  test("every manifest file is served with its exact bytes, immutable, CORS for any origin, nosniff, JavaScript", async () => {
    for (const [id, d] of Object.entries(manifest.deps)) {
      const res = await getRuntime(d.file);
      expect(res.status, id).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(res.headers.get("set-cookie")).toBeNull();
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(d.bytes);
      expect(sha384(bytes)).toBe(d.integrity);
    }
  });

  test("HEAD has the headers without a body; a matching If-None-Match is a 304", async () => {
    const d = manifest.deps["chartjs"]!;
    const head = await getRuntime(d.file, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(d.bytes));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const etag = head.headers.get("etag")!;
    const cached = await getRuntime(d.file, "GET", { "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("cache-control")).toContain("immutable");
  });

  test.each([
    ["an unknown file of the right shape", "three-core.0000000000000000.js"],
    ["a stale hash", "d3.ffffffffffffffff.js"],
    ["the manifest", "manifest.json"],
    ["a traversal", "../package.json"],
    ["an encoded traversal", "..%2F..%2Fpackage.json"],
    ["a traversal to a real file", "../.runtime/manifest.json"],
    ["an absolute path", "/etc/passwd"],
    ["a NUL byte", "three-core.0000000000000000.js\u0000"],
    ["an empty name", ""],
  ])("%s is a 404", async (_what, file) => {
    const res = await getRuntime(file);
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).not.toContain("{");
  });

  test("the traversal would have reached real files (the 404s above are not accidents)", () => {
    expect(readFileSync(path.join(root, ".runtime", "..", "package.json"), "utf8")).toContain("capability-registry");
  });
});

describe("proxy", () => {
  test("/runtime/* passes without a session and without the page CSP; pages still redirect", async () => {
    const { proxy } = await import("../../proxy");
    const file = manifest.deps["three-core"]!.file;
    const res = await proxy(new NextRequest(`http://localhost:3000/runtime/${file}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-security-policy")).toBeNull();
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const page = await proxy(new NextRequest("http://localhost:3000/snippets"));
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/login");
    const lookalike = await proxy(new NextRequest("http://localhost:3000/runtimex/evil"));
    expect(lookalike.status).toBe(307);
  });
});

describe("GET /api/presets", () => {
  let t: TestDatabase;
  let presets: typeof import("../../app/api/presets/route");
  let token: string;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    useAppDatabase(t);
    const user = await makeUser(t);
    token = (await makeToken(t, user, ["capabilities:read"])).token;
    cookie = await sessionCookie(user);
    presets = await import("../../app/api/presets/route");
  });
  afterAll(async () => {
    delete process.env.PREVIEW_CDN_BASE;
    resetEnvCache();
    await t.drop();
  });

  test("needs a signed-in user or a token", async () => {
    const res = await call(presets.GET, { path: "/api/presets" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  test("lists every preset with its dependencies: version, order, patterns, URL, integrity and size from the build", async () => {
    for (const headers of [bearer(token), { cookie }]) {
      const res = await call(presets.GET, { path: "/api/presets", headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { id: string; label: string; description: string; dependencies: Record<string, unknown>[] }[] };
      expect(body.items.map((p) => p.id)).toEqual(RUNTIME_PRESETS.map((p) => p.id));
      expect(body.items.find((p) => p.id === "html-basic")!.dependencies).toEqual([]);
      for (const preset of RUNTIME_PRESETS) {
        const item = body.items.find((p) => p.id === preset.id)!;
        expect(item.label).toBe(preset.label);
        expect(item.description).toBe(preset.description);
        expect(item.dependencies.map((d) => d.id)).toEqual(preset.dependencies.map((d) => d.id));
        for (const dep of preset.dependencies) {
          const d = item.dependencies.find((x) => x.id === dep.id)!;
          const m = manifest.deps[dep.id]!;
          expect(d).toMatchObject({ version: dep.version, order: dep.order, core: dep.core, patterns: dep.patterns, integrity: m.integrity, bytes: m.bytes });
          expect(d.url).toBe(`http://localhost:3000/runtime/${m.file}`);
        }
      }
    }
  });

  test("PREVIEW_CDN_BASE moves the URLs to the CDN; the integrity stays ours", async () => {
    process.env.PREVIEW_CDN_BASE = "https://cdn.example.net/capreg/";
    resetEnvCache();
    const res = await call(presets.GET, { path: "/api/presets", headers: bearer(token) });
    const body = (await res.json()) as { items: { id: string; dependencies: { id: string; url: string; integrity: string }[] }[] };
    const core = body.items.find((p) => p.id === "three-webgl-umd")!.dependencies[0]!;
    expect(core.url).toBe(`https://cdn.example.net/capreg/runtime/${manifest.deps["three-core"]!.file}`);
    expect(core.integrity).toBe(manifest.deps["three-core"]!.integrity);
    expect(runtimeScriptUrl("d3")).toBe(`https://cdn.example.net/capreg/runtime/${manifest.deps["d3"]!.file}`);
    delete process.env.PREVIEW_CDN_BASE;
    resetEnvCache();
  });

  test("every dependency detection can return is in the build", () => {
    for (const preset of RUNTIME_PRESETS) {
      const all = detectDependencies(preset.id, preset.dependencies.flatMap((d) => d.patterns).join(" "));
      for (const dep of all) expect(manifest.deps[dep.id], dep.id).toBeDefined();
    }
  });
});

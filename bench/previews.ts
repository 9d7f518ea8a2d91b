// Preview benchmarks. `npx tsx bench/previews.ts`; prints figures, never fails on time.
//  1. create-preview server time (target ≤ 30 ms p99): createPreview() — validation,
//     dependency detection, manifest lookup, token signing and the transaction (row +
//     PREVIEW_SESSION_CREATED + PREVIEW_DEP_INJECTED per dependency) — in process against a
//     real embedded PostgreSQL, for the three.js preset with OrbitControls (3 events).
//  2. time to first frame of the three.js preset in Chromium (target ≤ 1 s): a local HTTP
//     server serves the real frame document (lib/previews/frame-document.ts, with its sandbox
//     CSP) and the real runtime bundles (.runtime/); a parent page inserts
//     <iframe sandbox="allow-scripts"> and waits for the frame's first rendered frame
//     (the scene's first requestAnimationFrame after render, relayed by the bootstrap).
//     Cold = fresh browser context (nothing cached); warm = runtime cached, as in a session.
// Knobs: BENCH_PREVIEW_N (500 creates), BENCH_PREVIEW_FRAMES (15 loads each), BENCH_PREVIEW_PG_PORT (55660).
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chromium } from "@playwright/test";
import { ensureAppRole } from "../lib/db/app-role";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { migrate } from "../lib/db/migrate";
import { createPrismaClient, type Db } from "../lib/db/prisma";
import { resetEnvCache } from "../lib/env";
import { createPreview } from "../lib/previews/create-preview";
import { detectDependencies } from "../lib/previews/detect-deps";
import { buildFrameDocument, frameCsp } from "../lib/previews/frame-document";
import { getRuntimeManifest, runtimeDir } from "../lib/previews/runtime-manifest";
import { ms, summarize, table, type Summary } from "./lib/stats";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const N = num("BENCH_PREVIEW_N", 500);
const FRAMES = num("BENCH_PREVIEW_FRAMES", 15);
const PG_PORT = num("BENCH_PREVIEW_PG_PORT", 55660);

const THREE_CODE = `
const renderer = new THREE.WebGLRenderer({ antialias: false });
renderer.setSize(640, 400);
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(60, 640 / 400, 0.1, 100);
camera.position.set(2, 2, 3);
const controls = new THREE.OrbitControls(camera, renderer.domElement);
scene.add(new THREE.Mesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshNormalMaterial()));
let first = true;
function tick() {
  controls.update();
  renderer.render(scene, camera);
  if (first) { first = false; requestAnimationFrame(() => console.log("first-frame")); }
  requestAnimationFrame(tick);
}
tick();
`;

async function benchCreate(): Promise<Summary> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "capreg-bench-previews-"));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= "warn";
  resetEnvCache();
  const embedded = await startEmbeddedPostgres({ dataDir, port: PG_PORT });
  let db: Db | undefined;
  const owner = new pg.Client({ connectionString: embedded.url });
  try {
    await migrate(embedded.url);
    const { appUrl } = await ensureAppRole({ ownerUrl: embedded.url, secret: randomBytes(32).toString("hex") });
    db = createPrismaClient(appUrl, 10);
    await owner.connect();
    const userId = "usr_01jbench0000000000000000";
    await owner.query(`INSERT INTO users (id, email, name, password_hash, updated_at) VALUES ($1, 'bench@example.com', 'Bench', 'x', now())`, [userId]);
    const input = { owner: { userId, role: "member" as const, actor: { type: "user" as const, id: userId } }, code: THREE_CODE, preset: "three-webgl-umd", title: "Bench" };
    for (let i = 0; i < 100; i++) await createPreview(db, input, { origin: "http://localhost:3000" });
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      await createPreview(db, input, { origin: "http://localhost:3000" });
      times.push(performance.now() - t0);
    }
    return summarize(times);
  } finally {
    await owner.end().catch(() => {});
    await db?.$disconnect().catch(() => {});
    await embedded.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The frame document and runtime files on a local server, plus a parent page that times the first frame. */
async function startFrameServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const manifest = getRuntimeManifest();
  const files = new Map(Object.values(manifest.deps).map((d) => [d.file, readFileSync(path.join(runtimeDir(), d.file))]));
  const server = http.createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname.startsWith("/runtime/")) {
      const body = files.get(url.pathname.slice("/runtime/".length));
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable", "access-control-allow-origin": "*", "x-content-type-options": "nosniff" });
      return void res.end(body);
    }
    if (url.pathname === "/frame") {
      const deps = detectDependencies("three-webgl-umd", THREE_CODE).map((d) => ({ id: d.id, url: `${origin}/runtime/${manifest.deps[d.id]!.file}`, integrity: manifest.deps[d.id]!.integrity }));
      const { html, scriptHashes } = buildFrameDocument({ kind: "code", source: THREE_CODE, title: "bench", deps, parentOrigin: origin });
      const csp = frameCsp({ scriptHashes, scriptBases: [`${origin}/runtime/`], frameAncestors: [origin], reportUri: "/csp-report" });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      return void res.end(html);
    }
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      return void res.end(`<!doctype html><html><body><script>
window.firstFrame = () => new Promise((resolve, reject) => {
  const f = document.createElement("iframe");
  f.setAttribute("sandbox", "allow-scripts");
  f.width = 660; f.height = 420;
  const t0 = performance.now();
  const timer = setTimeout(() => reject(new Error("no first frame in 10 s")), 10000);
  addEventListener("message", function on(e) {
    if (e.source !== f.contentWindow || !e.data || e.data.type !== "console" || e.data.args[0] !== "first-frame") return;
    clearTimeout(timer); removeEventListener("message", on); const ms = performance.now() - t0; f.remove(); resolve(ms);
  });
  f.src = "/frame?n=" + Math.random();
  document.body.appendChild(f);
});
</script></body></html>`);
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function benchFirstFrame(): Promise<{ cold: Summary; warm: Summary }> {
  const srv = await startFrameServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const cold: number[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(srv.origin);
      cold.push(await page.evaluate(() => (window as unknown as { firstFrame: () => Promise<number> }).firstFrame()));
      await ctx.close();
    }
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.origin);
    await page.evaluate(() => (window as unknown as { firstFrame: () => Promise<number> }).firstFrame());
    const warm: number[] = [];
    for (let i = 0; i < FRAMES; i++) warm.push(await page.evaluate(() => (window as unknown as { firstFrame: () => Promise<number> }).firstFrame()));
    await ctx.close();
    return { cold: summarize(cold), warm: summarize(warm) };
  } finally {
    await browser.close();
    await srv.close();
  }
}

async function main() {
  console.log(`previews: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`);
  const create = await benchCreate();
  const { cold, warm } = await benchFirstFrame();
  console.log(
    table(
      ["ms", "n", "p50", "p90", "p99", "max"],
      [
        ["createPreview (three + OrbitControls, 3 events)", String(create.n), ms(create.p50), ms(create.p90), ms(create.p99), ms(create.max)],
        ["three.js first frame, cold (fresh context)", String(cold.n), ms(cold.p50), ms(cold.p90), ms(cold.p99), ms(cold.max)],
        ["three.js first frame, warm (runtime cached)", String(warm.n), ms(warm.p50), ms(warm.p90), ms(warm.p99), ms(warm.max)],
      ],
    ),
  );
  console.log(`\ncreate-preview p99 ${ms(create.p99)} ms — target ≤ 30 ms: ${create.p99 <= 30 ? "meets" : "MISSES"}`);
  console.log(`three.js time to first frame p99 cold ${ms(cold.p99)} ms, warm ${ms(warm.p99)} ms — target ≤ 1000 ms: ${cold.p99 <= 1000 ? "meets" : "MISSES"}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

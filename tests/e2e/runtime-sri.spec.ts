// Subresource integrity of the preview runtime in Chromium. The dependencies, URLs and
// integrity values come from GET /api/presets; the bytes from the production server's
// /runtime/*. A tiny local HTTP server (another origin, standing in for a CDN or an attacker
// in its place) serves pages whose <script integrity crossorigin> tags carry our real
// integrity: with our exact bytes every global appears; with one byte added the browser
// blocks the script (the global stays undefined, an integrity error is logged), while the
// very same changed bytes without an integrity attribute would have run.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { adminStorageState } from "./e2e-env";

interface Dep {
  id: string;
  global: string;
  url: string;
  integrity: string;
  bytes: number;
}
interface Preset {
  id: string;
  dependencies: Dep[];
}

let presets: Preset[] = [];
const original = new Map<string, Buffer>();
let server: http.Server;
let base = "";

const dep = (id: string) => presets.flatMap((p) => p.dependencies).find((d) => d.id === id)!;

/** One byte more: still valid JavaScript (a trailing newline), so only the integrity check can stop it. */
const tampered = (id: string) => Buffer.concat([original.get(id)!, Buffer.from("\n")]);

interface Tag {
  id: string;
  /** where the bytes come from: our app's /runtime URL, or this server (exact or tampered) */
  src: "app" | "mirror" | "tampered";
  integrity?: boolean;
}
const pages = new Map<string, { tags: Tag[]; sandbox: boolean }>();
let pageSeq = 0;

function pageHtml(tags: Tag[]): string {
  const scripts = tags.map((t) => {
    const d = dep(t.id);
    const src = t.src === "app" ? d.url : `${base}/${t.src}/${t.id}.js`;
    const integrity = t.integrity === false ? "" : ` integrity="${d.integrity}"`;
    return `<script src="${src}"${integrity} crossorigin="anonymous" data-dep="${t.id}"></script>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8">
<script>window.__failed = []; document.addEventListener("error", (e) => { if (e.target && e.target.dataset) window.__failed.push(e.target.dataset.dep); }, true);</script>
${scripts.join("\n")}
<script>window.__done = true;</script></head><body></body></html>`;
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, storageState: adminStorageState() });
  const res = await context.request.get("/api/presets");
  expect(res.status()).toBe(200);
  presets = ((await res.json()) as { items: Preset[] }).items;
  for (const d of presets.flatMap((p) => p.dependencies)) {
    const r = await context.request.get(d.url);
    expect(r.status(), d.id).toBe(200);
    const body = await r.body();
    expect(body.length).toBe(d.bytes);
    original.set(d.id, body);
  }
  await context.close();

  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const file = /^\/(mirror|tampered)\/([a-z0-9-]+)\.js$/.exec(url.pathname);
    if (file && original.has(file[2]!)) {
      const bytes = file[1] === "tampered" ? tampered(file[2]!) : original.get(file[2]!)!;
      res.writeHead(200, { "content-type": "text/javascript", "access-control-allow-origin": "*", "content-length": bytes.length });
      res.end(bytes);
      return;
    }
    const page = pages.get(url.pathname);
    if (page) {
      const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
      // An opaque origin, like a preview frame's.
      if (page.sandbox) headers["content-security-policy"] = "sandbox allow-scripts";
      res.writeHead(200, headers);
      res.end(pageHtml(page.tags));
      return;
    }
    // The browser asks for a favicon; answer it so no unrelated 404 reaches the console.
    res.writeHead(url.pathname === "/favicon.ico" ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function open(page: Page, tags: Tag[], sandbox = false) {
  const path = `/page-${++pageSeq}.html`;
  pages.set(path, { tags, sandbox });
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => (window as { __done?: boolean }).__done === true);
  const failed = await page.evaluate(() => (window as unknown as { __failed: string[] }).__failed);
  const typeOf = (global: string) =>
    page.evaluate((g) => typeof g.split(".").reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), window), global);
  return { failed, consoleErrors, typeOf };
}

const threeAddons = () => presets.find((p) => p.id === "three-webgl-umd")!.dependencies.filter((d) => d.id !== "three-core");

test("our exact bytes with our integrity: every runtime global exists, loaded cross-origin from the app's /runtime", async ({ page }) => {
  const tags: Tag[] = presets.flatMap((p) => p.dependencies).map((d) => ({ id: d.id, src: "app" }));
  expect(tags.length).toBeGreaterThanOrEqual(4);
  const r = await open(page, tags);
  expect(r.failed).toEqual([]);
  expect(r.consoleErrors).toEqual([]);
  for (const d of presets.flatMap((p) => p.dependencies)) expect(await r.typeOf(d.global), d.global).toBe(d.global === "THREE" || d.global === "d3" ? "object" : "function");
  expect(await r.typeOf("THREE.OrbitControls")).toBe("function");
  expect(await r.typeOf("THREE.GLTFLoader")).toBe("function");
  expect(await r.typeOf("THREE.FontLoader")).toBe("function");
  expect(await r.typeOf("THREE.TextGeometry")).toBe("function");
  expect(await page.evaluate(() => typeof (window as unknown as { Chart: { registry: { controllers: { get(id: string): unknown } } } }).Chart.registry.controllers.get("bar"))).toBe("function");
});

test("from an opaque (sandboxed) origin, with crossorigin and integrity, the app's runtime still loads", async ({ page }) => {
  const r = await open(page, [{ id: "three-core", src: "app" }, { id: "three-orbit-controls", src: "app" }, { id: "d3", src: "app" }], true);
  expect(await page.evaluate(() => window.origin)).toBe("null");
  expect(r.failed).toEqual([]);
  expect(await r.typeOf("THREE.OrbitControls")).toBe("function");
  expect(await r.typeOf("d3.select")).toBe("function");
});

test("a mirror (a CDN) serving our exact bytes passes the same integrity", async ({ page }) => {
  const r = await open(page, [{ id: "chartjs", src: "mirror" }, { id: "three-core", src: "mirror" }]);
  expect(r.failed).toEqual([]);
  expect(await r.typeOf("Chart")).toBe("function");
  expect(await r.typeOf("THREE.Scene")).toBe("function");
});

test("one byte changed: each runtime file is blocked by its integrity, its global stays undefined, an integrity error is logged", async ({ page }) => {
  const cases: { tags: Tag[]; target: Dep }[] = [];
  for (const p of presets) {
    for (const d of p.dependencies) {
      const before: Tag[] = d.id.startsWith("three-") && d.id !== "three-core" ? [{ id: "three-core", src: "mirror" }] : [];
      cases.push({ tags: [...before, { id: d.id, src: "tampered" }], target: d });
    }
  }
  expect(cases.length).toBe(presets.flatMap((p) => p.dependencies).length);
  for (const c of cases) {
    expect(tampered(c.target.id).length).toBe(c.target.bytes + 1);
    const r = await open(page, c.tags);
    expect(r.failed, c.target.id).toEqual([c.target.id]);
    expect(await r.typeOf(c.target.global), c.target.global).toBe("undefined");
    expect(r.consoleErrors.join("\n"), c.target.id).toMatch(/integrity/i);
    expect(r.consoleErrors.join("\n")).toContain(`/tampered/${c.target.id}.js`);
    page.removeAllListeners("console");
  }
});

test("control: the same changed bytes without an integrity attribute run (so the block above is SRI, not broken code)", async ({ page }) => {
  const r = await open(page, [{ id: "three-core", src: "tampered", integrity: false }, ...threeAddons().map((d) => ({ id: d.id, src: "tampered" as const, integrity: false }))]);
  expect(r.failed).toEqual([]);
  expect(await r.typeOf("THREE.Scene")).toBe("function");
  for (const d of threeAddons()) expect(await r.typeOf(d.global), d.global).toBe("function");
});

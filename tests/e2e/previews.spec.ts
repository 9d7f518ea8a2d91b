// Sandboxed previews end to end in Chromium against the production server: three.js with
// OrbitControls, a Chart.js bar chart and a d3 SVG render (non-blank canvas, SVG elements)
// with every request served by us (no other host is reachable); hostile code inside a
// preview cannot reach the parent, cookies, storage, the API, top navigation, foreign
// scripts or eval, and its CSP violations are reported; a runtime file whose bytes change
// is blocked by its integrity; the frame opened directly is still an opaque origin; share
// links open for someone signed out, and tampered / expired / revoked links fail.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Frame, type Page } from "@playwright/test";
import { e2eDataDir } from "./e2e-env";

interface Created {
  previewId: string;
  frameUrl: string;
  shareUrl: string;
  injectedDeps: { id: string; integrity: string; url: string; autoInjected: boolean }[];
}

async function createPreview(page: Page, baseURL: string | undefined, data: Record<string, unknown>): Promise<Created> {
  const res = await page.request.post("/api/previews", { data, headers: { Origin: baseURL ?? "" } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Created;
}

/** Fails the test on any request to a host other than ours ("offline": everything is served by the app). */
async function onlyOurOrigin(page: Page, baseURL: string | undefined): Promise<string[]> {
  const foreign: string[] = [];
  const ours = new URL(baseURL!).origin;
  await page.context().route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === ours) return route.fallback();
    foreign.push(url);
    return route.abort("internetdisconnected");
  });
  return foreign;
}

async function previewFrame(page: Page, previewId: string): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().includes(`/preview/${previewId}/frame`))).toBe(true);
  return page.frames().find((f) => f.url().includes(`/preview/${previewId}/frame`))!;
}

/** Share of pixels of the first canvas that differ from its top-left pixel (0 = blank). */
function canvasInk(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    const c = document.querySelector("canvas");
    if (!c || !c.width || !c.height) return 0;
    const copy = document.createElement("canvas");
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext("2d")!;
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) differ++;
    return differ / (d.length / 4);
  });
}

const THREE_SCENE = `
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setSize(400, 300);
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.background = new THREE.Color(0x101820);
const camera = new THREE.PerspectiveCamera(60, 400 / 300, 0.1, 100);
camera.position.set(2, 2, 3);
const controls = new THREE.OrbitControls(camera, renderer.domElement);
const cube = new THREE.Mesh(new THREE.BoxGeometry(1.5, 1.5, 1.5), new THREE.MeshBasicMaterial({ color: 0xffaa00 }));
scene.add(cube);
function frame() { controls.update(); renderer.render(scene, camera); requestAnimationFrame(frame); }
frame();
console.log("three ready", THREE.REVISION, typeof THREE.OrbitControls);
`;

const CHART = `
const canvas = document.createElement("canvas");
canvas.width = 400; canvas.height = 300;
document.body.appendChild(canvas);
new Chart(canvas, { type: "bar", options: { animation: false, responsive: false },
  data: { labels: ["a", "b", "c"], datasets: [{ label: "sales", data: [3, 7, 5], backgroundColor: "#3366cc" }] } });
console.log("chart ready");
`;

const D3 = `
const svg = d3.select("body").append("svg").attr("width", 300).attr("height", 100);
svg.selectAll("circle").data([10, 20, 30]).join("circle").attr("cx", (d) => d * 5).attr("cy", 50).attr("r", (d) => d / 2);
console.log("d3 ready", d3.version);
`;

test.describe("previews render, offline", () => {
  test("three.js scene with OrbitControls: injected deps shown, canvas not blank, console relayed", async ({ page, baseURL }) => {
    const foreign = await onlyOurOrigin(page, baseURL);
    const p = await createPreview(page, baseURL, { code: THREE_SCENE, preset: "three-webgl-umd", title: "Cube" });
    expect(p.injectedDeps.map((d) => d.id)).toEqual(["three-core", "three-orbit-controls"]);
    await page.goto(`/previews/${p.previewId}`);
    await expect(page.locator("iframe[sandbox]")).toHaveAttribute("sandbox", "allow-scripts");
    const frame = await previewFrame(page, p.previewId);
    await expect(page.getByTestId("preview-console")).toContainText("three ready");
    await expect(page.getByTestId("preview-console")).toContainText("function");
    await expect.poll(() => canvasInk(frame)).toBeGreaterThan(0.05);
    await expect(page.getByTestId("preview-deps")).toContainText(p.injectedDeps[1]!.integrity);
    expect(foreign).toEqual([]);
  });

  test("Chart.js bar chart", async ({ page, baseURL }) => {
    const foreign = await onlyOurOrigin(page, baseURL);
    const p = await createPreview(page, baseURL, { code: CHART, preset: "chartjs-umd" });
    await page.goto(`/previews/${p.previewId}`);
    const frame = await previewFrame(page, p.previewId);
    await expect(page.getByTestId("preview-console")).toContainText("chart ready");
    await expect.poll(() => canvasInk(frame)).toBeGreaterThan(0.02);
    expect(foreign).toEqual([]);
  });

  test("d3 SVG", async ({ page, baseURL }) => {
    const foreign = await onlyOurOrigin(page, baseURL);
    const p = await createPreview(page, baseURL, { code: D3, preset: "d3-umd" });
    await page.goto(`/previews/${p.previewId}`);
    const frame = await previewFrame(page, p.previewId);
    await expect(page.getByTestId("preview-console")).toContainText("d3 ready");
    await expect.poll(() => frame.evaluate(() => document.querySelectorAll("svg circle").length)).toBe(3);
    expect(foreign).toEqual([]);
  });
});

const HOSTILE = `
const results = {};
function attempt(name, fn) {
  try { const v = fn(); results[name] = "ALLOWED " + String(v).slice(0, 60); }
  catch (e) { results[name] = "blocked " + e.name; }
}
attempt("origin", () => { if (self.origin !== "null") throw new Error("origin " + self.origin); return "x"; });
attempt("parentDocument", () => parent.document.cookie);
attempt("parentLocation", () => parent.location.href);
attempt("cookie", () => document.cookie);
attempt("setCookie", () => { document.cookie = "stolen=1"; return document.cookie; });
attempt("localStorage", () => localStorage.getItem("x"));
attempt("sessionStorage", () => sessionStorage.length);
attempt("indexedDB", () => indexedDB.open("x") && "opened");
attempt("eval", () => eval("1 + 1"));
attempt("Function", () => new Function("return 2")());
attempt("topNavigation", () => { top.location.href = "https://example.com/"; return "navigated"; });
attempt("windowOpen", () => { const w = window.open("https://example.com/"); if (!w) throw new Error("null"); return "opened"; });
const nonce = document.currentScript && document.currentScript.nonce;
function script(name, src) {
  return new Promise((resolve) => {
    const s = document.createElement("script");
    if (nonce) s.nonce = nonce;
    s.src = src;
    s.onload = () => { results[name] = "ALLOWED loaded"; resolve(); };
    s.onerror = () => { results[name] = "blocked error"; resolve(); };
    document.head.appendChild(s);
  });
}
(async () => {
  try { const r = await fetch("/api/events"); results.fetch = "ALLOWED " + r.status; } catch (e) { results.fetch = "blocked " + e.name; }
  try { const r = await fetch(new URL("/api/me", location.href).href, { credentials: "include" }); results.fetchAbsolute = "ALLOWED " + r.status; } catch (e) { results.fetchAbsolute = "blocked " + e.name; }
  await script("foreignScript", "https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js");
  await script("appScript", new URL("/api/health", location.href).href);
  await new Promise((resolve) => { const img = new Image(); img.onload = () => { results.foreignImage = "ALLOWED"; resolve(); }; img.onerror = () => { results.foreignImage = "blocked error"; resolve(); }; img.src = "https://example.com/pixel.png?leak=1"; });
  console.log("RESULTS " + JSON.stringify(results));
})();
`;

test.describe("hostile code inside a preview", () => {
  test("cannot reach the parent, cookies, storage, the API, top navigation, foreign scripts or eval; CSP violations are reported", async ({ page, baseURL }) => {
    const foreign = await onlyOurOrigin(page, baseURL);
    const p = await createPreview(page, baseURL, { code: HOSTILE, preset: "html-basic", title: "Hostile" });
    await page.goto(`/previews/${p.previewId}`);
    const appUrl = page.url();
    const consoleText = page.getByTestId("preview-console");
    await expect(consoleText).toContainText("RESULTS ");
    const line = (await consoleText.locator("li", { hasText: "RESULTS " }).first().textContent())!;
    const results = JSON.parse(line.slice(line.indexOf("RESULTS ") + 8)) as Record<string, string>;
    expect(results.origin).toMatch(/^ALLOWED/); // self.origin is "null": an opaque origin
    for (const k of ["parentDocument", "parentLocation", "cookie", "setCookie", "localStorage", "sessionStorage", "indexedDB", "eval", "Function", "topNavigation", "windowOpen", "fetch", "fetchAbsolute", "foreignScript", "appScript", "foreignImage"]) {
      expect(results[k], `${k}: ${results[k]}`).toMatch(/^blocked/);
    }
    // The parent is untouched: same URL, its session cookie not replaced, nothing foreign requested.
    expect(page.url()).toBe(appUrl);
    const cookies = await page.context().cookies();
    expect(cookies.some((c) => c.name === "stolen")).toBe(false);
    expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);
    expect(foreign).toEqual([]);
    // Violations are shown in the panel and recorded as PREVIEW_CSP_VIOLATION events.
    await expect(consoleText.locator("li[data-kind=csp]").first()).toBeVisible();
    await expect
      .poll(async () => {
        const res = await page.request.get("/api/events?type=PREVIEW_CSP_VIOLATION&limit=200");
        const items = ((await res.json()) as { items: { data: { previewId: string; directive: string } }[] }).items;
        return [...new Set(items.filter((e) => e.data.previewId === p.previewId).map((e) => e.data.directive))].sort();
      })
      .toEqual(expect.arrayContaining(["connect-src", "script-src-elem"]));
  });

  test("messages from a window other than the preview's iframe are ignored by the viewer", async ({ page, baseURL }) => {
    const p = await createPreview(page, baseURL, { code: "console.log('genuine')", preset: "html-basic" });
    await page.goto(`/previews/${p.previewId}`);
    await expect(page.getByTestId("preview-console")).toContainText("genuine");
    await page.evaluate(() => window.postMessage({ source: "capreg-preview", type: "console", level: "log", args: ["forged by the page"] }, "*"));
    const frame = await previewFrame(page, p.previewId);
    await frame.evaluate(() => parent.postMessage({ source: "capreg-preview", type: "console", level: "log", args: [{ html: "<img>" }] }, "*"));
    await frame.evaluate(() => parent.postMessage({ source: "capreg-preview", type: "console", level: "log", args: ["from the frame"] }, "*"));
    await expect(page.getByTestId("preview-console")).toContainText("from the frame");
    await expect(page.getByTestId("preview-console")).not.toContainText("forged by the page");
    await expect(page.getByTestId("preview-console").locator("li")).toHaveCount(2);
  });

  test("a runtime file whose bytes changed no longer matches its integrity and is blocked", async ({ page, baseURL }) => {
    const p = await createPreview(page, baseURL, { code: D3, preset: "d3-umd" });
    await page.route("**/runtime/d3.*.js", async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()) + "\n;window.tampered = true;\n" });
    });
    await page.goto(`/previews/${p.previewId}`);
    const frame = await previewFrame(page, p.previewId);
    await expect(page.getByTestId("preview-console")).toContainText("failed to load script");
    await expect(page.getByTestId("preview-console")).toContainText("d3 is not defined");
    expect(await frame.evaluate(() => [typeof (window as unknown as { d3?: unknown }).d3, (window as unknown as { tampered?: boolean }).tampered ?? false])).toEqual(["undefined", false]);
  });

  test("the frame opened directly (top level) still runs in an opaque origin with the sandbox CSP", async ({ page, baseURL }) => {
    const p = await createPreview(page, baseURL, { code: "window.probe = [self.origin, (() => { try { return document.cookie; } catch (e) { return e.name; } })()];", preset: "html-basic" });
    const res = await page.goto(p.frameUrl);
    expect(res!.headers()["content-security-policy"]).toMatch(/^sandbox allow-scripts; default-src 'none';/);
    expect(res!.headers()["set-cookie"]).toBeUndefined();
    // Through the real server (proxy.ts included): exactly one nosniff, no X-Frame-Options
    // (frame-ancestors decides), no store.
    expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res!.headers()["x-frame-options"]).toBeUndefined();
    expect(res!.headers()["cache-control"]).toBe("no-store");
    expect(await page.evaluate(() => (window as unknown as { probe: string[] }).probe)).toEqual(["null", "SecurityError"]);
  });
});

test.describe("share links", () => {
  test("valid opens for someone signed out; tampered 404; expired and revoked 410", async ({ page, baseURL, browser }) => {
    const p = await createPreview(page, baseURL, { code: D3, preset: "d3-umd", title: "Shared dots" });
    const anon = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const viewer = await anon.newPage();
    try {
      const res = await viewer.goto(p.shareUrl);
      expect(res!.status()).toBe(200);
      expect(res!.headers()["set-cookie"]).toBeUndefined();
      await expect(viewer.locator('meta[property="og:title"]')).toHaveAttribute("content", "Shared dots");
      await expect(viewer.locator("iframe")).toHaveAttribute("sandbox", "allow-scripts");
      const frame = await previewFrame(viewer, p.previewId);
      await expect.poll(() => frame.evaluate(() => document.querySelectorAll("svg circle").length)).toBe(3);
      expect((await anon.cookies()).length).toBe(0);

      const token = p.shareUrl.slice(3);
      const tampered = `${token.slice(0, 5)}${token[5] === "x" ? "y" : "x"}${token.slice(6)}`;
      expect((await viewer.goto(`/p/${tampered}`))!.status()).toBe(404);

      // An expired link: a genuine token (signed with the server's secret) whose time has passed.
      process.env.AUTH_SECRET = readFileSync(path.join(e2eDataDir(), "auth-secret"), "utf8").trim();
      const { signPreviewToken } = await import("../../lib/previews/tokens");
      const expired = signPreviewToken({ previewId: p.previewId, purpose: "share", exp: Math.floor(Date.now() / 1000) - 5 });
      expect((await viewer.goto(`/p/${expired}`))!.status()).toBe(410);

      const revoke = await page.request.post(`/api/previews/${p.previewId}/revoke`, { headers: { Origin: baseURL ?? "" } });
      expect(revoke.status()).toBe(200);
      expect((await viewer.goto(p.shareUrl))!.status()).toBe(410);
      // The owner's view shows the link as revoked.
      await page.goto(`/previews/${p.previewId}`);
      await expect(page.getByTestId("preview-share")).toContainText("revoked");
    } finally {
      await anon.close();
    }
  });
});

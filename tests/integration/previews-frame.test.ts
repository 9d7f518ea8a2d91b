// The frame document and the share viewer through their real route handlers: the exact
// sandbox CSP (script hashes that match the document's inline scripts, runtime path only),
// nosniff, no-store, no Set-Cookie, SRI script tags, tampered → 404, expired / revoked → 410,
// OpenGraph tags, PREVIEW_SESSION_OPENED with the user agent, and CSP reports → events.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getRuntimeManifest } from "../../lib/previews/runtime-manifest";
import { signPreviewToken, verifyPreviewToken } from "../../lib/previews/tokens";
import { call, makeUser, ORIGIN, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { asUser } from "./helpers/registry-factory";

let t: TestDatabase;
let create: typeof import("../../app/api/previews/route");
let revoke: typeof import("../../app/api/previews/[id]/revoke/route");
let frame: typeof import("../../app/preview/[id]/frame/route");
let share: typeof import("../../app/p/[token]/route");
let report: typeof import("../../app/api/previews/csp-report/route");
let ownerHeaders: Record<string, string>;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  create = await import("../../app/api/previews/route");
  revoke = await import("../../app/api/previews/[id]/revoke/route");
  frame = await import("../../app/preview/[id]/frame/route");
  share = await import("../../app/p/[token]/route");
  report = await import("../../app/api/previews/csp-report/route");
  ownerHeaders = await asUser(await makeUser(t, "member"));
});

afterAll(async () => {
  await t?.drop();
});

async function makePreview(json: Record<string, unknown>) {
  const res = await call(create.POST, { method: "POST", path: "/api/previews", headers: ownerHeaders, json });
  expect(res.status).toBe(201);
  return (await res.json()) as { previewId: string; frameUrl: string; shareUrl: string; injectedDeps: { id: string; url: string; integrity: string }[] };
}

const openFrame = (path: string, headers: Record<string, string> = {}) => {
  const id = /^\/preview\/([^/]+)\/frame/.exec(path)![1]!;
  return call(frame.GET as never, { path, params: { id }, headers });
};
const openShare = (token: string) => call(share.GET as never, { path: `/p/${token}`, params: { token } });

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].filter((m) => !/\bsrc=/.test(m[1]!)).map((m) => m[2]!);
}
const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

describe("GET /preview/:id/frame", () => {
  test("serves the document with exactly the sandbox CSP, nosniff, no-store and no cookie", async () => {
    const p = await makePreview({ code: "const c = new THREE.OrbitControls(cam, el); console.log('</script><b>x</b>')", preset: "three-webgl-umd", title: "T" });
    const res = await openFrame(p.frameUrl, { "user-agent": "vitest-agent/1.0" });
    expect(res.status).toBe(200);
    const html = await res.text();
    const scripts = inlineScripts(html);
    expect(scripts).toHaveLength(2); // bootstrap, user code
    const hashes = scripts.map(sha256).join(" ");
    const csp = res.headers.get("content-security-policy")!;
    // A fresh nonce per response, on our two inline scripts, which erase it before user code runs.
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toBe(
      `sandbox allow-scripts; default-src 'none'; script-src ${ORIGIN}/runtime/ 'nonce-${nonce}' ${hashes}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; frame-ancestors ${ORIGIN}; report-uri /api/previews/csp-report`,
    );
    expect(html.match(new RegExp(`nonce="${nonce!.replace(/[+/=]/g, (c) => `\\${c}`)}"`, "g"))).toHaveLength(2);
    expect(scripts.every((sc) => sc.startsWith("document.currentScript&&(document.currentScript.nonce='');"))).toBe(true);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(html.match(/<script nonce="/g)).toHaveLength(2);
    // Dependencies in order, each with its integrity and crossorigin.
    const manifest = getRuntimeManifest();
    const tags = [...html.matchAll(/<script src="([^"]+)" integrity="([^"]+)" crossorigin="anonymous"/g)].map((m) => [m[1], m[2]]);
    expect(tags).toEqual(["three-core", "three-orbit-controls"].map((id) => [`${ORIGIN}/runtime/${manifest.deps[id]!.file}`, manifest.deps[id]!.integrity]));
    // The user's `</script>` cannot close the element early.
    expect(scripts[1]).toContain("<\\/script><b>x</b>");
    expect(scripts[0]).toContain(JSON.stringify(ORIGIN)); // messages go to the app's origin only

    const opened = await t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE subject_id = $1 AND type = 'PREVIEW_SESSION_OPENED'`, p.previewId);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.data).toMatchObject({ previewId: p.previewId, via: "frame", userAgent: "vitest-agent/1.0" });
    expect((await t.db.previewSession.findUniqueOrThrow({ where: { id: p.previewId } })).openedCount).toBe(1);
  });

  test("html previews get the bootstrap and deps injected into <head>, and their inline scripts hashed", async () => {
    const p = await makePreview({ html: `<!doctype html><html><head><title>Mine</title></head><body><svg id="s"></svg><script>d3.select("#s").append("circle")</script></body></html>`, preset: "d3-umd" });
    const res = await openFrame(p.frameUrl);
    const html = await res.text();
    const head = html.slice(html.indexOf("<head>"), html.indexOf("</head>"));
    expect(head).toContain('integrity="');
    expect(head.indexOf("<script>")).toBeLessThan(head.indexOf("<script src="));
    const scripts = inlineScripts(html);
    expect(scripts).toHaveLength(2);
    for (const s of scripts) expect(res.headers.get("content-security-policy")).toContain(sha256(s));
  });

  test("a tampered, foreign or purpose-mismatched token is 404; an expired one 410", async () => {
    const p = await makePreview({ code: "1", preset: "html-basic" });
    const other = await makePreview({ code: "2", preset: "html-basic" });
    const token = decodeURIComponent(p.frameUrl.split("?t=")[1]!);
    const [body, mac] = token.split(".");
    const flipped = mac!.slice(0, 10) + (mac![10] === "A" ? "B" : "A") + mac!.slice(11);
    const forged = Buffer.from(JSON.stringify({ previewId: p.previewId, purpose: "frame", exp: 9_999_999_999 })).toString("base64url");
    const cases: [string, number][] = [
      [`/preview/${p.previewId}/frame?t=${body}.${flipped}`, 404],
      [`/preview/${p.previewId}/frame?t=${forged}.${mac}`, 404],
      [`/preview/${p.previewId}/frame`, 404],
      [`/preview/${other.previewId}/frame?t=${encodeURIComponent(token)}`, 404],
      [`/preview/${p.previewId}/frame?t=${signPreviewToken({ previewId: p.previewId, purpose: "frame", exp: Math.floor(Date.now() / 1000) - 1 })}`, 410],
    ];
    for (const [path, status] of cases) {
      const res = await openFrame(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-type")).toContain("text/plain");
    }
    expect(verifyPreviewToken(`${body}.${flipped}`)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("GET /p/:token (share links)", () => {
  test("valid: the public viewer with OpenGraph tags and a sandboxed iframe; tampered 404; expired and revoked 410", async () => {
    const p = await makePreview({ code: "new Chart(el, {})", preset: "chartjs-umd", title: `Sales <"2026">` });
    const token = p.shareUrl.slice(3);
    const res = await openShare(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).toContain(`frame-src ${ORIGIN}`);
    const html = await res.text();
    expect(html).toContain(`<meta property="og:title" content="Sales &lt;&quot;2026&quot;&gt;">`);
    expect(html).toMatch(/<meta property="og:description" content="A live chartjs-umd preview using chartjs@[\d.]+/);
    expect(html).toContain(`<iframe sandbox="allow-scripts"`);
    expect(html).not.toContain("allow-same-origin");
    const src = /<iframe[^>]* src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    expect(src).toBe(`/preview/${p.previewId}/frame?t=${encodeURIComponent(token)}`);
    // The frame opened through the share token is evented as via "share".
    expect((await openFrame(src, { "user-agent": "Slackbot 1.0" })).status).toBe(200);
    const opened = await t.db.$queryRawUnsafe<{ data: Record<string, unknown> }[]>(`SELECT data FROM events WHERE subject_id = $1 AND type = 'PREVIEW_SESSION_OPENED'`, p.previewId);
    expect(opened.map((e) => e.data.via)).toEqual(["share"]);

    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    expect((await openShare(tampered)).status).toBe(404);
    expect((await openShare("garbage")).status).toBe(404);
    // A frame token is not a share link.
    expect((await openShare(decodeURIComponent(p.frameUrl.split("?t=")[1]!))).status).toBe(404);
    const expired = signPreviewToken({ previewId: p.previewId, purpose: "share", exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await openShare(expired)).status).toBe(410);

    const r = await call(revoke.POST, { method: "POST", path: `/api/previews/${p.previewId}/revoke`, headers: ownerHeaders, params: { id: p.previewId } });
    expect(r.status).toBe(200);
    const gone = await openShare(token);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("revoked");
    // The frame behind a revoked share link is gone too; the owner's frame token still works.
    expect((await openFrame(src)).status).toBe(410);
    expect((await openFrame(p.frameUrl)).status).toBe(200);
  });
});

describe("POST /api/previews/csp-report", () => {
  test("records a violation from a preview frame as PREVIEW_CSP_VIOLATION; junk and unknown documents are dropped", async () => {
    const p = await makePreview({ code: "fetch('/api/events')", preset: "html-basic" });
    const send = (body: string, type = "application/csp-report") => call(report.POST, { method: "POST", path: "/api/previews/csp-report", headers: { "content-type": type }, body });
    const res = await send(
      JSON.stringify({ "csp-report": { "document-uri": `http://localhost:3000/preview/${p.previewId}/frame?t=x`, "effective-directive": "connect-src", "blocked-uri": "http://localhost:3000/api/events" } }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await send("not json")).status).toBe(204);
    expect((await send(JSON.stringify({ "csp-report": { "document-uri": "http://localhost:3000/elsewhere", "effective-directive": "x" } }))).status).toBe(204);
    const rows = await t.db.$queryRawUnsafe<{ data: Record<string, unknown>; stream_type: string; severity: string }[]>(`SELECT data, stream_type, severity FROM events WHERE type = 'PREVIEW_CSP_VIOLATION'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stream_type: "system", severity: "security", data: { previewId: p.previewId, directive: "connect-src", blockedUri: "http://localhost:3000/api/events" } });
  });
});

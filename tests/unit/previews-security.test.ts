// Pure parts of previews: token signing (round trip, tamper, expiry, key separation), the
// frame document (script escaping, head injection, hashes that match its inline scripts),
// the CSP string, and the parent's check of frame messages (source and shape).
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { buildFrameDocument, escapeScriptText, frameCsp, inlineScriptHashes, scriptBaseOf } from "../../lib/previews/frame-document";
import { acceptFrameMessage } from "../../lib/previews/frame-messages";
import { signPreviewToken, verifyPreviewToken } from "../../lib/previews/tokens";

const ID = "prv_0123456789abcdefghjkmnpqrs";

beforeAll(() => {
  process.env.AUTH_SECRET = "unit-test-secret-unit-test-secret-0123456789";
  resetEnvCache();
});

describe("preview tokens", () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  test("round trip", () => {
    expect(verifyPreviewToken(signPreviewToken({ previewId: ID, purpose: "share", exp }))).toEqual({ ok: true, payload: { previewId: ID, purpose: "share", exp } });
  });
  test("any changed character of body or MAC is invalid", () => {
    const token = signPreviewToken({ previewId: ID, purpose: "frame", exp });
    for (let i = 0; i < token.length; i++) {
      if (token[i] === ".") continue;
      const c = token[i] === "A" ? "B" : "A";
      const bad = token.slice(0, i) + c + token.slice(i + 1);
      expect(verifyPreviewToken(bad), `position ${i}`).toEqual({ ok: false, reason: "invalid" });
    }
  });
  test("a payload re-signed with another key is invalid; expiry is 'expired' only for a genuine token", () => {
    const token = signPreviewToken({ previewId: ID, purpose: "frame", exp });
    process.env.AUTH_SECRET = "another-secret-another-secret-0123456789ab";
    resetEnvCache();
    expect(verifyPreviewToken(token)).toEqual({ ok: false, reason: "invalid" });
    process.env.AUTH_SECRET = "unit-test-secret-unit-test-secret-0123456789";
    resetEnvCache();
    expect(verifyPreviewToken(token, (exp + 1) * 1000)).toEqual({ ok: false, reason: "expired" });
    expect(verifyPreviewToken("", Date.now())).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPreviewToken("a.b")).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("frame document", () => {
  const deps = [{ id: "d3", url: "https://app.example/runtime/d3.0123456789abcdef.js", integrity: "sha384-abc" }];
  test("user code cannot close its script element", () => {
    expect(escapeScriptText("a</script>b</SCRIPT >c<!--d")).toBe("a<\\/script>b<\\/SCRIPT >c<\\!--d");
    const { html } = buildFrameDocument({ kind: "code", source: "x = '</script><img src=x onerror=alert(1)>'", title: "<t>", deps, parentOrigin: "https://app.example" });
    expect(html).not.toContain("</script><img");
    expect(html).toContain("<title>&lt;t&gt;</title>");
  });
  test("hashes cover exactly the inline scripts; src scripts are not hashed", () => {
    const { html, scriptHashes } = buildFrameDocument({ kind: "code", source: "console.log(1)", title: "", deps, parentOrigin: "https://app.example" });
    expect(scriptHashes).toHaveLength(2);
    expect(scriptHashes).toContain(`'sha256-${createHash("sha256").update("console.log(1)").digest("base64")}'`);
    expect(html).toContain(`<script src="${deps[0]!.url}" integrity="sha384-abc" crossorigin="anonymous"`);
    expect(inlineScriptHashes(`<script src="x.js"></script>`)).toEqual([]);
  });
  test("html: injected right after <head>, or a head is made", () => {
    const a = buildFrameDocument({ kind: "html", source: "<html><head><title>x</title></head><body>hi</body></html>", title: "", deps, parentOrigin: "https://o" }).html;
    expect(a.indexOf("<script>")).toBeGreaterThan(a.indexOf("<head>"));
    expect(a.indexOf("<script>")).toBeLessThan(a.indexOf("<title>x"));
    const b = buildFrameDocument({ kind: "html", source: "<p>hi</p>", title: "", deps, parentOrigin: "https://o" }).html;
    expect(b).toMatch(/^<!doctype html><html><head>\n<meta charset/);
    expect(b).toContain("<body><p>hi</p></body>");
  });
  test("CSP string and the path-restricted script base", () => {
    expect(scriptBaseOf("https://cdn.example/x/runtime/three.0123.js")).toBe("https://cdn.example/x/runtime/");
    expect(frameCsp({ scriptHashes: ["'sha256-A'"], scriptBases: ["https://a/runtime/"], frameAncestors: ["https://a"], reportUri: "/r" })).toBe(
      "sandbox allow-scripts; default-src 'none'; script-src https://a/runtime/ 'sha256-A'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; frame-ancestors https://a; report-uri /r",
    );
  });
});

describe("frame messages in the parent", () => {
  const win = {};
  test("accepted only from the iframe's window and only in the known shapes", () => {
    const ok = { source: "capreg-preview", type: "console", level: "log", args: ["hi"] };
    expect(acceptFrameMessage({ source: win, data: ok }, win)).toEqual(ok);
    expect(acceptFrameMessage({ source: {}, data: ok }, win)).toBeNull();
    expect(acceptFrameMessage({ source: null, data: ok }, null)).toBeNull();
    expect(acceptFrameMessage({ source: win, data: { ...ok, level: "eval" } }, win)).toBeNull();
    expect(acceptFrameMessage({ source: win, data: { ...ok, args: [{ toString: 1 }] } }, win)).toBeNull();
    expect(acceptFrameMessage({ source: win, data: { ...ok, source: "other" } }, win)).toBeNull();
    expect(acceptFrameMessage({ source: win, data: "string" }, win)).toBeNull();
    const long = acceptFrameMessage({ source: win, data: { source: "capreg-preview", type: "error", message: "x".repeat(5000), line: 1, column: 2 } }, win);
    expect(long && long.type === "error" && long.message.length).toBe(2000);
  });
});

// The preview frame document and its Content-Security-Policy, built as plain strings (no
// framework): the dependency <script> tags (src + integrity + crossorigin), a bootstrap that
// relays console output, errors and CSP violations to the parent by postMessage, and the
// user's code (or the user's HTML with all of that injected into <head>).
//
// Inline scripts are allowed by their SHA-256 hashes, computed from the exact document we
// send, and our own by a fresh nonce too (as the header asks); code in the frame could
// read a nonce (`document.currentScript.nonce`) and load scripts from anywhere with it, so each
// of our scripts erases it from its element first (see ERASE_NONCE); a hash only ever admits
// these exact scripts. External scripts are admitted only from the runtime base path (`…/runtime/`), and
// each carries its sha384 integrity. `sandbox allow-scripts` makes the document an opaque
// origin even when it is opened directly, so it never reaches the app's cookies or storage.
import { createHash } from "node:crypto";
import { PREVIEW_MESSAGE_SOURCE } from "./frame-constants";

export interface FrameDep {
  id: string;
  url: string;
  integrity: string;
}

export interface FrameDocumentInput {
  kind: "code" | "html";
  source: string;
  title: string;
  deps: FrameDep[];
  /** Where the bootstrap posts its messages (the app's origin: the only parent allowed to frame us). */
  parentOrigin: string;
  /** A fresh nonce for our own inline scripts (each erases it from its element before anything else runs). */
  nonce?: string;
}

export interface FrameCspInput {
  scriptHashes: string[];
  nonce?: string;
  /** URL prefixes scripts may come from, e.g. `https://app.example.com/runtime/`. */
  scriptBases: string[];
  frameAncestors: string[];
  reportUri: string;
}

export { PREVIEW_MESSAGE_SOURCE };

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Keeps code inside its <script> element: `</script` and `<!--` cannot end or confuse it. */
export function escapeScriptText(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

function bootstrapScript(parentOrigin: string): string {
  return `(function () {
  var target = ${JSON.stringify(parentOrigin).replace(/</g, "\\u003c")};
  var sent = 0;
  function send(m) {
    if (sent >= 500) return;
    sent++;
    m.source = ${JSON.stringify(PREVIEW_MESSAGE_SOURCE)};
    try { parent.postMessage(m, target); } catch (e) {}
  }
  function fmt(v) {
    try {
      if (typeof v === "string") return v.slice(0, 2000);
      if (v instanceof Error) return (v.name + ": " + v.message).slice(0, 2000);
      var s = JSON.stringify(v);
      return (s === undefined ? String(v) : s).slice(0, 2000);
    } catch (e) { return String(v).slice(0, 2000); }
  }
  ["log", "info", "warn", "error", "debug"].forEach(function (level) {
    var orig = console[level];
    console[level] = function () {
      var args = [];
      for (var i = 0; i < arguments.length && i < 20; i++) args.push(fmt(arguments[i]));
      send({ type: "console", level: level, args: args });
      return orig.apply(console, arguments);
    };
  });
  addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      send({ type: "error", message: "failed to load " + String(t.tagName).toLowerCase() + " " + String(t.src || t.href || ""), line: 0, column: 0 });
      return;
    }
    send({ type: "error", message: String(e.message || "error"), line: e.lineno | 0, column: e.colno | 0 });
  }, true);
  addEventListener("unhandledrejection", function (e) {
    send({ type: "error", message: "unhandled rejection: " + fmt(e.reason), line: 0, column: 0 });
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    send({ type: "csp", directive: String(e.effectiveDirective || e.violatedDirective || ""), blockedUri: String(e.blockedURI || "") });
  });
  addEventListener("load", function () { send({ type: "ready" }); });
})();`;
}

function depTags(deps: FrameDep[]): string {
  return deps
    .map((d) => `<script src="${escapeHtml(d.url)}" integrity="${escapeHtml(d.integrity)}" crossorigin="anonymous" data-dep="${escapeHtml(d.id)}"></script>`)
    .join("\n");
}

/** Every inline script element of a document, by the same rule the hashes are computed with. */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

export function inlineScriptHashes(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(m[1]!)) continue;
    out.add(`'sha256-${createHash("sha256").update(m[2]!, "utf8").digest("base64")}'`);
  }
  return [...out];
}

/**
 * Our inline scripts carry the response's nonce and erase it from their element as their
 * first statement, so by the time any user code runs no element exposes it (browsers
 * already hide the attribute when the CSP comes in a header): the nonce cannot be stolen to
 * admit a script from elsewhere. The hashes admit the same scripts without it.
 */
const ERASE_NONCE = "document.currentScript&&(document.currentScript.nonce='');";

export function buildFrameDocument(input: FrameDocumentInput): { html: string; scriptHashes: string[] } {
  const nonceAttr = input.nonce ? ` nonce="${escapeHtml(input.nonce)}"` : "";
  const erase = input.nonce ? ERASE_NONCE : "";
  const head = `<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<script${nonceAttr}>${erase}${bootstrapScript(input.parentOrigin)}</script>
${depTags(input.deps)}`;
  let html: string;
  if (input.kind === "code") {
    html = `<!doctype html>
<html><head>
${head}
<title>${escapeHtml(input.title || "Preview")}</title>
<style>html,body{margin:0;padding:0;height:100%;background:#fff}</style>
</head><body>
<script${nonceAttr}>${erase}${escapeScriptText(input.source)}</script>
</body></html>`;
  } else {
    const src = input.source;
    const headTag = /<head\b[^>]*>/i.exec(src);
    if (headTag) {
      const at = headTag.index + headTag[0].length;
      html = `${src.slice(0, at)}\n${head}\n${src.slice(at)}`;
    } else {
      const htmlTag = /<html\b[^>]*>/i.exec(src);
      if (htmlTag) {
        const at = htmlTag.index + htmlTag[0].length;
        html = `${src.slice(0, at)}<head>\n${head}\n</head>${src.slice(at)}`;
      } else {
        const doctype = /^\s*<!doctype[^>]*>/i.exec(src);
        const at = doctype ? doctype[0].length : 0;
        html = `${doctype ? src.slice(0, at) : "<!doctype html>"}<html><head>\n${head}\n</head><body>${src.slice(at)}</body></html>`;
      }
    }
  }
  return { html, scriptHashes: inlineScriptHashes(html) };
}

export function frameCsp(input: FrameCspInput): string {
  const script = ["script-src", ...input.scriptBases, ...(input.nonce ? [`'nonce-${input.nonce}'`] : []), ...input.scriptHashes].join(" ");
  return [
    "sandbox allow-scripts",
    "default-src 'none'",
    script,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "connect-src 'none'",
    `frame-ancestors ${input.frameAncestors.length ? input.frameAncestors.join(" ") : "'none'"}`,
    `report-uri ${input.reportUri}`,
  ].join("; ");
}

/** `https://host/runtime/` from `https://host/runtime/three.abc.js`: the path-restricted script source. */
export function scriptBaseOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.slice(0, u.pathname.lastIndexOf("/") + 1)}`;
}

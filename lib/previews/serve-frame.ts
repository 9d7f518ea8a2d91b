// The HTTP side of previews, framework-free (Web Request → Response) so route handlers stay
// one line: the frame document with its sandbox CSP, the public share viewer with OpenGraph
// tags, and the CSP report sink. None of these responses sets a cookie or reads the session.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { getClientIp } from "../http/client-ip";
import { buildFrameDocument, frameCsp, scriptBaseOf } from "./frame-document";
import { appOrigin, frameUrlFor } from "./origins";
import { recordCspViolation, recordPreviewOpened, resolvePreviewToken, servedDeps } from "./preview-sessions";

export const CSP_REPORT_PATH = "/api/previews/csp-report";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const BASE_HEADERS = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
};

/** A plain-text error page that runs nothing and may not be framed by anyone. */
function errorPage(err: unknown): Response {
  const status = err instanceof AppError ? (err.code === "gone" ? 410 : err.code === "not_found" ? 404 : 400) : 500;
  const message = err instanceof AppError ? err.message : "something went wrong";
  return new Response(`${message}\n`, {
    status,
    headers: { ...BASE_HEADERS, "content-type": "text/plain; charset=utf-8", "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox" },
  });
}

/** GET /preview/<id>/frame?t=<token>: the sandboxed preview document. */
export async function serveFrame(db: Db, req: Request, previewId: string): Promise<Response> {
  try {
    const url = new URL(req.url);
    const token = url.searchParams.get("t") ?? "";
    const { row, purpose } = await resolvePreviewToken(db, token, { previewId });
    const parent = appOrigin(req.url);
    const deps = servedDeps(row, url.origin).map((d) => ({ ...d, url: new URL(d.url, url.origin).toString() }));
    const nonce = randomBytes(16).toString("base64");
    const { html, scriptHashes } = buildFrameDocument({ kind: row.sourceKind === "html" ? "html" : "code", source: row.source, title: row.title, deps, parentOrigin: parent, nonce });
    const csp = frameCsp({
      scriptHashes,
      nonce,
      scriptBases: [...new Set(deps.map((d) => scriptBaseOf(d.url)))],
      frameAncestors: [parent],
      reportUri: CSP_REPORT_PATH,
    });
    await recordPreviewOpened(db, row, purpose, req.headers.get("user-agent"), getClientIp(req.headers));
    return new Response(html, { status: 200, headers: { ...BASE_HEADERS, "content-type": "text/html; charset=utf-8", "content-security-policy": csp } });
  } catch (err) {
    return errorPage(err);
  }
}

/** GET /p/<token>: a minimal public viewer (OpenGraph tags for chat unfurls) around the sandboxed frame. */
export async function serveShareViewer(db: Db, req: Request, token: string): Promise<Response> {
  try {
    const { row } = await resolvePreviewToken(db, token, { purpose: "share" });
    const title = row.title || "Code preview";
    const deps = servedDeps(row);
    const description = `A live ${row.preset} preview${deps.length ? ` using ${deps.map((d) => `${d.id}@${d.version}`).join(", ")}` : ""}, shared from Capability Registry. Runs sandboxed in your browser.`;
    const src = frameUrlFor(row.id, token);
    const origin = appOrigin(req.url);
    const frameSrc = new URL(src, origin).origin;
    const html = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<meta property="og:type" content="website">
<meta property="og:title" content="${escapeHtml(title)}">
<meta property="og:description" content="${escapeHtml(description)}">
<meta property="og:url" content="${escapeHtml(`${origin}/p/${token}`)}">
<meta property="og:site_name" content="Capability Registry">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${escapeHtml(title)}">
<meta name="twitter:description" content="${escapeHtml(description)}">
<style>html,body{margin:0;height:100%;font:14px system-ui,sans-serif;background:#f6f7f9;color:#111}
header{display:flex;gap:12px;align-items:baseline;padding:10px 16px;border-bottom:1px solid #dde}
header h1{font-size:15px;margin:0}header span{color:#667;font-size:12px}
iframe{display:block;border:0;width:100%;height:calc(100% - 44px);background:#fff}</style>
</head><body>
<header><h1>${escapeHtml(title)}</h1><span>${escapeHtml(row.preset)} · expires ${escapeHtml(row.shareExpiresAt.toISOString().slice(0, 10))}</span></header>
<iframe sandbox="allow-scripts" referrerpolicy="no-referrer" title="${escapeHtml(title)}" src="${escapeHtml(src)}"></iframe>
</body></html>`;
    return new Response(html, {
      status: 200,
      headers: {
        ...BASE_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; frame-src ${frameSrc}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        "x-frame-options": "DENY",
      },
    });
  } catch (err) {
    return errorPage(err);
  }
}

/** POST /api/previews/csp-report: browsers' CSP violation reports from preview frames. */
export async function receiveCspReport(db: Db, req: Request): Promise<Response> {
  const done = () => new Response(null, { status: 204, headers: BASE_HEADERS });
  try {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > 16 * 1024) return done();
    const text = (await req.text()).slice(0, 16 * 1024);
    const parsed = JSON.parse(text) as unknown;
    const reports: Record<string, unknown>[] = [];
    // report-uri: { "csp-report": {...} }; Reporting API: [{ type, body: {...} }]
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && "csp-report" in parsed) {
      reports.push((parsed as Record<string, Record<string, unknown>>)["csp-report"]!);
    } else if (Array.isArray(parsed)) {
      for (const r of parsed.slice(0, 10)) if (r && typeof r === "object" && "body" in r) reports.push((r as { body: Record<string, unknown> }).body);
    }
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    for (const r of reports) {
      await recordCspViolation(db, {
        documentUri: str(r["document-uri"]) || str(r.documentURL),
        directive: str(r["effective-directive"]) || str(r["violated-directive"]) || str(r.effectiveDirective),
        blockedUri: str(r["blocked-uri"]) || str(r.blockedURL),
        sample: str(r["script-sample"]) || str(r.sample) || null,
      });
    }
  } catch {
    // A malformed report is dropped; the browser does not care about the answer.
  }
  return done();
}

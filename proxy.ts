// Runs before every request: gives it a request id, sends people without a session to
// /login, and sets the security headers on every response. API authorization is not
// decided here; each route handler checks it where the data is read (lib/http/api-route).
import { NextResponse, type NextRequest } from "next/server";
import { decodeSessionCookie, findSessionCookie } from "@/lib/auth/session-cookie";

const PUBLIC_PAGES = [/^\/login$/, /^\/signup$/, /^\/p\//];

function previewOriginOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}
const previewOrigin = previewOriginOf(process.env.PREVIEW_ORIGIN);

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // Previews may be served from a host of their own (PREVIEW_ORIGIN).
    `frame-src 'self'${previewOrigin ? ` ${previewOrigin}` : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function setSecurityHeaders(res: NextResponse, csp: string | null) {
  if (csp) res.headers.set("content-security-policy", csp);
  res.headers.set("x-content-type-options", "nosniff");
  res.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  res.headers.set("x-frame-options", "DENY");
  res.headers.set("cross-origin-opener-policy", "same-origin");
  res.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const requestId = req.headers.get("x-request-id")?.slice(0, 100) || `req_${crypto.randomUUID().replace(/-/g, "")}`;
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);

  if (pathname.startsWith("/api/")) {
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > 1024 * 1024) {
      const res = NextResponse.json(
        { type: "https://capreg.dev/problems/payload-too-large", title: "Payload too large", status: 413, detail: "request body exceeds 1048576 bytes", code: "payload_too_large", requestId },
        { status: 413, headers: { "content-type": "application/problem+json", "x-request-id": requestId } },
      );
      setSecurityHeaders(res, null);
      return res;
    }
    const res = NextResponse.next({ request: { headers } });
    res.headers.set("x-request-id", requestId);
    setSecurityHeaders(res, "default-src 'none'; frame-ancestors 'none'");
    return res;
  }

  // Preview runtime bundles: public, fetched by sandboxed (opaque-origin) frames without
  // cookies; no session and no page CSP (the route sets CORS, caching and nosniff itself).
  if (pathname.startsWith("/runtime/")) {
    const res = NextResponse.next({ request: { headers } });
    res.headers.set("x-request-id", requestId);
    setSecurityHeaders(res, null);
    return res;
  }

  // Preview frames (/preview/<id>/frame) and share viewers (/p/<token>): authorized by their
  // signed token, never by the session; the route sets the sandbox CSP and framing rules
  // itself (and nosniff, no-store), so neither the page CSP nor X-Frame-Options: DENY may be added here.
  if (/^\/preview\/[^/]+\/frame$/.test(pathname) || /^\/p\/[^/]+$/.test(pathname)) {
    const res = NextResponse.next({ request: { headers } });
    res.headers.set("x-request-id", requestId);
    return res;
  }

  const secret = process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET ?? "";
  const session = await decodeSessionCookie(findSessionCookie((n) => req.cookies.get(n)?.value), secret);
  if (!session && !PUBLIC_PAGES.some((p) => p.test(pathname))) {
    const url = req.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    const res = NextResponse.redirect(url);
    setSecurityHeaders(res, null);
    return res;
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-request-id", requestId);
  setSecurityHeaders(res, csp);
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|fonts/).*)"],
};

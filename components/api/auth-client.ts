// Sign-in and sign-out against next-auth's REST endpoints with plain fetch (the login page
// does not use next-auth/react): CSRF token first, then a form POST with json=true.
import { ApiError, apiFetch } from "./api-client";

async function getCsrfToken(): Promise<string> {
  const { csrfToken } = await apiFetch<{ csrfToken: string }>("/api/auth/csrf", { cache: "no-store" });
  return csrfToken;
}

export type SignInResult = { ok: true } | { ok: false; reason: "credentials" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number | null } | { ok: false; reason: "error"; message: string };

export async function signInWithPassword(email: string, password: string, callbackUrl: string): Promise<SignInResult> {
  try {
    const csrfToken = await getCsrfToken();
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
      credentials: "same-origin",
    });
    if (res.status === 429) {
      const retry = Number(res.headers.get("retry-after"));
      return { ok: false, reason: "rate_limited", retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : null };
    }
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    const url = body.url ? new URL(body.url, window.location.origin) : null;
    if (url && !url.searchParams.has("error") && res.ok) return { ok: true };
    if (url?.searchParams.get("error") === "CredentialsSignin" || res.status === 401) return { ok: false, reason: "credentials" };
    return { ok: false, reason: "error", message: "Sign-in failed. Please try again." };
  } catch (err) {
    return { ok: false, reason: "error", message: err instanceof ApiError ? err.message : "Could not reach the server. Check your connection and try again." };
  }
}

export async function signOut(): Promise<void> {
  try {
    const csrfToken = await getCsrfToken();
    await fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ csrfToken, json: "true" }),
      credentials: "same-origin",
    });
  } finally {
    // A full navigation drops every client cache that belonged to the signed-in user.
    hardNavigate("/login");
  }
}

/** Only same-origin relative paths are followed after sign-in; anything else goes home. */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  try {
    const url = new URL(value, "http://x");
    if (url.origin !== "http://x") return "/";
    if (url.pathname === "/login" || url.pathname === "/signup") return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}

/**
 * A full page load (not a client-side transition), used around sign-in and sign-out so the
 * next render starts with the new session cookie and no cached signed-in state.
 */
export function hardNavigate(path: string): void {
  window.location.replace(new URL(safeCallbackUrl(path) === path || path === "/login" ? path : "/", window.location.origin).href);
}

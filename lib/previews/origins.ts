// Where previews live: the app's origin (the only page allowed to frame a preview and the
// target of its postMessages) and the origin that serves frame documents (PREVIEW_ORIGIN
// when set, a separate host; otherwise the app's own). Frame URLs are relative unless
// previews have a host of their own.
import { getEnv } from "../env";

/** The app's public origin: APP_URL when set, otherwise the origin the request came in on. */
export function appOrigin(requestUrl?: string): string {
  const appUrl = getEnv().APP_URL;
  if (appUrl) return new URL(appUrl).origin;
  if (requestUrl) return new URL(requestUrl).origin;
  return "http://localhost:3000";
}

/** The separate preview host, or null when frames are served by the app itself. */
export function previewOrigin(): string | null {
  const v = getEnv().PREVIEW_ORIGIN;
  return v ? new URL(v).origin : null;
}

export function frameUrlFor(previewId: string, token: string): string {
  return `${previewOrigin() ?? ""}/preview/${previewId}/frame?t=${encodeURIComponent(token)}`;
}

export function shareUrlFor(token: string): string {
  return `/p/${token}`;
}

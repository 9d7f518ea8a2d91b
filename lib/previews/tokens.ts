// Signed preview tokens: the `t` of a frame URL and the `<token>` of a share link. A token is
// base64url(JSON {previewId, purpose, exp}) + "." + base64url(HMAC-SHA256), keyed by a key
// derived (HKDF) from the auth secret, so it is not the session and cannot be forged without
// the secret. Verification compares MACs with timingSafeEqual and tells a tampered token
// (→ 404) from an expired one (→ 410). Revocation lives on the preview row, not in the token.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getAuthSecret } from "../auth/auth-secret";

export type TokenPurpose = "frame" | "share";

export interface PreviewTokenPayload {
  previewId: string;
  purpose: TokenPurpose;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const PayloadSchema = z.object({
  previewId: z.string().regex(/^prv_[0-9a-z]{26}$/),
  purpose: z.enum(["frame", "share"]),
  exp: z.number().int().positive(),
});

export type VerifyResult = { ok: true; payload: PreviewTokenPayload } | { ok: false; reason: "invalid" | "expired" };

let cachedKey: { secret: string; key: Buffer } | undefined;

function signingKey(): Buffer {
  const secret = getAuthSecret();
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "capreg-preview-tokens", "preview token signing key v1", 32)) };
  }
  return cachedKey.key;
}

function mac(body: string): Buffer {
  return createHmac("sha256", signingKey()).update(body).digest();
}

export function signPreviewToken(payload: PreviewTokenPayload): string {
  const body = Buffer.from(JSON.stringify({ previewId: payload.previewId, purpose: payload.purpose, exp: payload.exp })).toString("base64url");
  return `${body}.${mac(body).toString("base64url")}`;
}

export function verifyPreviewToken(token: string, nowMs = Date.now()): VerifyResult {
  if (token.length > 512) return { ok: false, reason: "invalid" };
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "invalid" };
  const given = Buffer.from(m[2]!, "base64url");
  // Only the canonical encoding: a changed unused low bit in the last character is tampering too.
  if (given.toString("base64url") !== m[2]) return { ok: false, reason: "invalid" };
  const expected = mac(m[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  let parsed: unknown;
  try {
    const body = Buffer.from(m[1]!, "base64url");
    if (body.toString("base64url") !== m[1]) return { ok: false, reason: "invalid" };
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const r = PayloadSchema.safeParse(parsed);
  if (!r.success) return { ok: false, reason: "invalid" };
  if (r.data.exp * 1000 <= nowMs) return { ok: false, reason: "expired" };
  return { ok: true, payload: r.data };
}

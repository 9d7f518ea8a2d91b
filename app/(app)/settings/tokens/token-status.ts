import type { BadgeTone } from "@/components/ui/badge";
import type { TokenRecord } from "@/lib/auth/api-tokens";

export type TokenStatus = "active" | "revoked" | "expired";

export function tokenStatus(t: TokenRecord, nowMs: number | null): TokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && nowMs !== null && Date.parse(t.expiresAt) <= nowMs) return "expired";
  return "active";
}

export const STATUS_META: Record<TokenStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  revoked: { label: "Revoked", tone: "neutral" },
  expired: { label: "Expired", tone: "warning" },
};

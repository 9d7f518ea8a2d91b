// The permission catalog as the API serves it: every permission with its label,
// plain-language explanation, risk and group, and the risk levels in order. Pure.
import { PERMISSIONS, PERMISSION_NAMES, RISK_LEVELS, type PermissionInfo, type RiskLevel } from "./permissions";

export const RISK_LEVEL_INFO: Record<RiskLevel, string> = {
  low: "Reads or computes within the agent; nothing leaves it.",
  medium: "Reaches outside services or your data in limited ways, or costs money.",
  high: "Can send your data out or change things on other services.",
  critical: "Can change business records or act broadly in your name.",
};

export function listPermissions(): {
  items: (PermissionInfo & { name: string })[];
  riskLevels: { level: RiskLevel; rank: number; explanation: string }[];
  nextCursor: null;
} {
  return {
    items: PERMISSION_NAMES.map((name) => ({ name, ...PERMISSIONS[name] })),
    riskLevels: RISK_LEVELS.map((level, rank) => ({ level, rank, explanation: RISK_LEVEL_INFO[level] })),
    nextCursor: null,
  };
}

// Words and numbers of the marketplace as people read them: type and category names,
// compact counts, byte sizes, risk levels with their colours. Pure; server and client.
import type { BadgeTone } from "@/components/ui/badge";

export const TYPE_LABELS: Record<string, string> = {
  declarative: "Declarative",
  "api-connector": "API connector",
  code: "Code",
  workflow: "Workflow",
  builtin: "Built-in",
};

export const TYPE_DESCRIPTIONS: Record<string, string> = {
  declarative: "Actions described as HTTP calls; no code runs.",
  "api-connector": "Endpoints of one API behind shared authentication.",
  code: "A JavaScript module that runs in the sandbox.",
  workflow: "Steps that call other capabilities' actions.",
  builtin: "Part of the product itself.",
};

const CATEGORY_OVERRIDES: Record<string, string> = { ai: "AI" };

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

export function categoryLabel(category: string): string {
  return CATEGORY_OVERRIDES[category] ?? category.charAt(0).toUpperCase() + category.slice(1);
}

/** 950 → "950", 1234 → "1.2k", 2_500_000 → "2.5M". */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, "")}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")}M`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, "")} KB`;
  return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type Risk = "low" | "medium" | "high" | "critical";
export const RISKS: Risk[] = ["low", "medium", "high", "critical"];

export interface RiskMeta {
  label: string;
  tone: BadgeTone;
  /** The coloured bar at the left of a permission row. */
  bar: string;
  /** A tinted row background (only the risky levels are tinted). */
  row: string;
  text: string;
  rank: number;
  summary: string;
}

export const RISK_META: Record<Risk, RiskMeta> = {
  low: { label: "Low", tone: "success", bar: "bg-success", row: "", text: "text-success", rank: 0, summary: "Reads or computes within the agent; nothing leaves it." },
  medium: { label: "Medium", tone: "warning", bar: "bg-warning", row: "", text: "text-warning", rank: 1, summary: "Reaches outside services or your data in limited ways, or costs money." },
  high: { label: "High", tone: "danger", bar: "bg-danger", row: "bg-danger-soft/40", text: "text-danger", rank: 2, summary: "Can send your data out or change things on other services." },
  critical: { label: "Critical", tone: "security", bar: "bg-security", row: "bg-security-soft/50", text: "text-security", rank: 3, summary: "Can change business records or act broadly in your name." },
};

export function riskMeta(risk: string): RiskMeta {
  return RISK_META[risk as Risk] ?? RISK_META.high;
}

/** Highest first, then by name: the order people should read permissions in. */
export function byRiskDesc<T extends { risk: string; name: string }>(a: T, b: T): number {
  return riskMeta(b.risk).rank - riskMeta(a.risk).rank || a.name.localeCompare(b.name);
}

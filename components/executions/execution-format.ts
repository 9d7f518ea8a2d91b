// How executions read to people: status labels and colours (badges, graph nodes), durations
// and sizes, and the markers the engine leaves in stored values (a capped JSON value, a
// truncated log). Pure; used by server and client components and by the event summaries.
import type { BadgeTone } from "@/components/ui/badge";

export const EXECUTION_STATUS_VALUES = ["queued", "running", "succeeded", "failed", "timed_out", "killed_memory", "denied"] as const;

export interface StatusMeta {
  label: string;
  tone: BadgeTone;
  /** Graph node classes: fill, stroke, text. */
  node: string;
  stroke: string;
  text: string;
  /** Whether it may still change. */
  active: boolean;
}

const NEUTRAL_NODE = { node: "fill-surface-2", stroke: "stroke-border-strong", text: "fill-fg-muted" };

export const STATUS_META: Record<string, StatusMeta> = {
  queued: { label: "Queued", tone: "neutral", ...NEUTRAL_NODE, active: true },
  running: { label: "Running", tone: "info", node: "fill-info-soft", stroke: "stroke-info", text: "fill-info", active: true },
  succeeded: { label: "Succeeded", tone: "success", node: "fill-success-soft", stroke: "stroke-success", text: "fill-success", active: false },
  failed: { label: "Failed", tone: "danger", node: "fill-danger-soft", stroke: "stroke-danger", text: "fill-danger", active: false },
  timed_out: { label: "Timed out", tone: "warning", node: "fill-warning-soft", stroke: "stroke-warning", text: "fill-warning", active: false },
  killed_memory: { label: "Out of memory", tone: "danger", node: "fill-danger-soft", stroke: "stroke-danger", text: "fill-danger", active: false },
  denied: { label: "Denied", tone: "security", node: "fill-security-soft", stroke: "stroke-security", text: "fill-security", active: false },
  // Workflow step states that are not execution statuses.
  pending: { label: "Pending", tone: "neutral", ...NEUTRAL_NODE, active: true },
  skipped: { label: "Skipped", tone: "neutral", ...NEUTRAL_NODE, active: false },
  not_run: { label: "Not run", tone: "neutral", ...NEUTRAL_NODE, active: false },
};

export function statusMeta(status: string): StatusMeta {
  return STATUS_META[status] ?? { label: status, tone: "neutral", ...NEUTRAL_NODE, active: false };
}

/** "<1 ms", "3 ms", "1.25 s", "2m 05s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** `unit-converter.convert`: what people type to invoke it. */
export function actionLabel(e: { capability?: { slug: string }; capabilitySlug?: string; action: string; kind?: string }): string {
  const slug = e.capability?.slug ?? e.capabilitySlug ?? "";
  if (e.kind === "step" || !slug) return e.action;
  return `${slug}.${e.action}`;
}

/** A stored value too large to keep (records/store-json.ts): its size and beginning. */
export interface TruncatedJson {
  $truncated: true;
  bytes: number;
  preview: string;
}

export function isTruncatedJson(v: unknown): v is TruncatedJson {
  return !!v && typeof v === "object" && (v as { $truncated?: unknown }).$truncated === true && typeof (v as { preview?: unknown }).preview === "string";
}

/** The line the sandbox writes when a plugin's log reached its limit. */
export function isLogTruncationLine(line: string): boolean {
  return /^\[log truncated\b/i.test(line);
}

/** Log lines from the stored value: an array of lines, or (capped) the beginning of one. */
export function logLines(logs: unknown): { lines: string[]; capped: TruncatedJson | null } {
  if (Array.isArray(logs)) return { lines: logs.map((l) => (typeof l === "string" ? l : JSON.stringify(l))), capped: null };
  if (isTruncatedJson(logs)) return { lines: [], capped: logs };
  return { lines: [], capped: null };
}

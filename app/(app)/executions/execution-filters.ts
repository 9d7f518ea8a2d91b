// The executions page's filters as they live in the URL (?status=failed,timed_out&agentId=…),
// so a filtered view can be shared and survives reload. The names are the API's query names,
// so the same string feeds GET /api/executions. Pure; server and client.
import { EXECUTION_STATUS_VALUES } from "@/components/executions/execution-format";

export const EXECUTIONS_PAGE_SIZE = 50;

export interface ExecutionFilters {
  /** Comma-separated statuses, in canonical order; "" for all. */
  status: string;
  agentId: string;
  capability: string;
  correlationId: string;
}

export const EMPTY_EXECUTION_FILTERS: ExecutionFilters = { status: "", agentId: "", capability: "", correlationId: "" };

/** The status choices offered: groups first, then each status. */
export const STATUS_CHOICES: { value: string; label: string }[] = [
  { value: "", label: "All statuses" },
  { value: "queued,running", label: "In progress" },
  { value: "failed,timed_out,killed_memory,denied", label: "Problems" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "timed_out", label: "Timed out" },
  { value: "killed_memory", label: "Out of memory" },
  { value: "denied", label: "Denied" },
  { value: "running", label: "Running" },
  { value: "queued", label: "Queued" },
];

const KEYS = ["status", "agentId", "capability", "correlationId"] as const;
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const SLUG = /^[a-z0-9-]{1,64}$/;

function canonicalStatus(value: string | null): string {
  const wanted = new Set((value ?? "").split(",").map((s) => s.trim()));
  return EXECUTION_STATUS_VALUES.filter((s) => wanted.has(s)).join(",");
}

export function parseExecutionFilters(params: { get(name: string): string | null }): ExecutionFilters {
  const pick = (name: string, rule: RegExp) => {
    const v = (params.get(name) ?? "").trim();
    return rule.test(v) ? v : "";
  };
  return {
    status: canonicalStatus(params.get("status")),
    agentId: pick("agentId", ID),
    capability: pick("capability", SLUG),
    correlationId: pick("correlationId", ID),
  };
}

/** Only the filters that are set, as API query parameters. */
export function executionFiltersToParams(f: ExecutionFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of KEYS) if (f[k]) p.set(k, f[k]);
  return p;
}

export function executionFiltersKey(f: ExecutionFilters): string {
  return executionFiltersToParams(f).toString();
}

export function countExecutionFilters(f: ExecutionFilters): number {
  return KEYS.filter((k) => f[k]).length;
}

/** Whether an execution with these fields belongs in a list with these filters. */
export function matchesExecutionFilters(f: ExecutionFilters, e: { status: string; agent: { id: string }; capability: { slug: string }; correlationId: string }): boolean {
  if (f.status && !f.status.split(",").includes(e.status)) return false;
  if (f.agentId && e.agent.id !== f.agentId) return false;
  if (f.capability && e.capability.slug !== f.capability) return false;
  if (f.correlationId && e.correlationId !== f.correlationId) return false;
  return true;
}

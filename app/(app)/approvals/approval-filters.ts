// The inbox's filters as they live in the URL (?status=pending&agentId=…&capability=…&risk=high),
// plus the selected request (?id=apr_…), so a filtered view or one request can be shared and
// survives reload. The names are the API's query names, so the same string feeds
// GET /api/approvals. Pure; server and client.
import { APPROVAL_STATUSES, RISK_VALUES } from "@/components/approvals/approval-types";

export const APPROVALS_PAGE_SIZE = 50;

export interface ApprovalFilters {
  /** One status, or "" for all (pending first, then newest). */
  status: string;
  agentId: string;
  capability: string;
  risk: string;
}

export const EMPTY_APPROVAL_FILTERS: ApprovalFilters = { status: "", agentId: "", capability: "", risk: "" };

const KEYS = ["status", "agentId", "capability", "risk"] as const;
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const SLUG = /^[a-z0-9-]{1,64}$/;
export const APPROVAL_ID = /^apr_[A-Za-z0-9_-]{1,100}$/;

export const STATUS_CHOICES: { value: string; label: string }[] = [
  { value: "", label: "All (pending first)" },
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "denied", label: "Denied" },
  { value: "expired", label: "Expired" },
];

export const RISK_CHOICES: { value: string; label: string }[] = [
  { value: "", label: "Any risk" },
  { value: "low", label: "Low · SAFE" },
  { value: "medium", label: "Medium · MODERATE" },
  { value: "high", label: "High · RESTRICTED" },
  { value: "critical", label: "Critical · DANGEROUS" },
];

export function parseApprovalFilters(params: { get(name: string): string | null }): ApprovalFilters {
  const pick = (name: string, ok: (v: string) => boolean) => {
    const v = (params.get(name) ?? "").trim();
    return ok(v) ? v : "";
  };
  return {
    status: pick("status", (v) => (APPROVAL_STATUSES as readonly string[]).includes(v)),
    agentId: pick("agentId", (v) => ID.test(v)),
    capability: pick("capability", (v) => SLUG.test(v)),
    risk: pick("risk", (v) => (RISK_VALUES as readonly string[]).includes(v)),
  };
}

export function parseSelectedId(params: { get(name: string): string | null }): string | null {
  const v = (params.get("id") ?? "").trim();
  return APPROVAL_ID.test(v) ? v : null;
}

/** Only the filters that are set, as API query parameters. */
export function approvalFiltersToParams(f: ApprovalFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of KEYS) if (f[k]) p.set(k, f[k]);
  return p;
}

export function approvalFiltersKey(f: ApprovalFilters): string {
  return approvalFiltersToParams(f).toString();
}

export function countApprovalFilters(f: ApprovalFilters): number {
  return KEYS.filter((k) => f[k]).length;
}

/** The page's URL for these filters and this selection. */
export function approvalsUrl(f: ApprovalFilters, selectedId: string | null): string {
  const p = approvalFiltersToParams(f);
  if (selectedId) p.set("id", selectedId);
  const qs = p.toString();
  return qs ? `/approvals?${qs}` : "/approvals";
}

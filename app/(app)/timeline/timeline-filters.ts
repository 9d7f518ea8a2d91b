// The timeline's filters as they live in the URL (?type=a,b&severity=security&…), so a
// filtered view can be shared and survives reload. The names are the API's query names,
// so the same string feeds GET /api/events and the SSE stream. Pure; server and client.

/** Events per page, for the first load and each older page. */
export const PAGE_SIZE = 50;

export const ACTOR_KINDS = [
  { value: "user", label: "People" },
  { value: "agent", label: "Agents" },
  { value: "system", label: "System" },
] as const;

export const SEVERITY_VALUES = ["info", "warn", "error", "security"] as const;

export interface TimelineFilters {
  type: string[];
  severity: string[];
  actorType: string[];
  streamType: string;
  streamId: string;
  actorId: string;
  correlationId: string;
}

export const EMPTY_FILTERS: TimelineFilters = { type: [], severity: [], actorType: [], streamType: "", streamId: "", actorId: "", correlationId: "" };

const TEXT_KEYS = ["streamType", "streamId", "actorId", "correlationId"] as const;
const LIST_KEYS = ["type", "severity", "actorType"] as const;
export const FILTER_PARAM_NAMES: string[] = [...LIST_KEYS, ...TEXT_KEYS];

const ACTOR_VALUES: readonly string[] = ACTOR_KINDS.map((a) => a.value);

function csv(value: string | null, allowed?: readonly string[]): string[] {
  const items = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 100 && (!allowed || allowed.includes(s)));
  const unique = [...new Set(items)].slice(0, 50);
  // A canonical order, so equal filters give equal URLs and keys.
  return allowed ? allowed.filter((a) => unique.includes(a)) : unique.sort();
}

const text = (value: string | null) => (value ?? "").trim().slice(0, 200);

export function parseFilters(params: { get(name: string): string | null }): TimelineFilters {
  return {
    type: csv(params.get("type")),
    severity: csv(params.get("severity"), SEVERITY_VALUES),
    actorType: csv(params.get("actorType"), ACTOR_VALUES),
    streamType: text(params.get("streamType")).slice(0, 100),
    streamId: text(params.get("streamId")),
    actorId: text(params.get("actorId")),
    correlationId: text(params.get("correlationId")),
  };
}

/** Only the filters that are set, as API query parameters. */
export function filtersToParams(f: TimelineFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of LIST_KEYS) if (f[k].length) p.set(k, f[k].join(","));
  for (const k of TEXT_KEYS) if (f[k]) p.set(k, f[k]);
  return p;
}

export function filtersKey(f: TimelineFilters): string {
  return filtersToParams(f).toString();
}

export function countActiveFilters(f: TimelineFilters): number {
  return LIST_KEYS.filter((k) => f[k].length).length + TEXT_KEYS.filter((k) => f[k]).length;
}

/** Reads a plain searchParams object (as a page receives it) like URLSearchParams. */
export function paramsFromRecord(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(record)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) p.set(k, first);
  }
  return p;
}

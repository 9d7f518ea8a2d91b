// The host side of the APIs a code capability sees on `ctx` (ctx.fetch, ctx.kv): their
// shapes and their one error type. The sandbox (sandbox/pool.ts) calls these with plain
// data it parsed from the isolate's JSON; each implementation checks the installation's
// grants on every call, whatever the isolate claims. No isolated-vm here.

export interface HostFetchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HostFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The URL of the final hop (after redirects). */
  url: string;
}

export type FetchHost = (req: HostFetchRequest) => Promise<HostFetchResponse>;

export interface KvHost {
  /** The stored value, or undefined when the key is absent. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** Whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** Keys starting with prefix (all when omitted), sorted. */
  list(prefix?: string): Promise<string[]>;
}

export interface HostApis {
  fetch?: FetchHost;
  kv?: KvHost;
}

/**
 * A host API refused or failed a call. `code` is machine-readable (permission_denied,
 * too_many_requests, invalid_argument, value_too_large, quota_exceeded, or a NetError code
 * such as domain_not_allowed, blocked_address, timeout, response_too_large); `message` is
 * safe to show to the plugin: it never carries a secret, a header value or a body.
 */
export class HostApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HostApiError";
  }
}

/** Permission each host operation needs, checked on every call. */
export const HOST_PERMISSIONS = {
  httpRead: "network.http.get",
  httpWrite: "network.http.post",
  kvRead: "data.read",
  kvWrite: "data.write",
  kvDelete: "data.delete",
} as const;

export function hasNetworkGrant(grants: readonly string[]): boolean {
  return grants.includes(HOST_PERMISSIONS.httpRead) || grants.includes(HOST_PERMISSIONS.httpWrite);
}

export function hasDataGrant(grants: readonly string[]): boolean {
  return grants.includes(HOST_PERMISSIONS.kvRead) || grants.includes(HOST_PERMISSIONS.kvWrite) || grants.includes(HOST_PERMISSIONS.kvDelete);
}

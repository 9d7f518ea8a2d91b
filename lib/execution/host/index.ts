// The host side of ctx.fetch and ctx.kv: one FetchHost and one KvHost per execution, built
// by the executor from the installation's grants and handed to the sandbox pool.
export { FETCH_MAX_CALLS, FETCH_MAX_REDIRECTS, FETCH_MAX_RESPONSE_BYTES, FETCH_TIMEOUT_MS, makeFetchHost, recordedUrl, type MakeFetchHostOptions } from "./make-fetch-host";
export { KV_MAX_KEY_LENGTH, KV_MAX_KEYS, KV_MAX_TOTAL_BYTES, KV_MAX_VALUE_BYTES, makeKvHost, type MakeKvHostOptions } from "./make-kv-host";
export { HOST_PERMISSIONS, HostApiError, hasDataGrant, hasNetworkGrant, type FetchHost, type HostApis, type HostFetchRequest, type HostFetchResponse, type KvHost } from "./types";

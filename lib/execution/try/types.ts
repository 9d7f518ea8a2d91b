// Shapes shared by the web process (run-try.ts) and the sandbox child (scripts/sandbox-child.ts).
// Only plain JSON crosses between them: one job on the child's stdin, one result on its stdout.
import type { Manifest } from "../../registry/manifest-schema";

export interface TryJob {
  manifest: Manifest;
  action: string;
  input: Record<string, unknown>;
  config: Record<string, string | number | boolean>;
  secrets: Record<string, string>;
  /** Wall budget of the action inside the child (code: isolate budget; connectors: whole call). */
  timeoutMs: number;
  /** Test-only: addresses guardedFetch may reach although they are not public. Ignored outside tests. */
  testOnlyTrustedAddresses?: string[];
  /** Test-only: fixed host → address answers for guardedFetch's resolver. Ignored outside tests. */
  testOnlyHosts?: Record<string, string>;
}

export interface TryError {
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export interface TryResources {
  wallMs: number;
  cpuMs?: number;
  heapBytes?: number;
  networkCalls: number;
}

export interface TryResult {
  ok: boolean;
  output?: unknown;
  error?: TryError;
  logs: string[];
  resources: TryResources;
}

/** True only when the process runs under vitest or NODE_ENV=test. */
export function isTestEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "test" || Boolean(env.VITEST);
}

/**
 * Env vars a test sets to let tries reach its local HTTP server. Honoured only under tests,
 * in the web process and again in the child:
 * - TEST_HOSTS_ENV `name=address,…` (e.g. `api.try.test=127.0.0.1`): fixed DNS answers;
 * - TEST_TRUSTED_ADDRESSES_ENV `address,…`: guardedFetch's testOnlyTrustedAddresses.
 */
export const TEST_HOSTS_ENV = "CAPREG_TRY_TEST_HOSTS";
export const TEST_TRUSTED_ADDRESSES_ENV = "CAPREG_TRY_TEST_TRUSTED_ADDRESSES";

export function readTestTrustedAddresses(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env[TEST_TRUSTED_ADDRESSES_ENV];
  if (!raw || !isTestEnvironment(env)) return undefined;
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Parses TEST_HOSTS_ENV; undefined outside tests or when unset. */
export function readTestHosts(env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const raw = env[TEST_HOSTS_ENV];
  if (!raw || !isTestEnvironment(env)) return undefined;
  const hosts: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const [name, address] = pair.split("=").map((x) => x.trim());
    if (name && address) hosts[name.toLowerCase()] = address;
  }
  return hosts;
}

// Framework-free core of code-capability execution: run one action in an isolated-vm isolate,
// either in a fresh isolate (runInSandbox: Try) or in a pool of isolates (SandboxPool: executors).
// Importing this loads isolated-vm: never from anything the web server loads.
export {
  runInSandbox,
  defaultTimeoutMs,
  COMPUTE_TIMEOUTS_MS,
  DEFAULT_MEMORY_MB,
  LOG_BYTE_LIMIT,
  LOG_LINE_LIMIT,
  LOG_TRUNCATED_MARKER,
  OUTPUT_LIMIT_BYTES,
  type SandboxLimits,
  type SandboxRequest,
  type SandboxResources,
  type SandboxResult,
} from "./run";
export { SandboxPool, DEFAULT_MAX_RUNS_PER_ISOLATE, type PooledRunRequest, type SandboxPoolOptions, type SandboxPoolStats } from "./pool";
export { SANDBOX_ERROR_CODES, type SandboxError, type SandboxErrorCode } from "./errors";

// Framework-free core of code-capability execution: run one action in an isolated-vm isolate.
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
export { SANDBOX_ERROR_CODES, type SandboxError, type SandboxErrorCode } from "./errors";

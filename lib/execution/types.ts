// Shapes shared by the parts of the execution engine: the invoke path in the web process,
// the queue, the executor processes, the sandbox pool, the host APIs and the workflow
// runner. Plain data only (what crosses processes is JSON). Pure: no I/O.

export const EXECUTION_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "killed_memory", "denied"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const FINAL_STATUSES: readonly ExecutionStatus[] = ["succeeded", "failed", "timed_out", "killed_memory", "denied"];
export function isFinalStatus(s: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(s);
}

/** What an execution row's `kind` says: the capability type, or `step` for a workflow's built-in step. */
export type ExecutionKind = "code" | "declarative" | "api-connector" | "workflow" | "builtin" | "step";

export interface ExecutionError {
  /** Machine-readable: compile_error, plugin_error, timed_out, killed_memory, invalid_output, http_error, blocked_address, permission_denied, step_failed, executor_lost, … */
  code: string;
  message: string;
  /** Line and column in the plugin's own source (code capabilities). */
  line?: number;
  column?: number;
  /** The workflow step that failed. */
  step?: string;
}

export interface ExecutionResources {
  wallMs: number;
  cpuMs?: number;
  heapBytes?: number;
  networkCalls: number;
  /** Time between enqueue and claim. */
  queueMs?: number;
}

/** One outbound HTTP request an execution made (ctx.fetch or a connector), as recorded. */
export interface OutboundRequest {
  method: string;
  /** Scheme, host and path; the query string is dropped (it may carry keys). */
  url: string;
  status: number | null;
  ms: number;
  /** NetError code when the request was refused or failed. */
  error?: string;
  correlationId: string;
}

/** The outcome of running one action (one sandbox run, one connector call, one workflow). Never thrown. */
export interface ActionOutcome {
  status: Exclude<ExecutionStatus, "queued" | "running">;
  output?: unknown;
  error?: ExecutionError;
  logs: string[];
  resources: ExecutionResources;
  requests: OutboundRequest[];
}

/** Maps a sandbox / connector error code to the execution status it ends in. */
export function statusForErrorCode(code: string): ActionOutcome["status"] {
  if (code === "timed_out" || code === "timeout") return "timed_out";
  if (code === "killed_memory") return "killed_memory";
  if (code === "permission_denied" || code === "policy_denied") return "denied";
  return "failed";
}

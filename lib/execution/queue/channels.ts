// The Postgres NOTIFY channels of the execution queue and the advisory-lock key of claims.
// Shared by the web side (enqueue, await) and the executor side (claim, complete, reap).
// Payload of both channels: one execution id. Pure constants.

/** An execution was queued (or requeued): executors wake up and claim. */
export const EXEC_QUEUED_CHANNEL = "capreg_exec_queued";
/** An execution reached a final status: waiters wake up (and capped executors retry a claim). */
export const EXEC_DONE_CHANNEL = "capreg_exec_done";
/**
 * Transaction-level advisory lock taken by every claim, so that counting the running
 * executions and claiming more happen as one step across all executors (the global cap
 * MAX_CONCURRENT_EXECUTIONS holds). Distinct from the event chain's lock (7286014419).
 */
export const CLAIM_LOCK_KEY = 7286014420;

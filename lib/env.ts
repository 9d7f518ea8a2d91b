// Typed environment: the only place that reads process.env. Parsed once, at start-up,
// so a bad value fails fast with every problem named (next.config.mjs imports it too).
import os from "node:os";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: optionalString,
  /** Public origin of the app (e.g. https://registry.example.com); derived from Host when unset. */
  APP_URL: optionalString.pipe(z.url().optional()),
  /** Owner connection (runs migrations). Unset: an embedded PostgreSQL starts under DATA_DIR. */
  DATABASE_URL: optionalString,
  /** Connection for the app's least-privileged role; derived by the boot when unset. */
  DATABASE_APP_URL: optionalString,
  DATA_DIR: optionalString,
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8).optional()),
  ADMIN_NAME: optionalString,
  /** next-auth secret; generated once into DATA_DIR when unset. */
  AUTH_SECRET: optionalString.pipe(z.string().min(32).optional()),
  /** Ed25519 private key (PKCS#8 PEM or base64 DER) for audit checkpoints. */
  AUDIT_SIGNING_KEY: optionalString,
  /** AES-256-GCM key for installation secrets: 32 bytes as hex or base64; generated once into DATA_DIR when unset. */
  SECRETS_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, "expected 32 bytes as 64 hex characters or base64")
      .optional(),
  ),
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1000).default(10 * 60 * 1000),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Trust X-Forwarded-For for client IPs (set when behind a reverse proxy). */
  TRUST_PROXY: flag,
  // Execution engine
  /** Executions running at once across all executors (default 2 × cores). */
  MAX_CONCURRENT_EXECUTIONS: z.coerce.number().int().min(1).max(1000).optional(),
  /** Executions waiting beyond the running ones before invoke answers 429. */
  MAX_QUEUED_EXECUTIONS: z.coerce.number().int().min(0).max(100_000).default(200),
  /** Executor processes `npm start` spawns and supervises (0: none, e.g. when workers run elsewhere). */
  EXECUTOR_PROCESSES: z.coerce.number().int().min(0).max(64).default(2),
  /** Executions one executor process runs at once (default: its share of MAX_CONCURRENT_EXECUTIONS). */
  EXECUTOR_SLOTS: z.coerce.number().int().min(1).max(256).optional(),
  /** How long a claim holds without a heartbeat before another executor may take the work back. */
  EXECUTION_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** Invocations per minute per API token / per agent (stored in Postgres, so they hold across instances). */
  INVOKE_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(600),
  INVOKE_RATE_LIMIT_PER_AGENT: z.coerce.number().int().min(1).default(600),
  /** Executions a pooled isolate serves before it is replaced (contexts leak ~150 KB each). */
  /** Forces the policy kill switch on: every action with an external-write permission is denied. */
  POLICY_KILL_SWITCH_EXTERNAL_WRITE: flag,
  /** How long an approval waits for a decision before it expires (hours; default 24). */
  APPROVAL_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  /** Approvals of an agent's same action, with no denial, before a standing rule is recommended. */
  POLICY_TRUST_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  SANDBOX_MAX_RUNS_PER_ISOLATE: z.coerce.number().int().min(1).max(10_000).default(200),
  // Previews
  /** Base URL the preview runtime scripts load from (a CDN mirroring /runtime/*); default APP_URL. Integrity values stay ours. */
  PREVIEW_CDN_BASE: optionalString.pipe(z.url().optional()).transform((v) => v?.replace(/\/+$/, "")),
  /** Separate origin that serves preview frames (e.g. https://previews.example.com); default: the app's origin. */
  PREVIEW_ORIGIN: optionalString.pipe(z.url().optional()).transform((v) => (v ? new URL(v).origin : undefined)),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** MAX_CONCURRENT_EXECUTIONS, defaulting to twice the number of CPU cores. */
export function maxConcurrentExecutions(env: Env = getEnv()): number {
  return env.MAX_CONCURRENT_EXECUTIONS ?? 2 * Math.max(1, os.availableParallelism());
}

/** For tests and the boot, which set variables after the first read. */
export function resetEnvCache(): void {
  cached = undefined;
}

// Fixed-window counters in Postgres, so limits hold across every instance.
import type { Db } from "../db/prisma";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitState {
  count: number;
  isLimited: boolean;
  retryAfterSeconds: number;
}

function state(count: number, windowStart: Date, rule: RateLimitRule, now = Date.now()): RateLimitState {
  const resetAt = windowStart.getTime() + rule.windowMs;
  return { count, isLimited: count >= rule.limit && resetAt > now, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
}

/** Counts one hit and returns the state after it. */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const rows = await db.$queryRawUnsafe<{ count: number; window_start: Date }[]>(
    `INSERT INTO rate_limit_buckets (key, window_start, count) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN 1 ELSE rate_limit_buckets.count + 1 END,
       window_start = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => $2 / 1000.0) THEN now() ELSE rate_limit_buckets.window_start END
     RETURNING count, window_start`,
    key,
    rule.windowMs,
  );
  const row = rows[0]!;
  return state(row.count, row.window_start, rule);
}

/** The state without counting. */
export async function peekRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const rows = await db.$queryRawUnsafe<{ count: number; window_start: Date }[]>(
    `SELECT count, window_start FROM rate_limit_buckets WHERE key = $1 AND window_start > now() - make_interval(secs => $2 / 1000.0)`,
    key,
    rule.windowMs,
  );
  const row = rows[0];
  return row ? state(row.count, row.window_start, rule) : { count: 0, isLimited: false, retryAfterSeconds: 0 };
}

export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await db.$executeRawUnsafe(`DELETE FROM rate_limit_buckets WHERE key = $1`, key);
}

// ctx.kv, host side: a small key-value store per installation in `kv_entries`. The
// installation id comes from the execution (the host), never from the plugin, so a plugin
// can only ever reach its own installation's rows. Every call checks its grant when it is
// made (get/list → data.read, set → data.write, delete → data.delete).
// Caps: key 1–256 characters; value ≤ 64 KB of JSON; ≤ 1,000 keys and ≤ 1 MB (keys plus
// values) per installation. A set takes a per-installation advisory lock for the rest of
// its transaction and then inserts only if the caps still hold, in one statement, so
// concurrent sets (from any executor) cannot push an installation past its caps.
import type { Db } from "../../db/prisma";
import { HOST_PERMISSIONS, HostApiError, type KvHost } from "./types";

export const KV_MAX_KEY_LENGTH = 256;
export const KV_MAX_VALUE_BYTES = 64 * 1024;
export const KV_MAX_KEYS = 1000;
export const KV_MAX_TOTAL_BYTES = 1024 * 1024;
/** First half of the two-int advisory lock key of kv sets ("kv"); the second is hashtext(installation id). */
const KV_LOCK_CLASS = 0x6b76;

export interface MakeKvHostOptions {
  installationId: string;
  grants: readonly string[];
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || key.length < 1 || key.length > KV_MAX_KEY_LENGTH) {
    throw new HostApiError("invalid_argument", `a kv key must be a string of 1 to ${KV_MAX_KEY_LENGTH} characters`);
  }
  if (key.includes("\u0000")) throw new HostApiError("invalid_argument", "a kv key cannot contain the NUL character");
  return key;
}

/** PostgreSQL's jsonb cannot hold U+0000 in a string or a property name. */
function hasNul(value: unknown, depth = 0): boolean {
  if (depth > 200) return false; // JSON.stringify already bounded it; deeper nesting is refused by Postgres anyway
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  if (value !== null && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v, depth + 1));
  return false;
}

export function makeKvHost(db: Db, o: MakeKvHostOptions): KvHost {
  const installationId = o.installationId;
  const need = (permission: string, what: string) => {
    if (!o.grants.includes(permission)) {
      throw new HostApiError("permission_denied", `ctx.kv.${what} needs the ${permission} permission, which this installation has not granted`);
    }
  };

  return {
    async get(key) {
      need(HOST_PERMISSIONS.kvRead, "get");
      const k = checkKey(key);
      const rows = await db.$queryRaw<{ value: unknown }[]>`
        SELECT value FROM kv_entries WHERE installation_id = ${installationId} AND key = ${k}`;
      return rows.length ? rows[0]!.value : undefined;
    },

    async set(key, value) {
      need(HOST_PERMISSIONS.kvWrite, "set");
      const k = checkKey(key);
      const text = JSON.stringify(value);
      if (typeof text !== "string") throw new HostApiError("invalid_argument", "the value must be JSON data");
      const valueBytes = Buffer.byteLength(text, "utf8");
      if (valueBytes > KV_MAX_VALUE_BYTES) throw new HostApiError("value_too_large", `a kv value may be at most ${KV_MAX_VALUE_BYTES} bytes of JSON (this one is ${valueBytes})`);
      if (hasNul(value)) throw new HostApiError("invalid_argument", "a kv value cannot contain the NUL character");
      const bytes = valueBytes + Buffer.byteLength(k, "utf8");
      const [, written] = await db.$transaction([
        db.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${KV_LOCK_CLASS}::int4, hashtext(${installationId}))`,
        db.$queryRaw<{ ok: number }[]>`
          WITH others AS (
            SELECT count(*)::int AS n, coalesce(sum(bytes), 0)::bigint AS total
            FROM kv_entries WHERE installation_id = ${installationId} AND key <> ${k}
          )
          INSERT INTO kv_entries (installation_id, key, value, bytes, updated_at)
          SELECT ${installationId}, ${k}, ${text}::jsonb, ${bytes}::int, now() FROM others
          WHERE others.n < ${KV_MAX_KEYS}::int AND others.total + ${bytes}::int <= ${KV_MAX_TOTAL_BYTES}::bigint
          ON CONFLICT (installation_id, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, updated_at = EXCLUDED.updated_at
          RETURNING 1 AS ok`,
      ]);
      if (written.length === 1) return;
      const [usage] = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM kv_entries WHERE installation_id = ${installationId} AND key <> ${k}`;
      if ((usage?.n ?? 0) >= KV_MAX_KEYS) throw new HostApiError("quota_exceeded", `an installation may store at most ${KV_MAX_KEYS} keys`);
      throw new HostApiError("quota_exceeded", `an installation may store at most ${KV_MAX_TOTAL_BYTES} bytes of keys and values`);
    },

    async delete(key) {
      need(HOST_PERMISSIONS.kvDelete, "delete");
      const k = checkKey(key);
      const rows = await db.$queryRaw<{ ok: number }[]>`
        DELETE FROM kv_entries WHERE installation_id = ${installationId} AND key = ${k} RETURNING 1 AS ok`;
      return rows.length > 0;
    },

    async list(prefix = "") {
      need(HOST_PERMISSIONS.kvRead, "list");
      if (typeof prefix !== "string" || prefix.length > KV_MAX_KEY_LENGTH) {
        throw new HostApiError("invalid_argument", `a kv prefix must be a string of at most ${KV_MAX_KEY_LENGTH} characters`);
      }
      if (prefix.includes("\u0000")) return [];
      const rows = await db.$queryRaw<{ key: string }[]>`
        SELECT key FROM kv_entries
        WHERE installation_id = ${installationId} AND starts_with(key, ${prefix})
        ORDER BY key COLLATE "C" LIMIT ${KV_MAX_KEYS}::int`;
      return rows.map((r) => r.key);
    },
  };
}

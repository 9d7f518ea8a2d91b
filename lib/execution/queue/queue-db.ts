// The connection the queue's statements run on: the app's Prisma client, or a plain
// node-postgres pool. Executors use a pool of their own for claim, complete, heartbeat and
// reap: claim and complete run for every execution, and a transaction through Prisma costs
// several times the round trips' own time (measured on a 2-core machine: BEGIN/SELECT/COMMIT
// ~1.6 ms against ~0.4 ms; a claim 3.5 → 1.5 ms, a completion 3.5 → 1.9 ms, p50, with the
// per-execution statements prepared once per connection). Both speak the same SQL ($1…
// parameters, READ COMMITTED), and events are still appended with appendEvent inside the
// same transaction.
import pg from "pg";
import type { Db } from "../../db/prisma";
import type { Queryable } from "../../events/append-event";

export type QueueDb = Db | pg.Pool;

export interface QueueTx {
  /** `name`: a statement run for every execution, prepared once per pg connection (planning skipped after). */
  query<T>(text: string, values?: readonly unknown[], name?: string): Promise<T[]>;
  /** For appendEvent(tx.events, …): appends in this transaction. */
  events: Queryable;
}

function isPgPool(db: QueueDb): db is pg.Pool {
  return db instanceof pg.Pool;
}

/**
 * appendEvent speaks Prisma's tagged-template $queryRaw; on a pg client the template
 * becomes one parameterised statement ($1…) on the same connection, so the event is part
 * of the caller's transaction exactly as with a Prisma transaction client.
 */
// A template literal's strings array is one object per call site, so it names a statement
// that can be prepared once per connection.
const templateNames = new WeakMap<TemplateStringsArray, { name: string; text: string }>();
let templates = 0;

function eventsOn(client: pg.PoolClient): Queryable {
  const $queryRaw = (strings: TemplateStringsArray, ...values: unknown[]) => {
    let t = templateNames.get(strings);
    if (!t) templateNames.set(strings, (t = { name: `capreg_tpl_${++templates}`, text: strings.reduce((sql, part, i) => `${sql}$${i}${part}`) }));
    return client.query({ name: t.name, text: t.text, values }).then((r) => r.rows);
  };
  return { $queryRaw } as unknown as Queryable;
}

/**
 * Runs `fn` in one READ COMMITTED transaction on `db`. `prelude`: a statement without
 * parameters to run first (on pg it shares BEGIN's round trip; each statement of it still
 * gets its own snapshot, as every statement does under READ COMMITTED).
 */
export async function inQueueTransaction<T>(db: QueueDb, fn: (tx: QueueTx) => Promise<T>, o: { prelude?: string } = {}): Promise<T> {
  if (!isPgPool(db)) {
    return db.$transaction(async (tx) => {
      if (o.prelude) await tx.$executeRawUnsafe(o.prelude);
      return fn({ query: <R>(text: string, values: readonly unknown[] = []) => tx.$queryRawUnsafe<R[]>(text, ...values), events: tx });
    });
  }
  const client = await db.connect();
  let broken = false;
  try {
    await client.query(o.prelude ? `BEGIN; ${o.prelude}` : "BEGIN");
    const query = <R>(text: string, values: readonly unknown[] = [], name?: string) =>
      client.query({ text, values: values as unknown[], ...(name ? { name } : {}) }).then((r) => r.rows as R[]);
    const result = await fn({ query, events: eventsOn(client) });
    await client.query("COMMIT");
    return result;
  } catch (err) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** One statement outside a transaction (`name`: see QueueTx.query). */
export async function queueQuery<T>(db: QueueDb, text: string, values: readonly unknown[] = [], name?: string): Promise<T[]> {
  if (isPgPool(db)) return (await db.query({ text, values: values as unknown[], ...(name ? { name } : {}) })).rows as T[];
  return db.$queryRawUnsafe<T[]>(text, ...values);
}

/** A small pool for an executor's queue statements (the app role is enough). */
export function createQueuePool(url: string, max = 3): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, keepAlive: true, application_name: "capreg-executor" });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return pool;
}

// Helpers of the executor tests (executor-*.test.ts): a test database with a user, an
// agent API client, capabilities published and installed through the real API, executions
// queued through the real enqueue path, and waiting for final statuses by LISTEN
// capreg_exec_done (the notification executors send at commit), not by sleeping.
import pg from "pg";
import { newId } from "../../lib/ids";
import { enqueueExecution, prepareQueuedInput } from "../../lib/execution/queue/enqueue";
import { isFinalStatus } from "../../lib/execution/types";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase as bindAppDatabase } from "./helpers/app";
import { agentsClient, asUser, loadAgentRoutes, makeAgent, publishVersion, type AgentsClient } from "./helpers/registry-factory";
import { installedId } from "./policy-install-approve";

export interface World {
  t: TestDatabase;
  api: AgentsClient;
  owner: Awaited<ReturnType<typeof makeUser>>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const t = await createTestDatabase();
  bindAppDatabase(t);
  const routes = await loadAgentRoutes();
  const owner = await makeUser(t);
  const api = agentsClient(routes, await asUser(owner));
  return { t, api, owner, close: () => t.drop() };
}

export interface Installed {
  agentId: string;
  installationId: string;
  capabilityId: string;
  versionId: string;
  slug: string;
  version: string;
  kind: string;
}

/** Publishes `manifest` and installs it on an agent (a new one unless given) through the agents API (approving it when the policy asks). */
export async function install(
  w: World,
  manifest: Record<string, unknown>,
  o: { grants?: string[]; config?: Record<string, unknown>; secrets?: Record<string, string>; agentId?: string; alreadyPublished?: boolean } = {},
): Promise<Installed> {
  const cap = o.alreadyPublished
    ? await (async () => {
        const c = await w.t.db.capability.findUniqueOrThrow({ where: { slug: String(manifest.slug) }, select: { id: true } });
        const v = await w.t.db.capabilityVersion.findFirstOrThrow({ where: { capabilityId: c.id }, orderBy: { publishedAt: "desc" }, select: { id: true, version: true } });
        return { capabilityId: c.id, versionId: v.id, slug: String(manifest.slug), version: v.version };
      })()
    : await publishVersion(w.t, { owner: w.owner, manifest });
  const agentId = o.agentId ?? (await makeAgent(w.api));
  const res = await w.api.install(agentId, { capability: cap.slug, grantedPermissions: o.grants ?? [], config: o.config ?? {}, secrets: o.secrets ?? {} });
  // High-risk grants wait for an approval (the policy gate): approved here by an admin.
  const installationId = await installedId(w.t, res);
  return { agentId, installationId, capabilityId: cap.capabilityId, versionId: cap.versionId, slug: cap.slug, version: cap.version, kind: String(manifest.type) };
}

/** Queues one execution through the real enqueue (row + NOTIFY in one statement). */
export async function enqueue(w: World, target: Installed, action: string, input: Record<string, unknown>, o: { timeoutMs?: number; correlationId?: string } = {}): Promise<string> {
  const { id } = await enqueueExecution(w.t.db, {
    agentId: target.agentId,
    installationId: target.installationId,
    capabilityId: target.capabilityId,
    versionId: target.versionId,
    capabilitySlug: target.slug,
    version: target.version,
    action,
    kind: target.kind as "code",
    input: prepareQueuedInput(input),
    correlationId: o.correlationId ?? newId("cor"),
    actor: { type: "user", id: w.owner.id },
    timeoutMs: o.timeoutMs ?? 1000,
  });
  return id;
}

export interface ExecutionRow {
  id: string;
  status: string;
  output: unknown;
  logs: string[];
  resources: Record<string, number>;
  requests: Record<string, unknown>[];
  error_code: string | null;
  error: { code: string; message: string; step?: string } | null;
  attempts: number;
  leased_by: string | null;
  lease_token: string | null;
  duration_ms: number | null;
  correlation_id: string;
  input: unknown;
}

/** The rows of `ids`, in the order of `ids`. */
export async function rows(w: World, ids: string[]): Promise<ExecutionRow[]> {
  const found = await w.t.db.$queryRawUnsafe<ExecutionRow[]>(
    `SELECT id, status, output, logs, resources, requests, error_code, error, attempts, leased_by, lease_token, duration_ms, correlation_id, input
     FROM executions WHERE id = ANY($1::text[])`,
    ids,
  );
  const byId = new Map(found.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Resolves with the rows once every id has a final status. Listens to capreg_exec_done and
 * re-reads on each notification (and once right after LISTEN, for what finished before).
 */
export async function waitForFinal(w: World, ids: string[], timeoutMs = 30_000): Promise<ExecutionRow[]> {
  const client = new pg.Client({ connectionString: w.t.appUrl });
  await client.connect();
  try {
    let wake: () => void = () => {};
    client.on("notification", () => wake());
    await client.query("LISTEN capreg_exec_done");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const woke = new Promise<void>((resolve) => (wake = resolve));
      const current = await rows(w, ids);
      if (current.length === ids.length && current.every((r) => isFinalStatus(r.status))) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`not final in time: ${current.filter((r) => !isFinalStatus(r.status)).map((r) => `${r.id}=${r.status}`).join(", ")}`);
      let timer: NodeJS.Timeout | undefined;
      // A bounded wait for the next notification (a requeue sends none on this channel).
      await Promise.race([woke, new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 1000))))]);
      clearTimeout(timer);
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves when `check` returns a value (re-checked on every capreg_exec_* / capreg_events notification). */
export async function waitUntil<T>(w: World, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const client = new pg.Client({ connectionString: w.t.appUrl });
  await client.connect();
  try {
    let wake: () => void = () => {};
    client.on("notification", () => wake());
    await client.query("LISTEN capreg_exec_done; LISTEN capreg_exec_queued; LISTEN capreg_events");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const woke = new Promise<void>((resolve) => (wake = resolve));
      const v = await check();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([woke, new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 250))))]);
      clearTimeout(timer);
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export async function eventsOfExecution(w: World, id: string): Promise<{ type: string; data: Record<string, unknown>; correlation_id: string }[]> {
  return w.t.db.$queryRawUnsafe(`SELECT type, data, correlation_id FROM events WHERE stream_type = 'execution' AND stream_id = $1 ORDER BY seq`, id);
}

let n = 0;
/** A code capability manifest with one action whose body is `body` (an async function body over input and ctx). */
export function codeCapability(body: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: "code",
    slug: `exec-${n}-${Math.random().toString(36).slice(2, 8)}`,
    name: `Executor test ${n}`,
    version: "1.0.0",
    category: "utilities",
    source: `export default { actions: { async run(input, ctx) { ${body} } } };`,
    actions: [{ id: "run", name: "Run" }],
    permissions: [],
    ...over,
  };
}
